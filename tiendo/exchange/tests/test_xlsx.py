"""The workbook for people: how it looks, and what people may type into it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from tiendo.exchange.export import build_document
from tiendo.exchange.importer import import_bytes, read_bytes
from tiendo.exchange.schema import VALUES, empty_document
from tiendo.exchange.tests.conftest import Data, counts
from tiendo.exchange.xlsx import write_workbook
from tiendo.indicators.models import DataValue


@pytest.fixture
def workbook(data: Data) -> Any:
    return load_workbook(io.BytesIO(write_workbook(build_document())))


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_of(sheet: Any, **wanted: Any) -> int:
    headers = {cell.value: cell.column for cell in sheet[1]}
    for number in range(2, sheet.max_row + 1):
        if all(sheet.cell(number, headers[h]).value == v for h, v in wanted.items()):
            return number
    raise AssertionError(f"no row with {wanted}")


def test_the_guide_comes_first_and_every_column_has_a_vietnamese_header(workbook):
    assert workbook.sheetnames[0] == "Hướng dẫn"
    assert workbook["Danh mục"].sheet_state == "hidden"
    sheet = workbook["Số liệu"]
    assert [c.value for c in sheet[1]][:5] == ["Mã chỉ tiêu", "Khóa đơn vị", "Kỳ", "Giá trị", "Số liệu tính đến ngày"]
    guide = "\n".join(str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value)
    for field in VALUES.fields:
        assert field.label in guide


def test_keys_are_hidden_and_locked_other_cells_open(workbook):
    sheet = workbook["Đơn vị"]
    assert sheet.column_dimensions["A"].hidden
    assert sheet.protection.sheet and not sheet.protection.insertRows
    assert sheet["A2"].protection.locked and not sheet["B2"].protection.locked


def test_numbers_are_numbers_dates_are_dates_choices_are_labels(workbook, data):
    sheet = workbook["Số liệu"]
    row = _row_of(sheet, **{"Mã chỉ tiêu": "TL_DO"})
    assert sheet.cell(row, 4).value == 82.35
    assert sheet.cell(row, 4).number_format == '#,##0.00"%"'
    assert sheet.cell(row, 9).value == "Đã duyệt"
    estimate = _row_of(sheet, **{"Mã chỉ tiêu": "CAY", "Kỳ": "2025"})
    assert sheet.cell(estimate, 5).value == dt.datetime(2025, 9, 30)
    assert sheet.cell(estimate, 5).number_format == "d/m/yyyy"
    assert sheet.cell(estimate, 6).value == "Có"
    assert sheet.cell(estimate, 14).value == "Phường Mới"  # the name people read next to the key
    population = workbook["Kế thừa"]
    assert population["D2"].value == 3000 and population["D2"].number_format == "#,##0"


def test_people_may_type_numbers_dates_and_choices_the_vietnamese_way(workbook, data):
    """A new row typed by hand: "1.234,5", "17/5/2023", "Đã gửi", "có"; it is a new
    figure, appended to the history, and everything else is already there."""
    sheet = workbook["Số liệu"]
    new = sheet.max_row + 1
    typed = {1: "CAY", 2: f"u{data.tree.ward_a1.pk}", 3: "2023", 4: "1.234,5", 5: "17/5/2023", 6: "có",
             7: "Số liệu quý II", 9: "Đã gửi"}
    for column, value in typed.items():
        sheet.cell(new, column, value)
    before = counts()

    report = import_bytes(_save(workbook), "du-lieu.xlsx")

    assert report.ok, "\n".join(map(str, report.problems))
    assert report.counts["Số liệu"] == {"mới": 1, "đã có": len(build_document()["values"]) - 1}
    assert counts()["DataValue"] == before["DataValue"] + 1
    figure = DataValue.objects.get(indicator__code="CAY", unit=data.tree.ward_a1, period_start=dt.date(2023, 1, 1))
    assert (figure.value, figure.measured_on, figure.is_estimate, figure.state) == (
        Decimal("1234.5"), dt.date(2023, 5, 17), True, DataValue.State.SUBMITTED
    )


def test_changing_a_recorded_figure_in_place_is_refused_with_what_to_do(workbook, data):
    sheet = workbook["Số liệu"]
    row = _row_of(sheet, **{"Mã chỉ tiêu": "HS_DO"})
    sheet.cell(row, 4, 95)
    before = counts()
    report = import_bytes(_save(workbook), "du-lieu.xlsx")
    assert counts() == before
    [problem] = map(str, report.problems)
    assert problem.startswith(f"Số liệu, dòng {row}: Số liệu “nhập lúc ")
    assert "Giá trị: đang là “90”, tệp ghi “95”" in problem


def test_a_correction_is_a_new_row_with_its_reason(workbook, data):
    sheet = workbook["Số liệu"]
    new = sheet.max_row + 1
    for column, value in {1: "HS_DO", 2: f"u{data.tree.ward_a1.pk}", 3: "2022", 4: 95}.items():
        sheet.cell(new, column, value)
    report = import_bytes(_save(workbook), "du-lieu.xlsx")
    assert [str(p) for p in report.problems] == [
        f"Số liệu, dòng {new}, cột Lý do thay đổi (L): Số liệu đã gửi hoặc đã duyệt; cần ghi lý do thay đổi."
    ]
    sheet.cell(new, 12, "Sửa theo biên bản")
    assert import_bytes(_save(workbook), "du-lieu.xlsx").ok
    assert DataValue.objects.get(indicator__code="HS_DO", is_current=True).value == 95


def test_a_period_excel_turned_into_a_date_is_explained(workbook, data):
    sheet = workbook["Số liệu"]
    new = sheet.max_row + 1
    for column, value in {1: "MO_HINH", 2: f"u{data.tree.ward_a1.pk}", 3: dt.datetime(2023, 5, 1), 4: 1}.items():
        sheet.cell(new, column, value)
    [problem] = [str(p) for p in import_bytes(_save(workbook), "du-lieu.xlsx").problems]
    assert problem.startswith(f"Số liệu, dòng {new}, cột Kỳ (C): Ô chứa ngày 2023-05-01 00:00:00 thay cho mã kỳ")


def test_figures_with_more_digits_than_a_spreadsheet_number_are_kept_as_text(db):
    document = empty_document()
    document["values"] = [{"indicator": "X", "unit": "u1", "period": "2022", "value": "12345678901234.123456"}]
    sheet = load_workbook(io.BytesIO(write_workbook(document)))["Số liệu"]
    assert sheet["D2"].value == "12.345.678.901.234,123456"
    bundle, problems, _warnings, human = read_bytes(write_workbook(document), "x.xlsx")
    assert human and not problems
    from tiendo.exchange.fields import parse

    assert parse(VALUES.field("value"), bundle["values"][0].raw["value"], human=True) == Decimal("12345678901234.123456")


def test_an_account_missing_here_is_a_warning_not_an_error(data: Data):
    document = build_document()
    document["values"].append({
        "indicator": "CAY", "unit": f"u{data.tree.ward_a1.pk}", "period": "2023", "value": "7", "entered_by": "nguoi-khac",
    })
    from tiendo.exchange.export import dumps

    report = import_bytes(dumps(document).encode(), "du-lieu.json")
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        f"values, dòng {len(document['values'])}, cột entered_by: Không có tài khoản “nguoi-khac” trong hệ thống này; "
        "dòng được ghi mà không gắn tài khoản."
    ]


def test_people_may_add_a_unit_with_its_first_figure(workbook, data):
    units, versions, figures = workbook["Đơn vị"], workbook["Phiên bản đơn vị"], workbook["Số liệu"]
    row = units.max_row + 1
    for column, value in enumerate(["moi-1", "Tổ dân phố", dt.datetime(2024, 1, 1)], 1):
        units.cell(row, column, value)
    row = versions.max_row + 1
    for column, value in enumerate(["moi-1", "1/1/2024", None, "Tổ dân phố số 9", None, f"u{data.tree.new_ward.pk}"], 1):
        versions.cell(row, column, value)
    row = figures.max_row + 1
    for column, value in enumerate(["SO_HO", "moi-1", "2025", 250], 1):
        figures.cell(row, column, value)
    before = counts()

    report = import_bytes(_save(workbook), "du-lieu.xlsx")

    assert not report.ok  # the new ward did not exist on 1/1/2024: the file is refused, row and column named
    assert [str(p) for p in report.problems] == [
        f"Phiên bản đơn vị, dòng {versions.max_row}: Đơn vị cấp trên “Phường Mới” không tồn tại vào ngày 1/1/2024: "
        "đơn vị bắt đầu từ 1/7/2025, sự kiện ở trước khi đơn vị tồn tại."
    ]
    assert counts() == before
    units.cell(units.max_row, 3, dt.datetime(2025, 8, 1))
    versions.cell(versions.max_row, 2, "1/8/2025")
    report = import_bytes(_save(workbook), "du-lieu.xlsx")
    assert report.ok, "\n".join(map(str, report.problems))
    assert report.counts["Đơn vị"] == {"mới": 1, "đã có": len(build_document()["units"]) - 1}
    assert DataValue.objects.get(indicator__code="SO_HO", unit__versions__name="Tổ dân phố số 9").value == 250


def test_a_row_of_a_nested_sheet_must_name_its_parent(workbook):
    versions = workbook["Phiên bản đơn vị"]
    versions.cell(versions.max_row + 1, 1, "khong-co")
    versions.cell(versions.max_row, 2, "1/1/2024")
    versions.cell(versions.max_row, 4, "Tên")
    [problem] = [str(p) for p in import_bytes(_save(workbook), "du-lieu.xlsx").problems]
    assert problem == (
        f"Phiên bản đơn vị, dòng {versions.max_row}, cột Khóa đơn vị (A): "
        "Không có dòng nào ở trang “Đơn vị” có khóa “khong-co”."
    )
