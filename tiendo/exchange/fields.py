"""Reading and writing one field's value.

JSON is a format for machines: dates are ISO, exact decimals are strings with a dot
("82.3"), and nothing is guessed. A workbook is for people: a cell may hold a
number, a date, "Có"/"Không", a choice's Vietnamese label, or text typed the
Vietnamese way ("21.327", "82,3", "17/5/2022"). Both end in the same Python values.
Every refusal is a ValueError whose message says, in Vietnamese, what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

from tiendo.exchange.schema import (
    BOOL,
    CHOICE,
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    KEY,
    PERIOD,
    REF,
    TEXT,
    Field,
)
from tiendo.lib import periods
from tiendo.lib.text import fold
from tiendo.lib.vn import format_number, parse_date, parse_number

LOCAL_TIME = ZoneInfo(settings.TIME_ZONE)
_JSON_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_YES = {"co", "x", "true", "1", "dung"}
_NO = {"khong", "false", "0", "sai"}


def decimal_text(value: Decimal) -> str:
    """82.300000 -> "82.3", 300.000000 -> "300": the stored figure, without padding."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL_TIME)


def to_json(item: Field, value: Any) -> Any:
    """A Python value as the document holds it."""
    if value is None:
        return None
    if item.kind == DATETIME:
        return local(value).isoformat()
    if item.kind == DATE:
        return value.isoformat()
    if item.kind == DECIMAL:
        return decimal_text(Decimal(value))
    if item.kind == PERIOD and isinstance(value, periods.Period):
        return value.code
    return value


def choice_label(item: Field, value: str) -> str:
    with translation.override("vi"):
        for code, label in item.choices:
            if code == value:
                return str(label)
    return value


def _describe(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def parse(item: Field, raw: Any, *, human: bool) -> Any:
    """Read ``raw`` (a JSON value, or a cell's value when ``human``) as ``item`` says.

    ``None`` and blank text are "no value": the caller decides whether that is allowed.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip() and item.kind != TEXT):
        return None
    reader = _READERS[item.kind]
    return reader(item, raw, human)


def _text(item: Field, raw: Any, human: bool) -> str:
    if isinstance(raw, bool):
        raise ValueError(f"cần một đoạn chữ, không phải {_describe(raw)}.")
    if isinstance(raw, int | float | Decimal) and human:
        # A code typed into a cell Excel took for a number ("2022", "15").
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        raw = decimal_text(number)
    if isinstance(raw, dt.date | dt.datetime):
        raise ValueError(f"cần một đoạn chữ, nhưng ô chứa ngày {_describe(raw)}; hãy định dạng ô là Văn bản (Text).")
    if not isinstance(raw, str):
        raise ValueError(f"cần một đoạn chữ, không phải {_describe(raw)}.")
    text = raw.strip() if item.strip or item.kind in (KEY, REF) else raw
    if item.max_length is not None and len(text) > item.max_length:
        raise ValueError(f"dài {len(text)} ký tự, quá giới hạn {item.max_length} ký tự.")
    return text


def _int(item: Field, raw: Any, human: bool) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"cần một số nguyên, không phải {_describe(raw)}.")
    number: Decimal
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float | Decimal):
        number = Decimal(repr(raw)) if isinstance(raw, float) else raw
    elif isinstance(raw, str):
        try:
            number = parse_number(raw) if human else Decimal(raw.strip())
        except (ValueError, InvalidOperation):
            raise ValueError(f"“{_describe(raw)}” không phải là số nguyên.") from None
    else:
        raise ValueError(f"cần một số nguyên, không phải {_describe(raw)}.")
    if number != number.to_integral_value():
        raise ValueError(f"cần một số nguyên, không phải {format_number(number)}.")
    value = int(number)
    if item.minimum is not None and value < item.minimum:
        raise ValueError(f"{format_number(value)} nhỏ hơn mức thấp nhất cho phép ({format_number(item.minimum)}).")
    if item.maximum is not None and value > item.maximum:
        raise ValueError(f"{format_number(value)} lớn hơn mức cao nhất cho phép ({format_number(item.maximum)}).")
    return value


def _decimal(item: Field, raw: Any, human: bool) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(f"cần một số, không phải {_describe(raw)}.")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError("cần một số.")
        number = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if human:
            number = parse_number(text)  # its message is already for the user
        elif _JSON_DECIMAL.match(text):
            number = Decimal(text)
        else:
            raise ValueError(f"“{_describe(raw)}” không phải là số (trong JSON viết như 82.3 hoặc \"82.3\").")
    else:
        raise ValueError(f"cần một số, không phải {_describe(raw)}.")
    if not number.is_finite():
        raise ValueError("cần một số.")
    if item.digits is not None:
        max_digits, places = item.digits
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"{format_number(number)} có quá {places} chữ số thập phân.")
        whole = abs(int(number))
        if whole and len(str(whole)) > max_digits - places:
            raise ValueError(f"{format_number(number)} quá lớn (tối đa {max_digits - places} chữ số phần nguyên).")
    return number


def _date(item: Field, raw: Any, human: bool) -> dt.date:
    if isinstance(raw, dt.datetime):
        if not human:
            raise ValueError("cần một ngày.")
        if raw.time() != dt.time(0):
            raise ValueError(f"cần một ngày, không kèm giờ ({_describe(raw)}).")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"cần một ngày, không phải {_describe(raw)}.")
    if human:
        return parse_date(raw)
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", raw.strip()):
            raise ValueError
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"“{_describe(raw)}” không phải là ngày theo dạng năm-tháng-ngày (ví dụ 2022-05-17).") from None


def _datetime(item: Field, raw: Any, human: bool) -> dt.datetime:
    if isinstance(raw, dt.datetime) and human:
        moment = raw
    elif isinstance(raw, str):
        try:
            moment = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            raise ValueError(
                f"“{_describe(raw)}” không phải là thời điểm theo dạng ISO (ví dụ 2024-03-05T14:07:09+07:00)."
            ) from None
    else:
        raise ValueError(f"cần một thời điểm, không phải {_describe(raw)}.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)  # a time without zone is Hà Nội time
    return moment


def _bool(item: Field, raw: Any, human: bool) -> bool:
    if isinstance(raw, bool):
        return raw
    if human and isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if human and isinstance(raw, str):
        folded = fold(raw).strip()
        if folded in _YES:
            return True
        if folded in _NO:
            return False
    expected = "“Có” hoặc “Không”" if human else "true hoặc false"
    raise ValueError(f"cần {expected}, không phải “{_describe(raw)}”.")


def _choice(item: Field, raw: Any, human: bool) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"“{_describe(raw)}” không phải là một lựa chọn hợp lệ.")
    text = raw.strip()
    with translation.override("vi"):
        options = [(code, str(label)) for code, label in item.choices]
    for code, label in options:
        if text == code or (human and fold(text) == fold(label)):
            return code
    listed = ", ".join(f"{label} ({code})" if human else code for code, label in options)
    raise ValueError(f"“{_describe(raw)}” không phải là một lựa chọn hợp lệ; chọn một trong: {listed}.")


def _period(item: Field, raw: Any, human: bool) -> periods.Period:
    if isinstance(raw, dt.date | dt.datetime):
        raise ValueError(
            f"ô chứa ngày {_describe(raw)} thay cho mã kỳ (Excel tự đổi “2022-05” thành ngày); "
            "hãy định dạng ô là Văn bản (Text) và ghi lại mã kỳ."
        )
    if isinstance(raw, int) and not isinstance(raw, bool) and human:
        raw = str(raw)
    if isinstance(raw, float) and human and raw.is_integer():
        raw = str(int(raw))
    if not isinstance(raw, str):
        raise ValueError(f"“{_describe(raw)}” không phải là mã kỳ.")
    return periods.parse(raw)


_READERS = {
    KEY: _text,
    REF: _text,
    TEXT: _text,
    INT: _int,
    DECIMAL: _decimal,
    DATE: _date,
    DATETIME: _datetime,
    BOOL: _bool,
    CHOICE: _choice,
    PERIOD: _period,
}
