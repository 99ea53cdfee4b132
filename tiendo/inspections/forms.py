"""Forms of the inspection pages. They only collect input: a unit is fetched again
through the scoping layer (``UnitField``: an id outside scope is a 404), and the service
decides and refuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import get_unit_or_404
from tiendo.inspections.models import Inspection, InspectionPlan, TeamMember
from tiendo.orgs.forms import ScopedForm, UnitField
from tiendo.orgs.models import OrgUnit
from tiendo.web.forms import VietnameseDateField


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Hình thức"), required=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị tiến hành"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args: Any, years: list[int], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả"))] + [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Tất cả")), *Inspection.Kind.choices]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PlanForm(ScopedForm):
    conducting_unit = UnitField(label=_("Đơn vị ban hành"), action=Action.VIEW)
    year = forms.IntegerField(label=_("Năm"), min_value=1945, max_value=2100)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    issued_on = VietnameseDateField(label=_("Ngày ban hành"))


class UnitsField(forms.Field):
    """Several units picked by id, each fetched through the scoping layer (404 outside)."""

    widget = forms.SelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        self.user: Any = None
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[OrgUnit]:
        if not value:
            return []
        ids = value if isinstance(value, list | tuple) else [value]
        return [get_unit_or_404(self.user, pk) for pk in dict.fromkeys(ids)]


class InspectionForm(ScopedForm):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Inspection.Kind.choices)
    conducting_unit = UnitField(label=_("Đơn vị tiến hành"), action=Action.VIEW)
    plan = forms.ModelChoiceField(label=_("Thuộc kế hoạch"), queryset=InspectionPlan.objects.none(), required=False)
    team_name = forms.CharField(label=_("Tên đoàn"), max_length=300, required=False,
                                help_text=_("Ví dụ “Đoàn kiểm tra số 1 của Ban Thường vụ Thành ủy”."))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    title = forms.CharField(label=_("Tên cuộc kiểm tra, giám sát"), max_length=500)
    scope = forms.CharField(label=_("Phạm vi, nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = VietnameseDateField(label=_("Ngày bắt đầu"))
    ends_on = VietnameseDateField(label=_("Ngày kết thúc"), required=False)
    subject_units = UnitsField(label=_("Tổ chức là đối tượng"), required=False)
    person_name = forms.CharField(label=_("Cá nhân là đối tượng: họ tên"), max_length=200, required=False)
    person_position = forms.CharField(label=_("Chức vụ"), max_length=300, required=False)
    person_unit = UnitField(label=_("Đơn vị công tác"), action=Action.VIEW, required=False)
    leader_name = forms.CharField(label=_("Trưởng đoàn: họ tên"), max_length=200, required=False)
    leader_position = forms.CharField(label=_("Chức vụ của trưởng đoàn"), max_length=300, required=False)

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        units = self.fields["subject_units"]
        units.user = self.user  # type: ignore[attr-defined]
        units.widget.choices = list(kwargs.get("unit_choices") or [])  # type: ignore[attr-defined]


class SubjectForm(ScopedForm):
    unit = UnitField(label=_("Tổ chức"), action=Action.VIEW, required=False)
    person_name = forms.CharField(label=_("hoặc cá nhân: họ tên"), max_length=200, required=False)
    person_position = forms.CharField(label=_("Chức vụ"), max_length=300, required=False)
    person_unit = UnitField(label=_("Đơn vị công tác"), action=Action.VIEW, required=False)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Họ tên"), max_length=200, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Nhiệm vụ trong đoàn"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER)


class ConclusionForm(forms.Form):
    strengths = forms.CharField(label=_("Kết quả, ưu điểm"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    shortcomings = forms.CharField(label=_("Hạn chế, khuyết điểm"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conclusions = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    concluded_on = VietnameseDateField(label=_("Ngày kết luận"))


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kiến nghị"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unit = forms.TypedChoiceField(label=_("Đơn vị thực hiện"), coerce=int, required=False, empty_value=None)
    expected_output = forms.CharField(
        label=_("Sản phẩm"), max_length=500, required=False,
        help_text=_("Văn bản, báo cáo hoặc kết quả cụ thể mà đơn vị phải có: thành nhiệm vụ theo dõi."),
    )
    deadline = VietnameseDateField(label=_("Thời hạn"), required=False)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [("", _("— chọn đơn vị —")), *((u.pk, str(u)) for u in units)]  # type: ignore[attr-defined]

    def clean_unit(self) -> OrgUnit | None:
        pk = self.cleaned_data.get("unit")
        return None if pk is None else self.units.get(pk)
