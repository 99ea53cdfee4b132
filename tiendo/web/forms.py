"""Form pieces every app reuses: dates and numbers typed the Vietnamese way, and
turning a service's ValidationError into errors on the form that caused it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from tiendo.lib.vn import format_date, format_number, parse_date, parse_number


class VietnameseDateField(forms.Field):
    """A date typed as "30/6/2025" (day first, padding optional); ISO "2025-06-30",
    which browsers' date inputs send, is accepted too. Shown back unpadded."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "placeholder": _("ngày/tháng/năm"), "autocomplete": "off", "class": "input-date"}
    )
    default_error_messages = {"invalid": _("Ngày không hợp lệ (viết theo dạng ngày/tháng/năm, ví dụ 30/6/2025).")}

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as error:
            # parse_date already says what is wrong, in the active language ("Ngày 31/2/2024 không tồn tại.").
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return format_date(value)
        return value


class VietnameseNumberField(forms.Field):
    """A number typed as "21.327" or "0,73" (dot groups thousands, comma is decimal).

    With ``integer=True`` only whole numbers are accepted (a population, a count).
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-number"})

    def __init__(
        self,
        *,
        integer: bool = False,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        **kwargs: Any,
    ) -> None:
        self.integer = integer
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)
        super().__init__(**kwargs)
        if integer:
            self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value: Any) -> Decimal | int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            try:
                number = parse_number(str(value))
            except ValueError as error:
                raise ValidationError(str(error), code="invalid") from None
        if self.integer and number != number.to_integral_value():
            raise ValidationError(_("Cần một số nguyên."), code="integer")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Giá trị không được nhỏ hơn %(limit)s."),
                code="min_value",
                params={"limit": format_number(self.min_value)},
            )
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(
                _("Giá trị không được lớn hơn %(limit)s."),
                code="max_value",
                params={"limit": format_number(self.max_value)},
            )
        return int(number) if self.integer else number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_number(value)
        return value


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: messages keyed by a field the form has go
    next to that field, everything else (including model fields the form does not
    show, such as ``parent``) at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)
