"""Reporting periods (kỳ báo cáo): month, quarter, year, school year, term.

A period is a half-open date interval [start, end) with a kind. Codes are what the
exchange format and URLs use: "2022-05", "2022-Q2", "2022", "NH2021-2022",
"NK2020-2025". A school year runs from 1 September to 31 August. A term
"2020-2025" runs from 1/1/2020 to 31/12/2025. Codes name years from 1900 to 2100.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    SCHOOL_YEAR = "school_year"
    TERM = "term"


# How many months each fixed kind spans; a term spans what its code says.
MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12, PeriodKind.SCHOOL_YEAR: 12}

# Lower case: they go inside sentences ("báo cáo theo quý").
KIND_LABELS = {
    PeriodKind.MONTH: gettext_lazy("tháng"),
    PeriodKind.QUARTER: gettext_lazy("quý"),
    PeriodKind.YEAR: gettext_lazy("năm"),
    PeriodKind.SCHOOL_YEAR: gettext_lazy("năm học"),
    PeriodKind.TERM: gettext_lazy("nhiệm kỳ"),
}

# The years a code may name: enough for any plan, and far from what ``datetime`` refuses.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: PeriodKind

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        if self.kind is PeriodKind.SCHOOL_YEAR:
            return f"NH{self.start.year}-{self.end.year}"
        return f"NK{self.start.year}-{self.last_day.year}"

    @property
    def label(self) -> str:
        """How a report names the period, in the active language: "quý II/2022",
        "năm học 2021-2022" (in English "quarter II/2022", "school year 2021-2022")."""
        if self.kind is PeriodKind.MONTH:
            return _("tháng %(month)s/%(year)s") % {"month": self.start.month, "year": self.start.year}
        if self.kind is PeriodKind.QUARTER:
            return _("quý %(roman)s/%(year)s") % {"roman": ROMAN[(self.start.month - 1) // 3 + 1], "year": self.start.year}
        if self.kind is PeriodKind.YEAR:
            return _("năm %(year)s") % {"year": self.start.year}
        if self.kind is PeriodKind.SCHOOL_YEAR:
            return _("năm học %(first)s-%(last)s") % {"first": self.start.year, "last": self.end.year}
        return _("nhiệm kỳ %(first)s-%(last)s") % {"first": self.start.year, "last": self.last_day.year}

    def __str__(self) -> str:
        return self.label

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods of the same kind later (earlier when negative):
        the quarter before 2022-Q1 is 2021-Q4."""
        if self.kind is PeriodKind.TERM:
            raise ValueError(_("Nhiệm kỳ không có kỳ liền trước, liền sau cố định."))
        months = MONTHS[self.kind] * steps
        return Period(_add_months(self.start, months), _add_months(self.end, months), self.kind)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def contains_day(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def elapsed_share(self, on: dt.date) -> float:
        """The share of the period gone by at the end of ``on`` (0 before, 1 after)."""
        if on < self.start:
            return 0.0
        if on >= self.last_day:
            return 1.0
        return ((on - self.start).days + 1) / (self.end - self.start).days

    def parts(self, kind: PeriodKind) -> list[Period]:
        """The periods of ``kind`` that make up this one, in order: a year's quarters."""
        if kind is PeriodKind.TERM:
            raise ValueError(_("Nhiệm kỳ không chia nhỏ thành nhiệm kỳ."))
        step = MONTHS[kind]
        first = self.start
        if kind is PeriodKind.YEAR and first.month != 1:
            first = dt.date(first.year + 1, 1, 1)
        if kind is PeriodKind.SCHOOL_YEAR:
            first = dt.date(first.year if first.month <= 9 else first.year + 1, 9, 1)
            if first < self.start:
                first = dt.date(first.year + 1, 9, 1)
        if kind is PeriodKind.QUARTER and (first.month - 1) % 3:
            first = _add_months(first, 3 - (first.month - 1) % 3)
        result = []
        while _add_months(first, step) <= self.end:
            result.append(Period(first, _add_months(first, step), kind))
            first = _add_months(first, step)
        return result


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    return Period(start, _add_months(start, 1), PeriodKind.MONTH)


def quarter(year: int, number: int) -> Period:
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    return Period(start, _add_months(start, 3), PeriodKind.QUARTER)


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number + 1, 1, 1), PeriodKind.YEAR)


def school_year(first_year: int) -> Period:
    """Năm học first_year-(first_year+1): 1 September to 31 August."""
    return Period(dt.date(first_year, 9, 1), dt.date(first_year + 1, 9, 1), PeriodKind.SCHOOL_YEAR)


def term(first_year: int, last_year: int) -> Period:
    if last_year < first_year:
        raise ValueError(
            _("Nhiệm kỳ %(first)s-%(last)s kết thúc trước khi bắt đầu.") % {"first": first_year, "last": last_year}
        )
    return Period(dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1), PeriodKind.TERM)


def containing(kind: PeriodKind | str, day: dt.date) -> Period:
    """The period of ``kind`` that ``day`` falls in: 2024-Q3 for 15/8/2024."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        return month(day.year, day.month)
    if kind is PeriodKind.QUARTER:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind is PeriodKind.YEAR:
        return year(day.year)
    if kind is PeriodKind.SCHOOL_YEAR:
        return school_year(day.year if day.month >= 9 else day.year - 1)
    raise ValueError(_("Nhiệm kỳ không suy ra được từ một ngày."))


def of_kind(kind: PeriodKind | str, start: dt.date, end: dt.date) -> Period:
    """Rebuild a stored period, checking that its dates fit its kind."""
    period = Period(start, end, PeriodKind(kind))
    if period.kind is not PeriodKind.TERM and parse(period.code) != period:
        raise ValueError(
            _("Khoảng %(start)s – %(end)s không phải là một %(kind)s.")
            % {"start": start, "end": end, "kind": KIND_LABELS[period.kind]}
        )
    return period


_PATTERNS = [
    (re.compile(r"^(\d{4})-(0?[1-9]|1[0-2])$"), lambda m: month(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-[QqIi]([1-4])$"), lambda m: quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})$"), lambda m: year(int(m[1]))),
    (re.compile(r"^NH(\d{4})-(\d{4})$", re.I), lambda m: _school_year_checked(int(m[1]), int(m[2]))),
    (re.compile(r"^NK(\d{4})-(\d{4})$", re.I), lambda m: term(int(m[1]), int(m[2]))),
]


def _school_year_checked(first: int, second: int) -> Period:
    if second != first + 1:
        raise ValueError(_("Năm học %(first)s-%(second)s phải gồm hai năm liền nhau.") % {"first": first, "second": second})
    return school_year(first)


def parse(code: str) -> Period:
    """Read a period code; a Vietnamese ValueError says what is wrong."""
    text = (code or "").strip()
    for pattern, build in _PATTERNS:
        match = pattern.match(text)
        if match:
            # The four-digit groups are the years (a month or quarter number is shorter).
            for year_text in (group for group in match.groups() if len(group) == 4):
                if not FIRST_YEAR <= int(year_text) <= LAST_YEAR:
                    raise ValueError(
                        _("Kỳ “%(code)s”: năm %(year)s nằm ngoài khoảng %(first)s–%(last)s.")
                        % {"code": code, "year": year_text, "first": FIRST_YEAR, "last": LAST_YEAR}
                    )
            return build(match)
    raise ValueError(
        _(
            "Kỳ “%(code)s” không đúng dạng (ví dụ: 2022-05 cho tháng, 2022-Q2 cho quý, 2022 cho năm, "
            "NH2021-2022 cho năm học, NK2020-2025 cho nhiệm kỳ)."
        )
        % {"code": code}
    )
