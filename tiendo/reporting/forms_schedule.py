"""Forms for reporting schedules and for opening a round by hand.

They only read what was typed; the rules live in ``tiendo.reporting.schedules`` and
``tiendo.reporting.services.open_round``, whose refusals the views put back on the
form. Units come back as ids and are fetched again through the scoping layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import get_unit_or_404, restrict_units, restrict_versions
from tiendo.lib import periods
from tiendo.lib.text import fold
from tiendo.orgs.models import OrgUnit, UnitKind, UnitVersion, valid_on_q
from tiendo.reporting.models import DataSet
from tiendo.web.forms import VietnameseDateField, VietnameseNumberField

Choices = list[tuple[int, str]]


def _label(name: str, code: str) -> str:
    return f"{name} ({code})" if code else name


def planning_choices(user: Any, day: dt.date) -> Choices:
    """The units on ``day`` the user may set schedules for and open rounds of (those
    they manage or review), in tree order, indented by depth. Residential groups have
    nothing below them to report, so they are left out."""
    on_day = UnitVersion.objects.filter(valid_on_q(day)).exclude(unit__kind=UnitKind.RESIDENTIAL_GROUP)
    managed = restrict_versions(on_day, user, Action.MANAGE).values("pk")
    reviewed = restrict_versions(on_day, user, Action.REVIEW).values("pk")
    rows = list(
        UnitVersion.objects.filter(Q(pk__in=managed) | Q(pk__in=reviewed))
        .order_by("path")
        .values_list("unit_id", "name", "code", "depth")
    )
    top = min((depth for *_, depth in rows), default=0)
    return [(unit_id, "\u00a0\u00a0\u00a0" * (depth - top) + _label(name, code)) for unit_id, name, code, depth in rows]


def reporting_choices(user: Any, reviewing_unit_id: int | None, day: dt.date) -> Choices:
    """The units directly below the reviewing unit on ``day`` (those that report to
    it): wards and communes first, then agencies and organisations, in name order."""
    if reviewing_unit_id is None:
        return []
    children = restrict_versions(UnitVersion.objects.filter(valid_on_q(day), parent_id=reviewing_unit_id), user)
    territorial = UnitKind.territorial()
    rows = sorted(
        children.values_list("unit_id", "name", "code", "unit__kind"),
        key=lambda row: (row[3] not in territorial, fold(row[1])),
    )
    return [(unit_id, _label(name, code)) for unit_id, name, code, _kind in rows]


def unit_labels(units: list[OrgUnit]) -> Choices:
    """Choices for units that are no longer offered on the day (a schedule's units
    after a reorganisation), so that editing keeps them."""
    return [(unit.pk, str(unit)) for unit in units]


class _UnitsForm(forms.Form):
    """A reviewing unit picked among ``planning`` and the units that report to it,
    picked among ``reporting``; both fetched again for ``user``."""

    reviewing_unit = forms.TypedChoiceField(label=_("Đơn vị tổng hợp, duyệt"), coerce=int)
    units = forms.TypedMultipleChoiceField(
        label=_("Đơn vị phải báo cáo"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một đơn vị phải báo cáo.")},
    )

    def __init__(self, *args: Any, user: Any, planning: Choices, reporting: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["reviewing_unit"].choices = [("", _("— chọn đơn vị —")), *planning]  # type: ignore[attr-defined]
        self.fields["units"].choices = reporting  # type: ignore[attr-defined]
        if not planning:
            self.fields["reviewing_unit"].help_text = _(
                "Vào ngày đang xem không có đơn vị nào bạn quản trị hoặc tổng hợp; hãy xem theo ngày khác."
            )
        self.fields["units"].help_text = (
            _("Các đơn vị trực thuộc đơn vị tổng hợp vào ngày đang xem.")
            if reporting
            else _(
                "Đơn vị tổng hợp này không có đơn vị trực thuộc vào ngày đang xem; chọn đơn vị khác hoặc xem theo ngày khác."
            )
        )

    def clean_reviewing_unit(self) -> OrgUnit:
        return get_unit_or_404(self.user, self.cleaned_data["reviewing_unit"])

    def clean_units(self) -> list[OrgUnit]:
        ids = self.cleaned_data["units"]
        units = list(restrict_units(OrgUnit.objects.filter(pk__in=ids), self.user))
        if len(units) != len(set(ids)):
            raise ValidationError(_("Có đơn vị không tìm thấy."))
        return sorted(units, key=lambda unit: ids.index(unit.pk))


def _days(label: Any, help_text: Any, **kwargs: Any) -> VietnameseNumberField:
    return VietnameseNumberField(label=label, help_text=help_text, integer=True, **kwargs)


class ScheduleForm(_UnitsForm):
    data_set = forms.ModelChoiceField(
        label=_("Bộ chỉ tiêu"), queryset=DataSet.objects.all(), empty_label=_("— chọn bộ chỉ tiêu —")
    )
    name = forms.CharField(
        label=_("Tên lịch"), max_length=300, help_text=_("Ví dụ “Báo cáo tiến độ hằng quý của các phường”.")
    )
    starts_on = VietnameseDateField(
        label=_("Áp dụng từ kỳ chứa ngày"),
        help_text=_(
            "Ngày/tháng/năm, ví dụ 1/1/2025: kỳ báo cáo chứa ngày này là kỳ đầu tiên. Các đợt từ kỳ đó đến nay được mở ngay."
        ),
    )
    ends_on = VietnameseDateField(
        label=_("Áp dụng đến ngày"), required=False, help_text=_("Để trống nếu lịch còn áp dụng lâu dài.")
    )
    open_offset_days = _days(
        _("Mở đợt: số ngày so với ngày đầu tiên sau kỳ"),
        _(
            "Tính từ ngày đầu tiên sau kỳ (quý III kết thúc 30/9 thì tính từ 1/10): "
            "-10 là mở ngày 21/9, 0 là mở ngày 1/10."
        ),
    )
    due_offset_days = _days(
        _("Hạn nộp: số ngày sau ngày đầu tiên sau kỳ"),
        _("Cũng tính từ ngày đầu tiên sau kỳ: 10 là hạn nộp ngày 11/10. Phải lớn hơn số ngày mở."),
    )
    remind_days_before = _days(
        _("Nhắc trước hạn, số ngày"),
        _("Các đơn vị chưa gửi được nhắc khi còn chừng này ngày đến hạn; 0 là không nhắc."),
    )
    is_active = forms.BooleanField(label=_("Đang áp dụng (tự động mở các đợt báo cáo)"), required=False)

    field_order = [
        "data_set",
        "name",
        "reviewing_unit",
        "units",
        "starts_on",
        "ends_on",
        "open_offset_days",
        "due_offset_days",
        "remind_days_before",
        "is_active",
    ]


class OpenRoundForm(_UnitsForm):
    data_set = forms.ModelChoiceField(
        label=_("Bộ chỉ tiêu"), queryset=DataSet.objects.all(), empty_label=_("— chọn bộ chỉ tiêu —")
    )
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=20,
        help_text=_(
            "Mã kỳ: 2024-Q3 cho quý III/2024, 2024-05 cho tháng 5/2024, 2024 cho năm 2024, NH2024-2025 cho năm học."
        ),
    )
    opens_on = VietnameseDateField(label=_("Ngày mở"), help_text=_("Ngày/tháng/năm, ví dụ 20/9/2024."))
    due_on = VietnameseDateField(label=_("Hạn nộp"), help_text=_("Ngày/tháng/năm, ví dụ 10/10/2024."))
    remind_days_before = _days(
        _("Nhắc trước hạn, số ngày"),
        _("Các đơn vị chưa gửi được nhắc khi còn chừng này ngày đến hạn; 0 là không nhắc."),
        min_value=0,
        max_value=60,
    )

    field_order = ["data_set", "period", "reviewing_unit", "units", "opens_on", "due_on", "remind_days_before"]

    def clean_period(self) -> periods.Period:
        try:
            return periods.parse(self.cleaned_data["period"])
        except ValueError as error:
            raise ValidationError(str(error)) from None
