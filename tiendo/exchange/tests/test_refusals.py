"""Bad files are refused whole: every problem named by section or sheet, row, column
and reason in Vietnamese, and not one row written."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from tiendo.exchange.export import build_document, dumps
from tiendo.exchange.importer import import_bytes, import_file
from tiendo.exchange.tests.conftest import Data, counts
from tiendo.exchange.xlsx import write_workbook
from tiendo.lib.vn import format_number


def refused(content: bytes | dict[str, Any], name: str = "du-lieu.json") -> list[str]:
    """Import ``content``; assert it is refused with nothing written; the problems as printed."""
    if isinstance(content, dict):
        content = dumps(content).encode()
    before = counts()
    report = import_bytes(content, name)
    assert not report.ok, "the file was accepted"
    assert counts() == before, "something was written"
    return [str(problem) for problem in report.problems]


@pytest.fixture
def document(data: Data) -> dict[str, Any]:
    return build_document()


def u(unit: Any) -> str:
    return f"u{unit.pk}"


def with_value(document: dict[str, Any], **fields: Any) -> tuple[dict[str, Any], int]:
    """The document with one more value row; returns it and the row's number."""
    changed = copy.deepcopy(document)
    changed["values"].append({"indicator": "CAY", "period": "2023", "value": "10", **fields})
    return changed, len(changed["values"])


def test_an_unchanged_export_imports_cleanly_so_each_refusal_below_is_the_edit(document):
    assert import_bytes(dumps(document).encode(), "du-lieu.json").ok


def test_unknown_indicator_code(document, data):
    changed, row = with_value(document, indicator="KHONG_CO", unit=u(data.tree.ward_a1))
    assert refused(changed) == [
        f"values, dòng {row}, cột indicator: Không có chỉ tiêu nào mã “KHONG_CO” (trong tệp hay trong cơ sở dữ liệu)."
    ]


def test_wrong_value_type(document, data):
    changed, row = with_value(document, unit=u(data.tree.ward_a1), value="mười")
    changed["values"].append({"indicator": "CAY", "unit": u(data.tree.ward_a2), "period": "2023", "value": True})
    changed["values"].append({"indicator": "MO_HINH", "unit": u(data.tree.ward_a1), "period": "2023-06", "value": "2"})
    problems = refused(changed)
    assert problems[0] == (
        f"values, dòng {row}, cột value: “mười” không phải là số (trong JSON viết như 82.3 hoặc \"82.3\")."
    )
    assert problems[1] == f"values, dòng {row + 1}, cột value: Cần một số, không phải True."
    assert problems[2].startswith(f"values, dòng {row + 2}, cột value: Chỉ tiêu “MO_HINH” nhận giá trị có (1) hoặc không (0)")


def test_percent_over_100_where_the_indicator_does_not_allow_it(document, data):
    changed, row = with_value(document, indicator="TL_DO", unit=u(data.tree.district), value="120.5")
    assert refused(changed) == [
        f"values, dòng {row}, cột value: Tỷ lệ của chỉ tiêu “TL_DO” phải từ 0 đến 100%, không phải 120,5%."
    ]
    allowed, _ = with_value(document, indicator="TL_GD", unit=u(data.tree.tdp_a1_1), value="115")
    assert import_bytes(dumps(allowed).encode(), "du-lieu.json", dry_run=True).ok  # its own maximum is 120


def test_period_that_does_not_match_the_frequency(document, data):
    changed, row = with_value(document, unit=u(data.tree.ward_a1), period="2023-Q1")
    changed["values"].append({"indicator": "CAY", "unit": u(data.tree.ward_a1), "period": "2023-13", "value": "1"})
    problems = refused(changed)
    assert problems[0] == (
        f"values, dòng {row}, cột period: Chỉ tiêu “CAY” báo cáo theo năm, không nhận số liệu theo quý (quý I/2023)."
    )
    assert problems[1].startswith(f"values, dòng {row + 1}, cột period: Kỳ “2023-13” không đúng dạng")


def test_target_or_value_for_a_unit_that_did_not_exist_in_the_period(document, data):
    changed, row = with_value(document, unit=u(data.tree.district), period="2026")
    changed["targets"].append({"indicator": "CAY", "unit": u(data.tree.new_ward), "period": "2010", "value": "5"})
    target_row = len(changed["targets"])
    assert refused(changed) == [
        f"targets, dòng {target_row}, cột unit: Đơn vị “Phường Mới” không tồn tại trong năm 2010 (từ 1/7/2025); "
        "không thể ghi chỉ tiêu.",
        f"values, dòng {row}, cột unit: Đơn vị “Quận A” không tồn tại trong năm 2026 (6/11/2003 – 30/6/2025); "
        "không thể ghi số liệu.",
    ]


def test_a_unit_of_the_file_is_checked_against_its_own_dates(document):
    changed = copy.deepcopy(document)
    changed["units"].append({
        "key": "moi-1", "kind": "ward", "valid_from": "2024-01-01",
        "versions": [{"valid_from": "2024-01-01", "name": "Phường thử", "parent": changed["units"][0]["key"]}],
    })
    changed["values"].append({"indicator": "CAY", "unit": "moi-1", "period": "2023", "value": "1"})
    assert refused(changed) == [
        f"values, dòng {len(changed['values'])}, cột unit: Đơn vị “Phường thử” không tồn tại trong năm 2023 "
        "(từ 1/1/2024); không thể ghi số liệu."
    ]


def test_unknown_unit_key(document):
    changed, row = with_value(document, unit="u999999")
    changed["units"][1]["versions"][0]["parent"] = "khong-co"
    assert refused(changed) == [
        "units, dòng 2, cột versions[1].parent: Không có đơn vị nào có khóa “khong-co” (trong tệp hay trong cơ sở dữ liệu).",
        f"values, dòng {row}, cột unit: Không có đơn vị nào có khóa “u999999” (trong tệp hay trong cơ sở dữ liệu).",
    ]


def test_duplicate_rows(document, data):
    changed, row = with_value(document, unit=u(data.tree.ward_a1))
    changed["values"].append(dict(changed["values"][-1]))
    changed["targets"].append(dict(changed["targets"][0], key="g-moi"))
    changed["indicators"].append(dict(changed["indicators"][0]))
    changed["units"].append(copy.deepcopy(changed["units"][0]))
    problems = refused(changed)
    assert f"units, dòng {len(changed['units'])}, cột key: Khóa “{changed['units'][0]['key']}” đã dùng ở dòng 1." in problems
    assert f"indicators, dòng {len(changed['indicators'])}, cột code: Mã “{changed['indicators'][0]['code']}” đã dùng ở dòng 1." in problems
    assert (
        f"targets, dòng {len(changed['targets'])}, cột period: Đơn vị đã có chỉ tiêu giao cho chỉ tiêu và kỳ này ở dòng 1."
        in problems
    )
    assert (
        f"values, dòng {row + 1}, cột entered_at: Trùng chỉ tiêu, đơn vị và kỳ với dòng {row}; nếu đây là lịch sử thay đổi, "
        "ghi “Nhập lúc” cho từng dòng, cũ trước mới sau." in problems
    )


def test_every_problem_of_a_file_is_listed_not_only_the_first(document, data):
    changed, row = with_value(document, indicator="KHONG_CO", unit=u(data.tree.ward_a1))
    changed["values"].append({"indicator": "CAY", "unit": "u999999", "period": "2023", "value": "x"})
    changed["sources"][0]["url"] = "khong phai dia chi"
    changed["indicators"][0]["value_type"] = "so"
    problems = refused(changed)
    assert [p.split(":")[0] for p in problems] == [
        "sources, dòng 1, cột url",
        "sources, dòng 1",  # and it is a source of the database, which the file may not change
        "indicators, dòng 1, cột value_type",
        f"values, dòng {row}, cột indicator",
        f"values, dòng {row + 1}, cột value",
        f"values, dòng {row + 1}, cột unit",
    ]


def test_broken_and_truncated_json(db):
    text = '{"format": "tiendo-exchange",\n "version": 1,\n "units": [{"key": "u1",, }]}'
    assert refused(text.encode()) == ["Tệp JSON, dòng 3, cột 25: JSON hỏng (Expecting property name enclosed in double quotes)."]
    truncated = '{"format": "tiendo-exchange",\n "version": 1,\n "units": [{"key": "u1'
    assert refused(truncated.encode()) == [
        "Tệp JSON, dòng 3, cột 20: JSON bị cắt cụt: tệp kết thúc giữa chừng (Unterminated string starting at)."
    ]
    assert refused(b"") == ["Tệp JSON: Tệp rỗng."]
    assert refused(b"[]") == ["Tệp JSON: Tệp phải là một đối tượng JSON {…} với các phần units, values…."]


def test_a_truncated_export_is_refused(document):
    text = dumps(document)
    problems = refused(text[: len(text) // 2].encode())
    assert len(problems) == 1 and "JSON bị cắt cụt" in problems[0]


def test_the_document_header_and_unknown_fields(document):
    changed = copy.deepcopy(document)
    changed["format"] = "khac"
    del changed["sources"]
    changed["value"] = []
    changed["targets"][0]["gia_tri"] = "1"
    assert refused(changed) == [
        "Tệp JSON, cột format: Không phải tệp trao đổi của tiendo (cần \"format\": \"tiendo-exchange\").",
        "Tệp JSON, cột value: Phần này không có trong định dạng.",
        "sources: Thiếu phần này (ghi [] nếu không có dòng nào).",
        "targets, dòng 1, cột gia_tri: Trường này không có trong định dạng.",
    ]


def test_a_file_named_xlsx_that_is_not_a_workbook(db):
    assert refused(b"day khong phai tep excel", "du-lieu.xlsx") == ["Tệp Excel: Tệp không phải là tệp Excel (.xlsx) hợp lệ."]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "xin chào")
    assert refused(archive.getvalue(), "du-lieu.xlsx") == [
        "Tệp Excel: Tệp không phải là tệp Excel (.xlsx) đọc được (KeyError)."
    ]


def _workbook(document: dict[str, Any]) -> Any:
    return load_workbook(io.BytesIO(write_workbook(document)))


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_missing_sheets_and_columns(document):
    workbook = _workbook(document)
    del workbook["Số liệu"]
    workbook["Chỉ tiêu giao"].delete_cols(5)  # Mức chỉ tiêu
    assert refused(_save(workbook), "du-lieu.xlsx") == [
        "Chỉ tiêu giao, dòng 1, cột Mức chỉ tiêu: Thiếu cột này (không xóa hay đổi tên cột).",
        "Số liệu: Thiếu trang tính này (không xóa hay đổi tên trang tính).",
    ]


def test_a_formula_is_refused_with_its_cell(document):
    workbook = _workbook(document)
    sheet = workbook["Số liệu"]
    sheet["D3"] = "=D2*2"
    problems = refused(_save(workbook), "du-lieu.xlsx")
    assert problems == [
        "Số liệu, dòng 3, cột Giá trị (D): Ô D3 chứa công thức “=D2*2”; hãy thay bằng giá trị (sao chép rồi dán giá trị)."
    ]


def test_errors_in_a_workbook_name_sheet_row_and_column_header(document, data):
    workbook = _workbook(document)
    sheet = workbook["Số liệu"]
    last = sheet.max_row + 1
    for column, value in enumerate(["TL_DO", u(data.tree.district), "2023", "150"], 1):
        sheet.cell(last, column, value)
    sheet.cell(last + 1, 1, "CAY")
    sheet.cell(last + 1, 2, u(data.tree.ward_a1))
    sheet.cell(last + 1, 3, "2023")
    sheet.cell(last + 1, 4, "1.5")
    assert refused(_save(workbook), "du-lieu.xlsx") == [
        f"Số liệu, dòng {last}, cột Giá trị (D): Tỷ lệ của chỉ tiêu “TL_DO” phải từ 0 đến 100%, không phải 150%.",
        f"Số liệu, dòng {last + 1}, cột Giá trị (D): “1.5” không phải là số viết đúng cách "
        "(dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân: 21.327 hoặc 82,3).",
    ]


def test_a_file_over_the_size_limit_is_refused(document, settings, tmp_path):
    content = dumps(document).encode()
    settings.EXCHANGE_MAX_BYTES = len(content) - 1
    problem = (
        f"Tệp: Tệp nặng {format_number(len(content))} byte, quá giới hạn {format_number(len(content) - 1)} byte "
        "(EXCHANGE_MAX_BYTES)."
    )
    assert refused(content) == [problem]
    path = tmp_path / "du-lieu.json"
    path.write_bytes(content)
    before = counts()
    report = import_file(path)
    assert [str(p) for p in report.problems] == [problem] and counts() == before


def test_a_refusal_by_a_service_while_writing_rolls_everything_back(document, data):
    """A unit of the file is created, then a value is refused by record_value (figures of
    one indicator and period at one level only): the unit is gone again."""
    changed = copy.deepcopy(document)
    changed["units"].append({
        "key": "moi-1", "kind": "tdp", "valid_from": "2020-01-01", "valid_to": "2025-07-01",
        "versions": [{"valid_from": "2020-01-01", "valid_to": "2025-07-01", "name": "Tổ dân phố mới",
                      "parent": u(data.tree.ward_a2)}],
    })
    changed["values"].append({"indicator": "CAY", "unit": "moi-1", "period": "2022", "value": "5"})
    problems = refused(changed)
    assert problems == [
        f"values, dòng {len(changed['values'])}: Đơn vị “Phường A2 mới” đã có số liệu chỉ tiêu “CAY” năm 2022; số liệu "
        "của một chỉ tiêu trong một kỳ chỉ nhập ở một cấp (cấp trên được tổng hợp tự động)."
    ]


def test_an_existing_row_that_differs_is_refused_not_overwritten(document):
    changed = copy.deepcopy(document)
    changed["indicators"][0]["name"] = "Tên khác"
    changed["units"][0]["versions"][0]["name"] = "Thành phố Khác"
    key, code = changed["units"][0]["key"], changed["indicators"][0]["code"]
    problems = refused(changed)
    assert problems[0].startswith(
        f"units, dòng 1: Đơn vị “{key}” đã có trong cơ sở dữ liệu nhưng khác tệp: các dòng ở trang “Phiên bản đơn vị” "
        "khác với dữ liệu đã có."
    )
    assert problems[1].startswith(
        f"indicators, dòng 1: Chỉ tiêu “{code}” đã có trong cơ sở dữ liệu nhưng khác tệp: Tên chỉ tiêu: đang là"
    )


def test_a_damaged_workbook_is_refused_not_crashed_on(document):
    original = io.BytesIO(write_workbook(document))
    damaged = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = content[: len(content) // 2]  # cut in the middle of the XML
            target.writestr(info, content)
    problems = refused(damaged.getvalue(), "du-lieu.xlsx")
    assert problems and all("hỏng" in p or "không phải là tệp Excel" in p for p in problems)
