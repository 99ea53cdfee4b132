"""Vietnamese numbers, dates and diacritic folding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.text import fold
from tiendo.lib.vn import format_date, format_number, format_percent, format_place_date, parse_date, parse_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (21327, None, "21.327"),
        (16300, None, "16.300"),
        (Decimal("9.25"), None, "9,25"),
        (Decimal("82.30"), None, "82,3"),
        (Decimal("1536.246"), None, "1.536,246"),
        (0.8894 * 100, 2, "88,94"),
        (1234567.891, 1, "1.234.567,9"),
        (-4817, None, "-4.817"),
        (0, None, "0"),
        (Decimal("-0.001"), 2, "0,00"),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_percentages_have_no_space_before_the_sign():
    assert format_percent(Decimal("82.3")) == "82,3%"
    assert format_percent(93.18) == "93,18%"


def test_dates_in_running_text_are_not_padded():
    assert format_date(dt.date(2022, 5, 17)) == "17/5/2022"
    assert format_date(dt.date(2003, 11, 6)) == "6/11/2003"


def test_place_date_line_pads_for_state_documents_only():
    day = dt.date(2023, 2, 5)
    assert format_place_date("Long Biên", day, padded=True) == "Long Biên, ngày 05 tháng 02 năm 2023"
    assert format_place_date("Long Biên", day, padded=False) == "Long Biên, ngày 5 tháng 2 năm 2023"
    assert format_place_date("Long Biên", dt.date(2023, 7, 5), padded=True) == "Long Biên, ngày 05 tháng 7 năm 2023"


def test_dates_are_read_day_first_and_nonsense_is_refused():
    assert parse_date("17/5/2022") == dt.date(2022, 5, 17)
    assert parse_date("2022-05-17") == dt.date(2022, 5, 17)
    with pytest.raises(ValueError, match="không tồn tại"):
        parse_date("31/2/2024")
    with pytest.raises(ValueError, match="không phải là ngày"):
        parse_date("hôm qua")


def test_numbers_typed_by_users_are_read_without_ambiguity():
    assert parse_number("21.327") == Decimal(21327)
    assert parse_number("82,3") == Decimal("82.3")
    assert parse_number("1.536,246") == Decimal("1536.246")
    for ambiguous in ("1.5", "82.3", "1,234.5", "12a", ""):
        with pytest.raises(ValueError):
            parse_number(ambiguous)


@given(st.decimals(min_value=-10**12, max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_formatted_numbers_read_back_to_the_same_value(value):
    assert parse_number(format_number(value)) == value


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Long Biên", "long bien"), ("Phúc Lợi", "phuc loi"), ("Đảng ủy", "dang uy"), ("ĐOÀN  Thanh niên", "doan thanh nien")],
)
def test_folding_ignores_diacritics_case_and_d_with_stroke(text, folded):
    assert fold(text) == folded
