"""Forms of the task pages: the list's filters and one form per action on a task.
Each action form only collects input; the service decides and refuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.orgs.models import OrgUnit
from tiendo.tasks.models import Directive
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


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CompletionForm(forms.Form):
    evidence = forms.CharField(
        label=_("Minh chứng hoàn thành"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Sản phẩm đã có, số văn bản, đường dẫn hoặc tệp đính kèm."),
    )


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
