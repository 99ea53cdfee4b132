"""Forms of the task pages: the list's filters, recording a directive, assigning and
splitting a task, and one form per action on a task. Each form only collects input;
the service decides and refuses.

Units are offered from ``selectors.assignable_units`` (scoped); a posted id that is
not among them is refused on the form, so an id outside the user's scope never
reaches a service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.attachments.forms import AttachmentField
from tiendo.attachments.services import ALLOWED_EXTENSIONS
from tiendo.orgs.models import OrgUnit, UnitVersion
from tiendo.tasks.models import Directive, Task
from tiendo.tasks.selectors import UnitChoice
from tiendo.tasks.status import LABELS
from tiendo.web.forms import VietnameseDateField


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    status = forms.ChoiceField(label=_("Tình trạng"), required=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=OrgUnit.objects.none(), required=False)
    directive = forms.ModelChoiceField(label=_("Văn bản chỉ đạo"), queryset=Directive.objects.none(), required=False)

    def __init__(self, *args: Any, units: Any, directives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả"))] + [(s.value, label) for s, label in LABELS.items()]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["directive"].queryset = directives  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(AttachmentField):
    """Several files in one input (a signed report and its photos), each checked by
    ``attachments.services.store``; cleans to a list, empty when none was chosen."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tệp đính kèm (có thể chọn nhiều tệp)"))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachments = AttachmentsField()


class CompletionForm(forms.Form):
    evidence = forms.CharField(
        label=_("Minh chứng hoàn thành"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Sản phẩm đã có, số văn bản, đường dẫn; hoặc đính kèm tệp sản phẩm bên dưới (cần ít nhất một trong hai)."),
    )
    attachments = AttachmentsField(label=_("Tệp minh chứng (có thể chọn nhiều tệp)"))


class ConfirmForm(forms.Form):
    pass


class ExtensionForm(forms.Form):
    new_deadline = VietnameseDateField(label=_("Thời hạn đề nghị"))
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"), choices=[("approve", _("Đồng ý gia hạn")), ("refuse", _("Không đồng ý"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ý kiến"), max_length=500, required=False)


class UnitChoiceField(forms.TypedChoiceField):
    """One unit among those offered; cleans to the ``OrgUnit``."""

    default_error_messages = {"invalid_choice": _("Đơn vị này không có trong danh sách bạn được chọn.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def offer(self, choices: list[UnitChoice]) -> None:
        self.choices = [("", _("— chọn đơn vị —")), *((c.unit_id, c.label) for c in choices)]

    def clean(self, value: Any) -> OrgUnit | None:
        unit_id = super().clean(value)
        return None if unit_id is None else OrgUnit.objects.get(pk=unit_id)


class UnitsChoiceField(forms.TypedMultipleChoiceField):
    """Several units among those offered; cleans to a list of ``OrgUnit``."""

    default_error_messages = {"invalid_choice": _("Đơn vị này không có trong danh sách bạn được chọn.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 8}))
        super().__init__(coerce=int, required=False, **kwargs)

    def offer(self, choices: list[UnitChoice]) -> None:
        self.choices = [(c.unit_id, c.label) for c in choices]

    def clean(self, value: Any) -> list[OrgUnit]:
        ids = super().clean(value)
        return list(OrgUnit.objects.filter(pk__in=ids).prefetch_related("versions").order_by("pk")) if ids else []


class DirectiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Directive.Kind.choices)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 01-KL/QU, 03-TT/QU."))
    issued_on = VietnameseDateField(label=_("Ngày ban hành"))
    issuer = UnitChoiceField(label=_("Cơ quan ban hành"))
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    file = AttachmentField(label=_("Tệp toàn văn"), required=False)

    def __init__(self, *args: Any, units: list[UnitChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].offer(units)  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["issuer"].initial = units[0].unit_id


_OUTPUT_REQUIRED = _(
    "Cần nêu sản phẩm của nhiệm vụ (văn bản, công trình, số liệu…): nhiệm vụ không có sản phẩm thì không theo dõi được."
)


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Nhiệm vụ"), max_length=500, error_messages={"required": _("Cần ghi nội dung nhiệm vụ.")}
    )
    expected_output = forms.CharField(
        label=_("Sản phẩm"), max_length=500, error_messages={"required": _OUTPUT_REQUIRED},
        help_text=_(
            "Bắt buộc. Kết quả cụ thể phải có khi hoàn thành (báo cáo, kế hoạch, công trình, số liệu…): "
            "đơn vị giao căn cứ vào sản phẩm để xác nhận nhiệm vụ đã xong."
        ),
    )
    description = forms.CharField(label=_("Nội dung, yêu cầu"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    directive = forms.ModelChoiceField(
        label=_("Văn bản chỉ đạo"), queryset=Directive.objects.none(), required=False, empty_label=_("— không có —")
    )
    assigned_by = UnitChoiceField(label=_("Đơn vị giao"))
    lead_unit = UnitChoiceField(label=_("Đơn vị chủ trì"), error_messages={"required": _("Cần chọn đơn vị chủ trì.")})
    coordinating_units = UnitsChoiceField(
        label=_("Đơn vị phối hợp"), help_text=_("Giữ phím Ctrl (hoặc ⌘) để chọn nhiều đơn vị; gõ chữ đầu tên để tìm.")
    )
    deadline = VietnameseDateField(label=_("Thời hạn"), error_messages={"required": _("Cần có thời hạn.")})
    priority = forms.ChoiceField(label=_("Mức độ"), choices=Task.Priority.choices, initial=Task.Priority.NORMAL)
    recurrence = forms.ChoiceField(label=_("Lặp lại"), choices=Task.Recurrence.choices, required=False)
    recurs_until = VietnameseDateField(
        label=_("Lặp lại đến ngày"), required=False, help_text=_("Bỏ trống nếu nhiệm vụ lặp lại không có ngày kết thúc.")
    )

    def __init__(self, *args: Any, units: list[UnitChoice], directives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths = {c.unit_id: c.path for c in units}
        for name in ("assigned_by", "lead_unit", "coordinating_units"):
            self.fields[name].offer(units)  # type: ignore[attr-defined]
        if len(units) > 0 and not self.is_bound:
            self.fields["assigned_by"].initial = units[0].unit_id
        self.fields["directive"].queryset = directives  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assigner, lead = data.get("assigned_by"), data.get("lead_unit")
        if assigner is not None and lead is not None and not self.paths[lead.pk].startswith(self.paths[assigner.pk]):
            self.add_error("lead_unit", _("Đơn vị chủ trì phải là “%(unit)s” hoặc một đơn vị trực thuộc.") % {"unit": assigner})
        if lead is not None:
            data["coordinating_units"] = [u for u in data.get("coordinating_units", []) if u.pk != lead.pk]
        return data


class SplitForm(forms.Form):
    """One line per unit under the task's lead unit: a checkbox and a deadline, by
    default the parent's. Units that already have a sub-task are shown, not offered."""

    def __init__(
        self, *args: Any, children: list[UnitVersion], deadline: dt.date, taken: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines: list[tuple[UnitVersion, forms.BoundField, forms.BoundField, bool]] = []
        for version in children:
            pk = version.unit_id
            done = pk in taken
            self.fields[f"chon_{pk}"] = forms.BooleanField(label=version.name, required=False, disabled=done)
            self.fields[f"han_{pk}"] = VietnameseDateField(
                label=_("Thời hạn của %(unit)s") % {"unit": version.name}, required=False, initial=deadline, disabled=done
            )
        for version in children:
            pk = version.unit_id
            self.lines.append((version, self[f"chon_{pk}"], self[f"han_{pk}"], pk in taken))
        self.default_deadline = deadline
        self.units = {version.unit_id: version.unit for version in children}

    def parts(self) -> list[tuple[OrgUnit, dt.date]]:
        """The chosen units with their deadlines (the parent's where left empty)."""
        return [
            (unit, self.cleaned_data.get(f"han_{pk}") or self.default_deadline)
            for pk, unit in self.units.items()
            if self.cleaned_data.get(f"chon_{pk}") and not self.fields[f"chon_{pk}"].disabled
        ]
