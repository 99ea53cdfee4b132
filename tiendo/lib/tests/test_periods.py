"""Reporting periods: codes, labels, parts, elapsed share and the codes refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from tiendo.lib import periods
from tiendo.lib.periods import Period, PeriodKind


@pytest.mark.parametrize(
    ("code", "period", "label"),
    [
        ("2022-05", periods.month(2022, 5), "tháng 5/2022"),
        ("2022-Q2", periods.quarter(2022, 2), "quý II/2022"),
        ("2022", periods.year(2022), "năm 2022"),
        ("NH2021-2022", periods.school_year(2021), "năm học 2021-2022"),
        ("NK2020-2025", periods.term(2020, 2025), "nhiệm kỳ 2020-2025"),
    ],
)
def test_codes_read_back_and_labels(code: str, period: Period, label: str):
    assert periods.parse(code) == period
    assert period.code == code
    assert period.label == label == str(period)


def test_codes_are_read_leniently():
    assert periods.parse(" 2022-5 ") == periods.month(2022, 5)
    assert periods.parse("2022-q2") == periods.parse("2022-I2") == periods.quarter(2022, 2)
    assert periods.parse("nh2021-2022") == periods.school_year(2021)


def test_dates_of_each_kind():
    school = periods.school_year(2021)
    assert (school.start, school.last_day) == (dt.date(2021, 9, 1), dt.date(2022, 8, 31))
    term = periods.term(2020, 2025)
    assert (term.start, term.last_day) == (dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    assert periods.quarter(2022, 4).last_day == dt.date(2022, 12, 31)


def test_labels_follow_the_active_language():
    with translation.override("en"):
        assert periods.quarter(2022, 2).label == "quarter II/2022"
        assert periods.term(2020, 2025).label == "term 2020-2025"
        assert str(periods.KIND_LABELS[PeriodKind.SCHOOL_YEAR]) == "school year"
    assert periods.quarter(2022, 2).label == "quý II/2022"


def test_parts():
    assert periods.year(2022).parts(PeriodKind.QUARTER) == [periods.quarter(2022, n) for n in range(1, 5)]
    assert [p.code for p in periods.quarter(2022, 3).parts(PeriodKind.MONTH)] == ["2022-07", "2022-08", "2022-09"]
    assert periods.term(2020, 2025).parts(PeriodKind.YEAR) == [periods.year(y) for y in range(2020, 2026)]
    # Only whole school years inside the term: 2020-2021 to 2024-2025.
    assert periods.term(2020, 2025).parts(PeriodKind.SCHOOL_YEAR) == [periods.school_year(y) for y in range(2020, 2025)]
    # A school year holds no whole calendar year, and a quarter no whole year.
    assert periods.school_year(2021).parts(PeriodKind.YEAR) == []
    assert periods.quarter(2022, 1).parts(PeriodKind.YEAR) == []
    with pytest.raises(ValueError, match="Nhiệm kỳ không chia nhỏ thành nhiệm kỳ"):
        periods.term(2020, 2025).parts(PeriodKind.TERM)


def test_elapsed_share():
    year = periods.year(2022)
    assert year.elapsed_share(dt.date(2021, 12, 31)) == 0.0
    assert year.elapsed_share(dt.date(2022, 1, 1)) == pytest.approx(1 / 365)
    assert year.elapsed_share(dt.date(2022, 6, 30)) == pytest.approx(181 / 365)
    assert year.elapsed_share(dt.date(2022, 12, 31)) == 1.0
    assert year.elapsed_share(dt.date(2030, 1, 1)) == 1.0


def test_contains():
    assert periods.year(2022).contains(periods.quarter(2022, 4))
    assert not periods.year(2022).contains(periods.school_year(2022))
    assert periods.school_year(2021).contains_day(dt.date(2022, 8, 31))
    assert not periods.school_year(2021).contains_day(dt.date(2022, 9, 1))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9999", "Kỳ “9999”: năm 9999 nằm ngoài khoảng 1900–2100."),
        ("0000-05", "Kỳ “0000-05”: năm 0000 nằm ngoài khoảng 1900–2100."),
        ("1899-Q4", "Kỳ “1899-Q4”: năm 1899 nằm ngoài khoảng 1900–2100."),
        ("NH2100-2101", "Kỳ “NH2100-2101”: năm 2101 nằm ngoài khoảng 1900–2100."),
        ("NK2020-9999", "Kỳ “NK2020-9999”: năm 9999 nằm ngoài khoảng 1900–2100."),
    ],
)
def test_years_outside_the_range_are_refused_in_vietnamese(code: str, message: str):
    with pytest.raises(ValueError) as refused:
        periods.parse(code)
    assert str(refused.value) == message


def test_the_years_at_the_edges_are_accepted():
    assert periods.parse("1900-01").start == dt.date(1900, 1, 1)
    assert periods.parse("2100").last_day == dt.date(2100, 12, 31)
    assert periods.parse("NK2096-2100").last_day == dt.date(2100, 12, 31)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2022-13", "Kỳ “2022-13” không đúng dạng"),
        ("Q2-2022", "Kỳ “Q2-2022” không đúng dạng"),
        ("", "Kỳ “” không đúng dạng"),
        ("NH2021-2023", "Năm học 2021-2023 phải gồm hai năm liền nhau."),
        ("NK2025-2020", "Nhiệm kỳ 2025-2020 kết thúc trước khi bắt đầu."),
    ],
)
def test_bad_codes_say_what_is_wrong(code: str, message: str):
    with pytest.raises(ValueError, match=re.escape(message)):
        periods.parse(code)


def test_of_kind_checks_the_dates_fit_the_kind():
    assert periods.of_kind("quarter", dt.date(2022, 4, 1), dt.date(2022, 7, 1)) == periods.quarter(2022, 2)
    with pytest.raises(ValueError, match=re.escape("Khoảng 2022-04-01 – 2022-08-01 không phải là một quý.")):
        periods.of_kind("quarter", dt.date(2022, 4, 1), dt.date(2022, 8, 1))
