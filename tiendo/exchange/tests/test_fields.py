"""One value at a time: what JSON (for machines) and cells (for people) may hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tiendo.exchange.fields import LOCAL_TIME, parse, to_json
from tiendo.exchange.schema import SECTIONS
from tiendo.lib import periods

VALUE = SECTIONS["values"].field("value")
STATE = SECTIONS["values"].field("state")
ESTIMATE = SECTIONS["values"].field("is_estimate")
MEASURED = SECTIONS["values"].field("measured_on")
ENTERED = SECTIONS["values"].field("entered_at")
PERIOD = SECTIONS["values"].field("period")
CODE = SECTIONS["unit_versions"].field("code")
NAME = SECTIONS["unit_versions"].field("name")
POPULATION = SECTIONS["links"].field("population")
SHARE = SECTIONS["links"].field("share")


@pytest.mark.parametrize(
    ("item", "raw", "human", "expected"),
    [
        (VALUE, "82.3", False, Decimal("82.3")),
        (VALUE, Decimal("82.3"), False, Decimal("82.3")),
        (VALUE, 21327, False, Decimal(21327)),
        (VALUE, "21.327", True, Decimal(21327)),
        (VALUE, "82,3", True, Decimal("82.3")),
        (VALUE, 82.35, True, Decimal("82.35")),
        (STATE, "approved", False, "approved"),
        (STATE, "Đã duyệt", True, "approved"),
        (STATE, "da duyet", True, "approved"),
        (ESTIMATE, True, False, True),
        (ESTIMATE, "Có", True, True),
        (ESTIMATE, "không", True, False),
        (ESTIMATE, 0, True, False),
        (MEASURED, "2022-05-17", False, dt.date(2022, 5, 17)),
        (MEASURED, "17/5/2022", True, dt.date(2022, 5, 17)),
        (MEASURED, dt.datetime(2022, 5, 17), True, dt.date(2022, 5, 17)),
        (ENTERED, "2024-03-05T14:07:09.123456+07:00", False, dt.datetime(2024, 3, 5, 7, 7, 9, 123456, tzinfo=dt.UTC)),
        (ENTERED, dt.datetime(2024, 3, 5, 14, 7), True, dt.datetime(2024, 3, 5, 14, 7, tzinfo=LOCAL_TIME)),
        (PERIOD, "2022-Q2", False, periods.quarter(2022, 2)),
        (PERIOD, 2022, True, periods.year(2022)),
        (CODE, 15, True, "15"),
        (CODE, "  P001 ", False, "P001"),
        (POPULATION, 3000.0, True, 3000),
        (POPULATION, "3.000", True, 3000),
        (SHARE, "0.75", False, Decimal("0.75")),
        (VALUE, None, False, None),
        (VALUE, "  ", True, None),
    ],
)
def test_accepted(item, raw, human, expected):
    assert parse(item, raw, human=human) == expected


@pytest.mark.parametrize(
    ("item", "raw", "human", "message"),
    [
        (VALUE, "82,3", False, "không phải là số"),
        (VALUE, "1.5", True, "không phải là số viết đúng cách"),
        (VALUE, "1.1234567", False, "quá 6 chữ số thập phân"),
        (VALUE, "123456789012345", False, "quá lớn"),
        (VALUE, True, False, "cần một số"),
        (VALUE, float("nan"), True, "cần một số"),
        (VALUE, [1], False, "cần một số"),
        (SHARE, "0.1234567", False, "quá 6 chữ số thập phân"),
        (STATE, "xong", False, "chọn một trong: draft, submitted, approved"),
        (STATE, 3, False, "không phải là một lựa chọn hợp lệ"),
        (ESTIMATE, "yes", False, "cần true hoặc false"),
        (ESTIMATE, "có lẽ", True, "cần “Có” hoặc “Không”"),
        (MEASURED, "17/5/2022", False, "năm-tháng-ngày"),
        (MEASURED, "2022-02-30", False, "năm-tháng-ngày"),
        (MEASURED, "31/2/2023", True, "không tồn tại"),
        (MEASURED, dt.datetime(2022, 5, 17, 8, 30), True, "không kèm giờ"),
        (MEASURED, 5, True, "cần một ngày"),
        (ENTERED, "hôm qua", False, "dạng ISO"),
        (ENTERED, 5, False, "cần một thời điểm"),
        (PERIOD, dt.datetime(2022, 5, 1), True, "Excel tự đổi"),
        (PERIOD, 2022, False, "không phải là mã kỳ"),
        (PERIOD, "Q2-2022", False, "không đúng dạng"),
        (CODE, 15, False, "cần một đoạn chữ"),
        (CODE, dt.date(2022, 1, 1), True, "định dạng ô là Văn bản"),
        (CODE, "x" * 31, False, "quá giới hạn 30 ký tự"),
        (NAME, True, True, "cần một đoạn chữ"),
        (POPULATION, -1, False, "nhỏ hơn mức thấp nhất"),
        (POPULATION, 1.5, True, "cần một số nguyên"),
        (POPULATION, "nhiều", True, "không phải là số nguyên"),
        (POPULATION, False, False, "cần một số nguyên"),
        (POPULATION, 2**40, False, "lớn hơn mức cao nhất"),
    ],
)
def test_refused(item, raw, human, message):
    with pytest.raises(ValueError, match=message):
        parse(item, raw, human=human)


def test_written_as_the_document_holds_it():
    assert to_json(VALUE, Decimal("82.300000")) == "82.3"
    assert to_json(VALUE, Decimal("300.000000")) == "300"
    assert to_json(VALUE, Decimal("-0.000000")) == "0"
    assert to_json(PERIOD, periods.school_year(2021)) == "NH2021-2022"
    assert to_json(ENTERED, dt.datetime(2024, 3, 5, 7, 7, 9, tzinfo=dt.UTC)) == "2024-03-05T14:07:09+07:00"
