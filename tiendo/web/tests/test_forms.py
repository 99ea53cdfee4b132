"""The form fields every app reuses: dates and numbers typed the Vietnamese way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from tiendo.web.forms import VietnameseDateField, VietnameseNumberField, add_service_error


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("30/6/2025", dt.date(2025, 6, 30)), ("05/02/2023", dt.date(2023, 2, 5)), ("2025-06-30", dt.date(2025, 6, 30))],
)
def test_dates_are_read_day_first_or_iso(typed, expected):
    assert VietnameseDateField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [("31/2/2024", "Ngày 31/2/2024 không tồn tại."), ("hôm qua", "không phải là ngày hợp lệ")],
)
def test_bad_dates_are_explained_in_vietnamese(typed, message):
    with pytest.raises(ValidationError) as info:
        VietnameseDateField().clean(typed)
    assert message in info.value.messages[0]


def test_a_date_is_shown_back_unpadded():
    class Form(forms.Form):
        day = VietnameseDateField()

    assert 'value="5/2/2023"' in str(Form(initial={"day": dt.date(2023, 2, 5)})["day"])


def test_numbers_are_read_the_vietnamese_way():
    assert VietnameseNumberField(integer=True).clean("4.817") == 4817
    assert VietnameseNumberField().clean("0,13") == Decimal("0.13")
    with pytest.raises(ValidationError):
        VietnameseNumberField().clean("0.13")  # a dot only ever groups thousands
    with pytest.raises(ValidationError) as info:
        VietnameseNumberField(integer=True).clean("1,5")
    assert info.value.messages == ["Cần một số nguyên."]
    with pytest.raises(ValidationError):
        VietnameseNumberField(max_value=1).clean("1,2")


def test_service_errors_go_next_to_the_field_they_name_or_on_top():
    class Form(forms.Form):
        code = forms.CharField(required=False)

    form = Form({"code": "P1"})
    assert form.is_valid()
    add_service_error(form, ValidationError({"code": ["Mã trùng."], "parent": ["Cấp trên không hợp lệ."]}))
    add_service_error(form, ValidationError("Lỗi chung."))
    assert form.errors["code"] == ["Mã trùng."]
    assert form.non_field_errors() == ["Cấp trên không hợp lệ.", "Lỗi chung."]
