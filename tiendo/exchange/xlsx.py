"""The exchange document as an Excel workbook, for people.

One sheet per section (a nested list gets a sheet of its own whose first columns
repeat its parent's key), Vietnamese headers in row 1, one row per row. Numbers are
numbers shown the Vietnamese way, dates are dates, yes/no is "Có"/"Không", choices
are their Vietnamese labels with a drop-down list. Each sheet's own key column is
hidden and its filled cells locked (the sheet is protected without a password, so
people can still add rows and unhide the column). A first sheet, "Hướng dẫn",
explains every column. Reading accepts what writing produces, and what people type
into it; a formula is refused with its cell, since its value is not a figure anyone
entered.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tiendo.exchange.export import ExportError
from tiendo.exchange.fields import choice_label, local, parse
from tiendo.exchange.rows import Bundle, Origin, Problem, Row, empty_bundle
from tiendo.exchange.schema import (
    BOOL,
    CHOICE,
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    KEY,
    PERIOD,
    SECTIONS,
    TOP_LEVEL,
    Field,
    Section,
    all_sections,
    children,
)
from tiendo.lib.vn import format_number
from tiendo.lib.workbooks import zip_contents

GUIDE = "Hướng dẫn"
LISTS = "Danh mục"
WORKBOOK = "Tệp Excel"
MAX_CELL = 32767  # characters Excel keeps in a cell
YES, NO = "Có", "Không"
DATE_FORMAT = "d/m/yyyy"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUPED_INTS = {"population"}
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


def _number_format(value: Decimal, percent: bool) -> str:
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = "#,##0" + ("." + "0" * places if places else "")
    return text + '"%"' if percent else text


def _exact_float(value: Decimal) -> float | None:
    """The float that writes ``value`` exactly, or None when a float would change it."""
    number = float(value)
    return number if Decimal(repr(number)) == value else None


class _Index:
    """Names looked up in the document itself, for the columns people read."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.unit_names = {
            u["key"]: (u.get("versions") or [{}])[-1].get("name", "") for u in document.get("units", [])
        }
        self.indicators = {i["code"]: i for i in document.get("indicators", [])}

    def info(self, name: str, row: dict[str, Any]) -> str:
        if name == "parent_name":
            return self.unit_names.get(row.get("parent"), "")
        if name == "predecessor_name":
            return self.unit_names.get(row.get("predecessor"), "")
        if name == "successor_name":
            return self.unit_names.get(row.get("successor"), "")
        if name == "unit_name":
            return self.unit_names.get(row.get("unit"), "")
        if name == "indicator_name":
            return str(self.indicators.get(row.get("indicator"), {}).get("name", ""))
        return ""

    def is_percent(self, row: dict[str, Any]) -> bool:
        return self.indicators.get(row.get("indicator"), {}).get("value_type") == "percent"


def _flat_rows(document: dict[str, Any], section: Section) -> list[dict[str, Any]]:
    """The rows of a sheet: a top-level section's rows, or every nested row with its parent's key."""
    if section.parent is None:
        return list(document.get(section.json_name, []))
    parent = SECTIONS[section.parent]
    rows = []
    for parent_row in document.get(parent.json_name, []):
        for item in parent_row.get(section.json_name, []):
            links = {f.name: parent_row.get(f.link_to or "") for f in section.link_fields}
            rows.append({**links, **item})
    return rows


def write_workbook(document: dict[str, Any]) -> bytes:
    """The document as an .xlsx file."""
    workbook = Workbook()
    guide = workbook.active
    assert guide is not None
    guide.title = GUIDE
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    index = _Index(document)
    problems: list[str] = []
    list_ranges: dict[tuple[str, str], str] = {}
    for section in all_sections():
        sheet = workbook.create_sheet(section.sheet)
        _write_sheet(sheet, section, _flat_rows(document, section), index, lists, list_ranges, problems)
    _write_guide(guide)
    if problems:
        raise ExportError(problems)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _list_range(lists: Worksheet, item: Field, ranges: dict[tuple[str, str], str]) -> str:
    """A column of the hidden list sheet holding ``item``'s choices, for drop-downs."""
    options = [YES, NO] if item.kind == BOOL else [choice_label(item, code) for code, _label in item.choices]
    signature = (item.kind, "|".join(options))
    if signature not in ranges:
        column = len(ranges) + 1
        letter = get_column_letter(column)
        lists.cell(1, column, item.label)
        for row, option in enumerate(options, 2):
            lists.cell(row, column, option)
        ranges[signature] = f"'{LISTS}'!${letter}$2:${letter}${len(options) + 1}"
    return ranges[signature]


def _write_sheet(
    sheet: Worksheet,
    section: Section,
    rows: list[dict[str, Any]],
    index: _Index,
    lists: Worksheet,
    list_ranges: dict[tuple[str, str], str],
    problems: list[str],
) -> None:
    for column, item in enumerate(section.fields, 1):
        cell = sheet.cell(1, column, item.label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.protection = LOCKED
        letter = get_column_letter(column)
        dimension = sheet.column_dimensions[letter]
        dimension.width = _width(item)
        dimension.protection = UNLOCKED
        if item.kind in (KEY, PERIOD, DATETIME) or item.kind == "ref" or (item.kind == "text" and not item.info):
            dimension.number_format = "@"
        elif item.kind == DATE:
            dimension.number_format = DATE_FORMAT
        if item.kind == KEY:
            dimension.hidden = True
        if item.kind in (CHOICE, BOOL):
            validation = DataValidation(type="list", formula1=_list_range(lists, item, list_ranges), allow_blank=True)
            validation.error = "Chọn một giá trị trong danh sách."
            validation.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, 2):
        for column, item in enumerate(section.fields, 1):
            value = index.info(item.name, row) if item.info else row.get(item.name)
            cell = sheet.cell(number, column)
            try:
                _put(cell, item, value, percent=item.name == "value" and index.is_percent(row))
            except (IllegalCharacterError, ValueError) as error:
                problems.append(
                    f"{section.sheet}, dòng {number}, cột {item.label}: không ghi được vào Excel ({error}); hãy xuất JSON."
                )
            cell.protection = LOCKED if item.kind == KEY or item.info else UNLOCKED
    sheet.protection.sheet = True
    for allowed in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
        setattr(sheet.protection, allowed, False)


def _width(item: Field) -> float:
    if item.kind in (DATE, INT, BOOL, PERIOD):
        return 14
    if item.kind == DECIMAL:
        return 16
    if item.kind == DATETIME:
        return 34
    return 40 if item.name in ("name", "title", "note", "definition", "how_to_count", "summary") else 22


def _put(cell: Cell, item: Field, value: Any, *, percent: bool) -> None:
    if value is None or value == "":
        return
    if item.kind == DECIMAL:
        number = Decimal(str(value))
        exact = _exact_float(number)
        if exact is None:
            # More digits than a spreadsheet number holds: kept as Vietnamese text, read back exactly.
            cell.value = format_number(number)
            cell.number_format = "@"
        else:
            cell.value = int(exact) if number == number.to_integral_value() and abs(exact) < 2**53 else exact
            cell.number_format = _number_format(number, percent)
        return
    if item.kind == INT:
        cell.value = int(value)
        cell.number_format = "#,##0" if item.name in GROUPED_INTS else "0"
        return
    if item.kind == DATE:
        cell.value = dt.date.fromisoformat(value)
        cell.number_format = DATE_FORMAT
        return
    if item.kind == DATETIME:
        _text(cell, local(dt.datetime.fromisoformat(value)).isoformat(sep=" "))
        return
    if item.kind == BOOL:
        _text(cell, YES if value else NO)
        return
    if item.kind == CHOICE:
        _text(cell, choice_label(item, value))
        return
    _text(cell, str(value))


def _text(cell: Cell, text: str) -> None:
    if len(text) > MAX_CELL:
        raise ValueError(f"dài {len(text)} ký tự, quá {MAX_CELL} ký tự một ô Excel giữ được")
    cell.value = text
    cell.data_type = "s"  # text that starts with "=" stays text, not a formula
    cell.number_format = "@"


def _write_guide(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 12
    sheet.column_dimensions["D"].width = 90
    lines = [
        ("Tệp trao đổi dữ liệu tiendo", True),
        ("Mỗi trang tính là một phần dữ liệu; dòng 1 là tên cột. Không đổi tên trang tính, không đổi tên hay xóa cột.", False),
        ("Cột “Khóa” của mỗi trang bị ẩn và khóa: nó nối dòng với dữ liệu đã có. Dòng mới có thể để trống khóa, trừ "
         "đơn vị, sự kiện, nghị quyết, chủ đề, kế hoạch, nguồn khi dòng khác cần trỏ tới (hiện cột để ghi khóa mới, "
         "ví dụ “moi-1”).", False),
        ("Số gõ theo kiểu Việt Nam (21.327; 82,3) hoặc nhập thẳng vào ô số; ngày theo ngày/tháng/năm (17/5/2022). "
         "Kỳ ghi bằng mã: 2022-05 (tháng), 2022-Q2 (quý), 2022 (năm), NH2021-2022 (năm học), NK2020-2025 (nhiệm kỳ).", False),
        ("Không dùng công thức: ô có công thức bị từ chối (sao chép rồi dán giá trị).", False),
        ("Các cột “(tham khảo)” chỉ để đọc; khi nhập, chúng bị bỏ qua.", False),
        ("Nhập là tất cả hoặc không: nếu có một lỗi, không dòng nào được ghi, và mọi lỗi được liệt kê theo trang, dòng, cột.", False),
        ("", False),
    ]
    row = 1
    for text, bold in lines:
        cell = sheet.cell(row, 1, text)
        cell.font = Font(bold=bold, size=14 if bold else 11)
        row += 1
    for section in all_sections():
        sheet.cell(row, 1, section.sheet).font = Font(bold=True)
        sheet.cell(row, 4, section.help).alignment = Alignment(wrap_text=True)
        row += 1
        for number, title in enumerate(("Cột", "Trường JSON", "Bắt buộc", "Ý nghĩa")):
            sheet.cell(row, number + 1, title).font = Font(italic=True)
        row += 1
        for item in section.fields:
            sheet.cell(row, 1, item.label)
            sheet.cell(row, 2, "—" if item.info else item.name)
            sheet.cell(row, 3, YES if item.required else "")
            sheet.cell(row, 4, _explain(item)).alignment = Alignment(wrap_text=True)
            row += 1
        row += 1
    sheet.protection.sheet = True


def _explain(item: Field) -> str:
    parts = [item.help] if item.help else []
    if item.kind == CHOICE:
        parts.append("Chọn: " + "; ".join(choice_label(item, code) for code, _label in item.choices) + ".")
    elif item.kind == BOOL:
        parts.append("Có hoặc Không.")
    elif item.kind == DATE:
        parts.append("Ngày.")
    elif item.kind == DECIMAL:
        parts.append("Số.")
    elif item.kind == INT:
        parts.append("Số nguyên.")
    elif item.kind == DATETIME:
        parts.append("Thời điểm, dạng 2024-03-05 14:07:09+07:00.")
    if item.info:
        parts.append("Chỉ để đọc.")
    if item.link_to:
        parts.append(f"Khóa của dòng cha ở trang “{_parent_sheet(item)}”.")
    return " ".join(parts)


def _parent_sheet(item: Field) -> str:
    for section in all_sections():
        if item in section.link_fields and section.parent:
            return SECTIONS[section.parent].sheet
    return ""


# --- Reading ---------------------------------------------------------------------------


def read_workbook(data: bytes) -> tuple[Bundle, list[Problem], list[Problem]]:
    """The rows of a workbook, the problems that stop the import, and warnings."""
    bundle = empty_bundle()
    limit = settings.EXCHANGE_MAX_BYTES * 10
    contents = zip_contents(data)
    if contents is None:
        return bundle, [Problem(WORKBOOK, None, None, "tệp không phải là tệp Excel (.xlsx) hợp lệ.")], []
    _entries, unpacked = contents
    if unpacked > limit:
        return bundle, [Problem(WORKBOOK, None, None, f"tệp giải nén ra {format_number(unpacked)} byte, quá giới hạn {format_number(limit)} byte.")], []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # a damaged or foreign file: openpyxl raises many kinds of error
        return bundle, [Problem(WORKBOOK, None, None, f"tệp không phải là tệp Excel (.xlsx) đọc được ({type(error).__name__}).")], []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    try:
        read: dict[str, list[Row]] = {}
        for section in all_sections():
            if section.sheet not in workbook.sheetnames:
                problems.append(Problem(section.sheet, None, None, "thiếu trang tính này (không xóa hay đổi tên trang tính)."))
                continue
            try:
                read[section.name] = _read_sheet(workbook[section.sheet], section, problems, warnings)
            except Exception as error:  # damaged XML inside the sheet
                problems.append(Problem(section.sheet, None, None, f"trang tính bị hỏng, không đọc được ({type(error).__name__})."))
        expected = {s.sheet for s in all_sections()} | {GUIDE, LISTS}
        for name in workbook.sheetnames:
            if name not in expected:
                warnings.append(Problem(name, None, None, "trang tính này không thuộc mẫu; bị bỏ qua."))
    finally:
        workbook.close()
    for top in TOP_LEVEL:
        bundle[top.name] = read.get(top.name, [])
        for child in children(top):
            _attach(bundle[top.name], read.get(child.name, []), child, problems)
    return bundle, problems, warnings


def _read_sheet(sheet: Any, section: Section, problems: list[Problem], warnings: list[Problem]) -> list[Row]:
    rows = sheet.iter_rows()
    header = next(rows, None)
    labels = {item.label: item for item in section.fields}
    names = {item.name: item for item in section.fields}
    columns: dict[int, Field] = {}
    headers: dict[str, str] = {}
    for position, cell in enumerate(header or (), 1):
        text = str(cell.value).strip() if cell.value is not None else ""
        if not text:
            continue
        item = labels.get(text) or names.get(text)
        letter = get_column_letter(position)
        if item is None:
            warnings.append(Problem(section.sheet, 1, f"{text} ({letter})", "cột này không thuộc mẫu; bị bỏ qua."))
            continue
        if item.name in headers:
            problems.append(Problem(section.sheet, 1, f"{text} ({letter})", "cột này bị lặp."))
            continue
        columns[position] = item
        headers[item.name] = f"{item.label} ({letter})"
    missing = [item for item in section.fields if not item.info and item.name not in headers]
    for item in missing:
        problems.append(Problem(section.sheet, 1, item.label, "thiếu cột này (không xóa hay đổi tên cột)."))
    if missing:
        return []
    result = []
    for number, cells in enumerate(rows, 2):
        raw: dict[str, Any] = {}
        origin = Origin(section.sheet, number, headers)
        formulas: dict[str, Problem] = {}
        for position, cell in enumerate(cells, 1):
            item = columns.get(position)
            if item is None or item.info:
                continue
            value = cell.value
            if getattr(cell, "data_type", None) == "f":
                reference = f"{get_column_letter(position)}{number}"
                formula = getattr(value, "text", value)
                formulas[item.name] = origin.problem(
                    item.name,
                    f"ô {reference} chứa công thức “{formula}”; hãy thay bằng giá trị (sao chép rồi dán giá trị).",
                )
                continue
            if isinstance(value, str) and not value.strip():
                value = None
            if value is not None:
                raw[item.name] = value
        if not raw and not formulas:
            continue  # an empty row
        problems.extend(formulas.values())
        row = Row(section, raw, origin)
        row.bad.update(formulas)
        result.append(row)
    return result


def _link_value(item: Field, raw: Any) -> Any:
    try:
        return parse(item, raw, human=True)
    except ValueError:
        return raw


def _attach(parents: list[Row], kids: list[Row], child: Section, problems: list[Problem]) -> None:
    """Hang each row of a child sheet under the row of the parent sheet it names."""
    parent_section = SECTIONS[child.parent or ""]
    links = child.link_fields
    by_key: dict[tuple[Any, ...], Row] = {}
    for parent in parents:
        key = tuple(_link_value(parent_section.field(f.link_to or ""), parent.raw.get(f.link_to or "")) for f in links)
        by_key.setdefault(key, parent)
    for kid in kids:
        key = tuple(_link_value(f, kid.raw.get(f.name)) for f in links)
        found = by_key.get(key)
        if found is None:
            shown = " / ".join("" if v is None else str(v) for v in key)
            problems.append(kid.problem(
                links[0].name,
                f"không có dòng nào ở trang “{parent_section.sheet}” có khóa “{shown}”.",
            ))
            continue
        kid.parent = found
        found.children.setdefault(child.name, []).append(kid)
