"""The one place that writes numbers and dates the Vietnamese way.

Thousands are grouped with ".", decimals follow ",", and "%" comes with no space:
21.327; 82,3%; 9,25 ha; 1.536,246. Dates in running text are not padded (17/5/2022).
Django's ``vi`` locale leaves NUMBER_GROUPING unset, so we do not rely on it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

Number = int | float | Decimal


def _to_decimal(value: Number | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def format_number(value: Number | None, decimals: int | None = None) -> str:
    """21327 -> "21.327"; 9.25 -> "9,25"; with ``decimals`` the value is rounded half up.

    Without ``decimals`` trailing zeros are dropped (82.30 -> "82,3"), so that a
    stored figure reads as it was written in the source.
    """
    if value is None:
        return ""
    number = _to_decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{abs(number):.{decimals}f}"
    else:
        text = f"{abs(number):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _point, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 and (whole.strip("0") or fraction.strip("0")) else ""
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_percent(value: Number | None, decimals: int | None = None) -> str:
    """82.3 -> "82,3%" (the value is already a percentage, not a fraction)."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)}%"


def format_date(value: dt.date | None) -> str:
    """Running-text date, not padded: 17/5/2022."""
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{value.year}"


def format_place_date(place: str, value: dt.date, *, padded: bool) -> str:
    """The place-and-date line of a document.

    State documents (Nghị định 30/2020) pad days under 10 and months 1–2:
    "Long Biên, ngày 05 tháng 02 năm 2023"; Party documents do not pad.
    """
    if padded:
        day = f"{value.day:02d}"
        month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    else:
        day, month = str(value.day), str(value.month)
    return f"{place}, ngày {day} tháng {month} năm {value.year}"


_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(text: str) -> dt.date:
    """Read "17/5/2022" (or ISO "2022-05-17", which date inputs send).

    Raises ValueError with a message for the user (in the active language) on anything else.
    """
    match = _DATE_RE.match(text or "")
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        iso = _ISO_RE.match(text or "")
        if not iso:
            raise ValueError(
                _("“%(text)s” không phải là ngày hợp lệ (viết theo dạng ngày/tháng/năm, ví dụ 17/5/2022).")
                % {"text": text}
            )
        year, month, day = (int(g) for g in iso.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            _("Ngày %(date)s không tồn tại.") % {"date": f"{day}/{month}/{year}"}
        ) from None


_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(,\d+)?$")


def parse_number(text: str) -> Decimal:
    """Read a number typed the Vietnamese way: "21.327" -> 21327, "82,3" -> 82.3.

    A dot is only ever a thousands separator, so it must group digits in threes;
    "1.5" is refused rather than guessed.
    """
    raw = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not (_GROUPED.match(raw) or _PLAIN.match(raw)):
        raise ValueError(
            _(
                "“%(text)s” không phải là số viết đúng cách "
                "(dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân: 21.327 hoặc 82,3)."
            )
            % {"text": text}
        )
    try:
        return Decimal(raw.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the patterns above admit only valid decimals
        raise ValueError(_("“%(text)s” không phải là số.") % {"text": text}) from None
