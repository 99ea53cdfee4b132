"""Forms for data sets (bộ chỉ tiêu báo cáo), their list of indicators and their
validation rules.

They only read what was typed; the rules live in ``tiendo.reporting.datasets``,
whose refusals the views put back on the form. Indicators come back as ids, offered
from one list built by the view (one query for every row of the table).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.indicators.models import PERIOD_KINDS
from tiendo.reporting.datasets import MAX_ORDER
from tiendo.web.forms import VietnameseNumberField

Choices = list[tuple[int, str]]


class DataSetForm(forms.Form):
    code = forms.CharField(
        label=_("Mã"),
        max_length=40,
        help_text=_("Chữ không dấu, chữ số, “_” hoặc “-”, ví dụ TIEN_DO_QUY. Không đổi được sau khi tạo."),
    )
    name = forms.CharField(
        label=_("Tên bộ chỉ tiêu"), max_length=300, help_text=_("Ví dụ “Báo cáo tiến độ hằng quý của các phường”.")
    )
    period_kind = forms.ChoiceField(
        label=_("Loại kỳ"),
        choices=PERIOD_KINDS,
        help_text=_(
            "Các chỉ tiêu của bộ phải có cùng tần suất báo cáo. Không đổi được loại kỳ khi bộ đã có đợt báo cáo."
        ),
    )
    description = forms.CharField(
        label=_("Mô tả"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Báo cáo này dùng để làm gì, căn cứ văn bản nào."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The code is fixed once the set exists: it is only shown.
            del self.fields["code"]


class ItemForm(forms.Form):
    """One row of the table of a data set's indicators."""

    indicator = forms.TypedChoiceField(label=_("Chỉ tiêu"), coerce=int, required=False, empty_value=None)
    order = VietnameseNumberField(label=_("Thứ tự"), integer=True, min_value=0, max_value=MAX_ORDER, required=False)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    section = forms.CharField(label=_("Nhóm"), max_length=200, required=False)
    # Rows are table cells: the help for this one is a paragraph under the table.
    check_outliers = forms.BooleanField(label=_("Cảnh báo số bất thường"), required=False, initial=True)
    remove = forms.BooleanField(label=_("Bỏ khỏi bộ"), required=False)

    def __init__(self, *args: Any, indicators: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("— chọn chỉ tiêu —")), *indicators]  # type: ignore[attr-defined]
        self.fields["order"].widget.attrs["size"] = 4


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=300, validate_max=True, absolute_max=300)


class ItemsForm(forms.Form):
    """No fields: it carries the service's refusal to the top of the items page."""


class RuleForm(forms.Form):
    expression = forms.CharField(
        label=_("Biểu thức"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "autocapitalize": "off"}),
    )
    message = forms.CharField(
        label=_("Thông báo khi sai"),
        max_length=400,
        help_text=_(
            "Hiện cho người nhập khi số liệu không đúng quy tắc, ví dụ “Số hộ văn hóa không thể nhiều hơn tổng số hộ.”"
        ),
    )
    is_active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)

    def __init__(self, *args: Any, codes: list[str], with_active: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_active:
            del self.fields["is_active"]
        shown = ", ".join(codes) if codes else _("(bộ chưa có chỉ tiêu nào)")
        self.fields["expression"].help_text = _(
            "Mã chỉ tiêu dùng được: %(codes)s. Ví dụ: GD_VANHOA <= TONG_HO. "
            "Dùng + - * /, so sánh <, <=, >, >=, ==, != và nối nhiều điều kiện bằng “và”, “hoặc”; "
            "số thập phân viết 0,5. Mã phân biệt chữ hoa, chữ thường."
        ) % {"codes": shown}
