"""A review report's tables as an Excel workbook, for people who work on the figures.

A first sheet "Thông tin" holds what the document's header says (issuing body,
number, date, subject); then one sheet per table: its title, its header row (frozen,
and repeated on every printed page), its rows, and its source note.

Figures stay numbers Excel can add up. A number format is a code, not what people
see: ``#,##0.0`` shows as 21.327,5 in an Excel set to Vietnamese and as 21,327.5 in
one set to English, because Excel takes the separators from the computer's regional
settings; no format can force "." for thousands everywhere. A percentage column
holds the percentage itself (82.3, as ``ColumnKind.PERCENT`` says) with the format
``#,##0.0"%"``: the cell shows 82,3% and a formula on it sees 82,3, the same
convention as the exchange and reporting workbooks (decision 0013). Excel's own
"%" format would need 0.823 in the cell, and a figure copied out of it would no
longer match the document. A figure that a double would change (more than about 15
significant digits) is written as Vietnamese text, as in the other workbooks.
A missing figure is an empty cell, with a line under the table saying so.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tiendo.lib.vn import format_number
from tiendo.reviews.document import Column, ColumnKind, OfficialDocument, Table
from tiendo.reviews.writers import layout as lay

INFO_SHEET = "Thông tin"
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 3, 4
DATE_FORMAT = "d/m/yyyy"
LANDSCAPE_COLUMNS = 6
LANDSCAPE_WIDTH = 100  # characters of column width beyond which a sheet prints landscape
MISSING_NOTE = "Ô để trống: chưa có số liệu."

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")


def write_xlsx(document: OfficialDocument) -> bytes:
    """The document's header and tables as the bytes of an .xlsx file."""
    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = INFO_SHEET
    _info_sheet(info, document)
    used = {INFO_SHEET.casefold()}
    tables = [block for block in document.body if isinstance(block, Table)]
    for number, table in enumerate(tables, start=1):
        name = sheet_name(table.title, number, used)
        used.add(name.casefold())
        _table_sheet(workbook.create_sheet(name), table)
    header = document.header
    workbook.properties.title = lay.nfc(f"{header.doc_type} {header.subject}")
    workbook.properties.creator = lay.nfc(header.issuing_body)
    workbook.properties.language = "vi-VN"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name(title: str, number: int, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, not
    starting or ending with an apostrophe, unique in the workbook (case ignored)."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", lay.nfc(title))
    base = " ".join(base.split()).strip("'") or f"Bảng {number}"
    candidate = base[:SHEET_NAME_MAX].rstrip().rstrip("'")
    suffix = 2
    while candidate.casefold() in used or not candidate:
        tail = f" ({suffix})"
        candidate = base[: SHEET_NAME_MAX - len(tail)].rstrip().rstrip("'") + tail
        suffix += 1
    return candidate


def _info_sheet(sheet: Worksheet, document: OfficialDocument) -> None:
    header = document.header
    sheet["A1"] = lay.nfc(f"{header.doc_type.upper()} {header.subject}")
    sheet["A1"].font = TITLE_FONT
    rows: list[tuple[str, object]] = [
        ("Cơ quan cấp trên", header.superior_body),
        ("Cơ quan ban hành", header.issuing_body),
        ("Số, ký hiệu", lay.number_line(header)),
        ("Địa danh", header.place),
        ("Ngày", header.date),
        ("Loại văn bản", header.doc_type),
        ("Trích yếu", header.subject),
        ("Tình trạng", lay.DRAFT_MARK.capitalize() if document.draft else "Đã ban hành"),
    ]
    rows += [("Ghi chú", note) for note in document.notes]
    for offset, (label, value) in enumerate(rows):
        row = 3 + offset
        sheet.cell(row=row, column=1, value=label).font = BOLD
        cell = sheet.cell(row=row, column=2, value=lay.nfc(value) if isinstance(value, str) else value)
        cell.alignment = WRAP
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text, even if it starts with "="
        else:
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left", vertical="top")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    _print_setup(sheet, landscape=False, title_row=None)


def places_of(value: Decimal) -> int:
    """The decimals a figure has as stored, trailing zeros dropped: 82.350 → 2, 497.00 → 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _number_format(column: Column, value: Decimal) -> str:
    # A column without fixed decimals shows each figure as stored, like the DOCX and
    # PDF do: an integer next to a 2-decimal figure must not read "497,00".
    decimals = places_of(value) if column.decimals is None else column.decimals
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return digits + '"%"' if column.kind is ColumnKind.PERCENT else digits


def _exact(value: Decimal) -> int | float | str:
    """The figure as an Excel number, or as Vietnamese text when a double would change it."""
    number = value.normalize()
    as_float = float(number)
    if Decimal(repr(as_float)) != number:
        return format_number(value)
    if number == number.to_integral_value() and abs(as_float) < 2**53:
        return int(number)
    return as_float


def _table_sheet(sheet: Worksheet, table: Table) -> None:
    columns = table.columns
    title = sheet.cell(row=TITLE_ROW, column=1, value=lay.nfc(table.title))
    title.font = TITLE_FONT
    title.data_type = "s"
    widths = [max(8, min(60, len(lay.nfc(column.title)) + 2)) for column in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=lay.nfc(column.title))
        cell.data_type = "s"
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = GRID
    missing = False
    for offset, data in enumerate(table.rows):
        row = FIRST_ROW + offset
        for index, (column, value) in enumerate(zip(columns, data.cells, strict=False), start=1):
            cell = sheet.cell(row=row, column=index)
            cell.border = GRID
            if data.heading:
                cell.font = BOLD
            if value is None:
                missing = missing or (lay.is_numeric(column) and not data.heading)
                continue
            if isinstance(value, str):
                cell.value = lay.nfc(value)
                cell.data_type = "s"
                cell.alignment = WRAP if not lay.is_numeric(column) else Alignment(horizontal="right", vertical="top")
                shown = len(cell.value)
            else:
                cell.value = _exact(Decimal(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.alignment = Alignment(horizontal="right", vertical="top")
                else:
                    if lay.is_numeric(column):
                        cell.number_format = _number_format(column, Decimal(value))
                    elif isinstance(cell.value, int):
                        cell.number_format = "#,##0"
                    cell.alignment = Alignment(vertical="top")
                shown = len(lay.cell_text(value, column))
            widths[index - 1] = max(widths[index - 1], min(60, shown + 2))
    notes = [table.note] if table.note else []
    if missing:
        notes.append(MISSING_NOTE)
    for offset, note in enumerate(notes):
        cell = sheet.cell(row=FIRST_ROW + len(table.rows) + 1 + offset, column=1, value=lay.nfc(note))
        cell.data_type = "s"
        cell.font = NOTE_FONT
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    wide = len(columns) > LANDSCAPE_COLUMNS or sum(widths) > LANDSCAPE_WIDTH
    _print_setup(sheet, landscape=wide, title_row=HEADER_ROW)


def _print_setup(sheet: Worksheet, *, landscape: bool, title_row: int | None) -> None:
    """A4, one page wide (as many pages tall as it takes), the header row on each page."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_row is not None:
        sheet.print_title_rows = f"{title_row}:{title_row}"
