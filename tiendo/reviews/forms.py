"""Forms of the review pages. They only collect input: ``services.create_review``
decides and refuses. Resolutions, programs and themes are offered from the user's
scope; units are ``UnitField``s, fetched again through the scoping layer, so a posted
id outside scope is a 404 and nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import restrict_by_issuer, restrict_units
from tiendo.orgs.forms import ScopedForm, UnitField
from tiendo.orgs.models import OrgUnit, UnitKind
from tiendo.plans.models import Program, Resolution, Theme
from tiendo.plans.selectors import visible_programs, visible_resolutions
from tiendo.reviews.models import Review, ReviewExport
from tiendo.web.forms import VietnameseDateField

UNIT_CHOICES_LIMIT = 300
ISSUER_KINDS = [UnitKind.PARTY_COMMITTEE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE]


def unit_choices(user: Any, action: str, kinds: Sequence[str]) -> list[tuple[int, str]]:
    units = (
        restrict_units(OrgUnit.objects.filter(kind__in=kinds), user, action)
        .prefetch_related("versions")
        .order_by("pk")[:UNIT_CHOICES_LIMIT]
    )
    return [(u.pk, str(u.latest_version.name if u.latest_version else u)) for u in units]


class ReviewForm(ScopedForm):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Review.Kind.choices)
    resolution = forms.ModelChoiceField(label=_("Nghị quyết"), queryset=Resolution.objects.none(), required=False)
    program = forms.ModelChoiceField(label=_("hoặc chương trình"), queryset=Program.objects.none(), required=False)
    theme = forms.ModelChoiceField(label=_("hoặc chủ đề năm"), queryset=Theme.objects.none(), required=False)
    period_code = forms.CharField(
        label=_("Kỳ báo cáo"), max_length=20,
        help_text=_("Ví dụ: NK2020-2025 cho cả nhiệm kỳ, 2022 cho năm, 2023-Q1 cho quý."),
    )
    as_of = VietnameseDateField(
        label=_("Số liệu tính đến ngày"), required=False,
        help_text=_("Để trống: hôm nay, hoặc ngày cuối kỳ nếu kỳ đã qua. Sơ kết giữa nhiệm kỳ: một ngày trong nhiệm kỳ."),
    )
    issuer = UnitField(label=_("Cơ quan ban hành"), action=Action.REVIEW, required=False,
                       help_text=_("Để trống: cấp ủy ban hành nghị quyết, chủ đề, hoặc đơn vị chủ trì chương trình."))
    unit = UnitField(label=_("Đơn vị tổng hợp số liệu"), action=Action.VIEW, required=False,
                     help_text=_("Số liệu của đơn vị này và các đơn vị trực thuộc. Để trống: địa bàn của cơ quan ban hành."))
    layout = forms.ChoiceField(
        label=_("Thể thức"), required=False,
        choices=[("", _("Theo cơ quan ban hành")), *Review.Layout.choices],
    )
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=40, required=False,
                             help_text=_("Để trống khi còn là dự thảo."))
    subject = forms.CharField(label=_("Trích yếu"), max_length=400, required=False,
                              help_text=_("Để trống: soạn theo loại báo cáo và nội dung."))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=150, required=False)
    recipients = forms.CharField(label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Mỗi dòng một nơi nhận."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["resolution"].queryset = visible_resolutions(user)  # type: ignore[attr-defined]
        self.fields["program"].queryset = visible_programs(user).select_related("resolution")  # type: ignore[attr-defined]
        self.fields["theme"].queryset = restrict_by_issuer(Theme.objects.all(), user)  # type: ignore[attr-defined]
        issuer, unit = self.fields["issuer"], self.fields["unit"]
        assert isinstance(issuer, UnitField) and isinstance(unit, UnitField)
        issuer.set_choices(unit_choices(user, Action.REVIEW, ISSUER_KINDS))
        unit.set_choices(unit_choices(user, Action.VIEW, sorted(UnitKind.territorial())))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Nội dung báo cáo"), required=False, widget=forms.Textarea(attrs={"rows": 24}))
    keep_edit = forms.BooleanField(label=_("Giữ nội dung đã sửa khi số liệu thay đổi"), required=False, initial=True)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=ReviewExport.Format.choices)
