"""Excel and CSV data entry for reporting rounds (nhập số liệu bằng tệp Excel, CSV).

A *template* is an .xlsx workbook with one sheet per unit: the round, the unit and
the due date on top, then one row per indicator of the data set (STT, tên chỉ tiêu,
đơn vị tính, kỳ trước, chỉ tiêu, giá trị, ghi chú). Only the value and note cells a
reporter may change now are unlocked; figures already sent or approved are shown
greyed and locked. The codes that tie cells back to the database (round, units,
indicators) sit on a "very hidden", protected sheet, and the workbook's structure is
locked, so a sheet cannot be deleted or renamed by accident.

Sheets per unit rather than units as columns: each unit has its own workflow state
(a sheet can be locked while the next is open), its own last-period figures,
targets and notes; the sheet of a multi-unit template is exactly the single-unit
form, so there is one layout to write, read and explain, and a sheet prints as the
paper form a ward fills in.

*Uploading* reads a filled template (openpyxl read-only) or a CSV file
(``ma_don_vi;ma_chi_tieu;gia_tri;ghi_chu``, docs/data-formats.md) into
``services.Entry`` rows and saves them all with ``services.save_figures`` in one
transaction: on any problem nothing is written and every problem is listed with its
sheet and cell (or CSV line). The file is checked like the exchange importer checks
its workbooks (tiendo/exchange/xlsx.py, decision 0013): its size before it is
opened, the uncompressed size of the zip (a zip bomb), and formulas refused cell by
cell. Those checks are repeated here rather than imported, because no app may
import ``exchange`` (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tiendo.indicators.models import DataValue, Indicator, Target
from tiendo.lib.periods import Period, PeriodKind
from tiendo.lib.vn import format_date, format_number, parse_number
from tiendo.lib.workbooks import zip_contents
from tiendo.orgs.models import UnitVersion
from tiendo.reporting import services
from tiendo.reporting.models import Round, Submission

# --- The layout (also read back: change it only with FORMAT_VERSION) --------------------

FORMAT_VERSION = 1
MARKER = "tiendo-mau-bao-cao"  # first cell of the codes sheet: this is one of our templates
CODES_SHEET = "Mã"  # not translated: the reader looks for it by name
HEADER_ROW = 6
FIRST_ROW = 7
COL_NUMBER, COL_NAME, COL_UOM, COL_PREVIOUS, COL_TARGET, COL_VALUE, COL_NOTE, COL_CODE = range(1, 9)
LAST_COL = COL_CODE
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
UNPACK_RATIO = 10  # a workbook may unpack to this many times the upload limit (as the exchange importer)
MAX_ZIP_ENTRIES = 20_000  # a template of 1 000 units has about 1 010 parts
# The largest magnitude a figure may have (DataValue.value: 20 digits, 6 of them decimals).
LARGEST = Decimal("99999999999999.999999")
DECIMAL_PLACES = 6

CSV_UNIT, CSV_INDICATOR, CSV_VALUE, CSV_NOTE = "ma_don_vi", "ma_chi_tieu", "gia_tri", "ghi_chu"
CSV_COLUMNS = (CSV_UNIT, CSV_INDICATOR, CSV_VALUE, CSV_NOTE)
CSV_REQUIRED = (CSV_UNIT, CSV_INDICATOR, CSV_VALUE)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
MUTED_FONT = Font(color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # where to type
LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")  # shown, not changeable
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
# STT, name, unit of measure, previous period, target, value, note, code (hidden).
COLUMN_WIDTHS = (6, 55, 12, 16, 16, 16, 40, 14)
LINE_HEIGHT = 15  # points: one line of the default 11-point font


# --- What a template shows ------------------------------------------------------------------


@dataclass
class TemplateRow:
    indicator: Indicator
    section: str
    previous: Decimal | None  # the unit's figure of the period before
    target: Decimal | None  # the target of the shortest period containing the round's
    value: Decimal | None  # the figure in force
    note: str
    editable: bool


@dataclass
class UnitForm:
    """One unit's sheet: its submission, its name and code in the round's period, rows."""

    submission: Submission
    name: str
    code: str
    may_report: bool
    rows: list[TemplateRow] = field(default_factory=list)
    sheet: str = ""


def unit_labels(unit_ids: Iterable[int], period: Period) -> dict[int, tuple[str, str]]:
    """Each unit's (name, code) as it stood at the end of ``period`` (or, for a unit
    ended earlier, as it last stood; for one founded later, as it first stood)."""
    found: dict[int, tuple[str, str]] = {}
    ids = list(unit_ids)
    for chunk in range(0, len(ids), 900):
        versions = (
            UnitVersion.objects.filter(unit_id__in=ids[chunk : chunk + 900])
            .order_by("unit_id", "valid_from")
            .values_list("unit_id", "name", "code", "valid_from")
        )
        for unit_id, name, code, valid_from in versions:
            if valid_from < period.end or unit_id not in found:
                found[unit_id] = (name, code)
    return found


def sheet_names(names: Sequence[str], reserved: Iterable[str] = ()) -> list[str]:
    """Sheet names for these unit names: without the characters Excel refuses, at most
    31 characters, unique (Excel compares them ignoring case)."""
    taken = {name.casefold() for name in reserved}
    result = []
    for name in names:
        base = SHEET_NAME_FORBIDDEN.sub("-", name).strip().strip("'") or "Đơn vị"
        candidate = base[:SHEET_NAME_MAX]
        number = 2
        while candidate.casefold() in taken:
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _previous_period(period: Period) -> Period | None:
    if period.kind is PeriodKind.TERM:
        return None  # a term has no fixed period before it
    return period.shifted(-1)


def template_forms(user: Any, round_: Round, submissions: Sequence[Submission]) -> list[UnitForm]:
    """What the sheets of these submissions show, read in a fixed number of queries."""
    for submission in submissions:
        submission.round = round_  # one Round object: its data set and period are read once
    items = list(round_.data_set.items.select_related("indicator").order_by("order", "pk"))
    indicators = [item.indicator for item in items]
    indicator_ids = [i.pk for i in indicators]
    unit_ids = [s.unit_id for s in submissions]
    labels = unit_labels(unit_ids, round_.period)
    reportable = services.reportable_unit_ids(user, unit_ids)
    currents = services.current_values(submissions)
    previous: dict[tuple[int, int], Decimal] = {}
    before = _previous_period(round_.period)
    targets: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for chunk in range(0, len(unit_ids), 900):
        part = unit_ids[chunk : chunk + 900]
        if before is not None:
            rows = DataValue.objects.filter(
                unit_id__in=part,
                indicator_id__in=indicator_ids,
                period_kind=before.kind.value,
                period_start=before.start,
                is_current=True,
            ).values_list("unit_id", "indicator_id", "value")
            previous.update({(unit_id, indicator_id): value for unit_id, indicator_id, value in rows})
        found = Target.objects.filter(
            unit_id__in=part,
            indicator_id__in=indicator_ids,
            period_start__lte=round_.period_start,
            period_end__gte=round_.period_end,
        ).values_list("unit_id", "indicator_id", "period_start", "period_end", "value")
        for unit_id, indicator_id, start, end, value in found:
            length = (end - start).days  # the most specific target: the quarter's before the year's
            key = (unit_id, indicator_id)
            if key not in targets or length < targets[key][0]:
                targets[key] = (length, value)
    forms = []
    for submission in submissions:
        name, code = labels.get(submission.unit_id) or (str(submission.unit), "")
        may = submission.unit_id in reportable
        editable = services.editable_indicator_ids(submission, indicator_ids) if may else set()
        form = UnitForm(submission, name, code, may)
        for item in items:
            indicator = item.indicator
            current = currents.get((submission.pk, indicator.pk))
            target = targets.get((submission.unit_id, indicator.pk))
            form.rows.append(
                TemplateRow(
                    indicator=indicator,
                    section=item.section,
                    previous=previous.get((submission.unit_id, indicator.pk)),
                    target=target[1] if target else None,
                    value=current.value if current else None,
                    note=current.note if current else "",
                    editable=indicator.pk in editable,
                )
            )
        forms.append(form)
    forms.sort(key=lambda f: (f.code or "\uffff", f.name, f.submission.unit_id))
    for form, name in zip(forms, sheet_names([f.name for f in forms], reserved=[CODES_SHEET, _guide_title()]), strict=True):
        form.sheet = name
    return forms


# --- Writing ---------------------------------------------------------------------------------


def _guide_title() -> str:
    return _("Hướng dẫn")


def _plain(value: Decimal) -> str:
    """A number as Excel's formulas write it (a point, no grouping): 0.5, 100."""
    text = f"{value.normalize():f}"
    return text


def _exact_float(value: Decimal) -> float | None:
    """The float that holds ``value`` exactly, or None when a double would change it."""
    number = float(value)
    return number if Decimal(repr(number)) == value else None


def _number_format(indicator: Indicator) -> str:
    # A format code, not what people see: a Vietnamese Excel shows "#,##0.0" as 21.327,5.
    # No "%" in it: typing "82,3%" would make Excel store 0,823 (see the guide sheet).
    return "#,##0" + ("." + "0" * indicator.decimals if indicator.decimals else "")


def _cell_number(value: Decimal) -> int | float | str:
    """A figure as a spreadsheet number, or as Vietnamese text when a double would
    change it (more than about 15 significant digits; read back exactly)."""
    number = value.normalize()
    exact = _exact_float(number)
    if exact is None:
        return format_number(value)
    if number == number.to_integral_value() and abs(exact) < 2**53:
        return int(exact)
    return exact


def validation_for(indicator: Indicator) -> tuple[str, str, Decimal | None, Decimal | None]:
    """(type, error message, minimum, maximum) for the value cells of an indicator:
    what ``indicators.services.check_value`` will accept, told to Excel."""
    low, high = indicator.min_value, indicator.max_value
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return "whole", _("Nhập 1 (có) hoặc 0 (không)."), Decimal(0), Decimal(1)
    if indicator.is_percent and high is None:
        low = max(low, Decimal(0)) if low is not None else Decimal(0)
        high = Decimal(100)
    if low is not None and high is not None:
        message = _("Nhập một số từ %(low)s đến %(high)s.") % {"low": format_number(low), "high": format_number(high)}
    elif low is not None:
        message = _("Nhập một số không nhỏ hơn %(low)s.") % {"low": format_number(low)}
    elif high is not None:
        message = _("Nhập một số không lớn hơn %(high)s.") % {"high": format_number(high)}
    else:
        message = _("Nhập một số, không nhập chữ.")
    return "decimal", message, low, high


def _data_validation(kind: str, message: str, low: Decimal | None, high: Decimal | None) -> DataValidation:
    if low is not None and high is not None:
        operator, first, second = "between", _plain(low), _plain(high)
    elif low is not None:
        operator, first, second = "greaterThanOrEqual", _plain(low), None
    elif high is not None:
        operator, first, second = "lessThanOrEqual", _plain(high), None
    else:  # still a number check: text in a value cell is refused as it is typed
        operator, first, second = "between", _plain(-LARGEST.to_integral_value()), _plain(LARGEST.to_integral_value())
    validation = DataValidation(
        type=kind, operator=operator, formula1=first, formula2=second, allow_blank=True, showErrorMessage=True
    )
    validation.errorStyle = "stop"
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.error = message
    return validation


class _Cells:
    """Styled write-only cells. openpyxl looks every style object up in the
    workbook's tables when it is set on a cell; setting them once per kind of cell
    and copying the resulting style indexes keeps a 100 000-row template fast."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.prototypes: dict[tuple[Any, ...], WriteOnlyCell] = {}

    def __call__(
        self,
        value: Any,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        protection: Protection = LOCKED,
        number_format: str | None = None,
        alignment: Alignment | None = None,
    ) -> WriteOnlyCell:
        key = (id(font), id(fill), id(protection), number_format, id(alignment))
        prototype = self.prototypes.get(key)
        if prototype is None:
            prototype = WriteOnlyCell(self.sheet)
            if font is not None:
                prototype.font = font
            if fill is not None:
                prototype.fill = fill
            prototype.protection = protection
            if number_format is not None:
                prototype.number_format = number_format
            if alignment is not None:
                prototype.alignment = alignment
            self.prototypes[key] = prototype
        cell = WriteOnlyCell(self.sheet, value)
        cell._style = copy(prototype._style)
        if isinstance(value, str):
            cell.data_type = "s"  # text that starts with "=" stays text, never a formula
        return cell


def _status_line(form: UnitForm) -> str:
    submission = form.submission
    if not form.may_report:
        return _("Bạn chỉ được xem báo cáo này: mọi ô đều khóa.")
    if submission.state == Submission.State.APPROVED:
        return _("Báo cáo đã được duyệt: số liệu đã khóa (ô xám); cần người duyệt mở lại mới sửa được.")
    if submission.state == Submission.State.SUBMITTED:
        return _("Báo cáo đã gửi, đang chờ duyệt: số liệu đã khóa (ô xám).")
    if submission.state == Submission.State.RETURNED:
        text = _("Báo cáo bị trả lại: chỉ sửa được các ô nền vàng; ô xám đã khóa.")
        if submission.review_comment:
            text += " " + _("Ý kiến người duyệt: %(comment)s") % {"comment": submission.review_comment}
        return text
    return _("Nhập số vào cột “Giá trị” (ô nền vàng), ghi chú vào cột “Ghi chú”. Ô để trống: số đã có được giữ nguyên.")


def row_numbers(rows: Sequence[TemplateRow]) -> list[int]:
    """The sheet row of each indicator: from FIRST_ROW on, a group heading taking a
    row of its own before the first indicator of each group."""
    numbers = []
    number = FIRST_ROW
    section = ""
    for row in rows:
        if row.section and row.section != section:
            section = row.section
            number += 1
        numbers.append(number)
        number += 1
    return numbers


def _write_unit_sheet(workbook: Workbook, round_: Round, form: UnitForm, to_unit: str) -> None:
    sheet = workbook.create_sheet(form.sheet)
    numbers = row_numbers(form.rows)
    last_row = numbers[-1] if numbers else HEADER_ROW
    # openpyxl's write-only sheets leave out <dimension> (the size is not known before
    # the rows are streamed); a reader, openpyxl's read-only mode included, then parses
    # the whole sheet just to learn its size. Here the size is known in advance.
    sheet.calculate_dimension = lambda: f"A1:{get_column_letter(LAST_COL)}{last_row}"
    for column, width in zip(range(1, LAST_COL + 1), COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(COL_CODE)].hidden = True
    sheet.freeze_panes = f"A{FIRST_ROW}"
    # Printed on paper for signing as often as it is typed in: landscape, one page wide,
    # the column headings repeated on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.row_dimensions[HEADER_ROW].height = 2 * LINE_HEIGHT
    cell = _Cells(sheet)
    period = round_.period
    unit_line = _("Đơn vị báo cáo: %(unit)s") % {"unit": form.name}
    if form.code:
        unit_line += " " + _("(mã %(code)s)") % {"code": form.code}
    unit_line += " – " + _("gửi %(unit)s") % {"unit": to_unit}
    sheet.append([cell(f"{round_.data_set.name} – {period.label}", font=TITLE_FONT)])
    sheet.append([cell(unit_line, font=BOLD)])
    sheet.append(
        [
            cell(
                _("Kỳ báo cáo: %(period)s, từ %(start)s đến %(end)s")
                % {"period": period.label, "start": format_date(period.start), "end": format_date(period.last_day)}
            )
        ]
    )
    sheet.append([cell(_("Hạn nộp: %(date)s") % {"date": format_date(round_.due_on)}, font=BOLD)])
    sheet.append([cell(_status_line(form), font=MUTED_FONT)])
    before = _previous_period(period)
    headers = [
        _("STT"),
        _("Tên chỉ tiêu"),
        _("Đơn vị tính"),
        _("Kỳ trước (%(period)s)") % {"period": before.label} if before else _("Kỳ trước"),
        _("Chỉ tiêu (kế hoạch)"),
        _("Giá trị"),
        _("Ghi chú"),
        _("Mã chỉ tiêu"),
    ]
    sheet.append([cell(text, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for text in headers])
    validated: dict[tuple[str, str, Decimal | None, Decimal | None], list[int]] = {}
    next_row = FIRST_ROW
    for number, (row, row_number) in enumerate(zip(form.rows, numbers, strict=True), 1):
        if row_number > next_row:
            # A group heading takes a row of its own; the codes sheet says which rows hold figures.
            sheet.append([None, cell(row.section, font=BOLD)])
        next_row = row_number + 1
        indicator = row.indicator
        shown = _number_format(indicator)
        # Neither Excel nor LibreOffice grows a row for wrapped text on opening: size it here.
        lines = max(_lines(indicator.display_name, COLUMN_WIDTHS[1]), _lines(row.note or "", COLUMN_WIDTHS[6]))
        if lines > 1:
            sheet.row_dimensions[row_number].height = lines * LINE_HEIGHT
        if row.editable:
            style: dict[str, Any] = {"fill": INPUT_FILL, "protection": UNLOCKED}
        else:
            style = {"fill": LOCKED_FILL, "font": MUTED_FONT, "protection": LOCKED}
        sheet.append(
            [
                cell(number),
                cell(indicator.display_name, alignment=WRAP),
                cell(indicator.unit_of_measure),
                # No cell at all where there is nothing to show: fewer cells to parse on upload.
                None if row.previous is None else cell(_cell_number(row.previous), number_format=shown),
                None if row.target is None else cell(_cell_number(row.target), number_format=shown),
                cell(None if row.value is None else _cell_number(row.value), number_format=shown, **style),
                cell(row.note or None, alignment=WRAP, **style),
                cell(indicator.code),
            ]
        )
        if row.editable:
            validated.setdefault(validation_for(indicator), []).append(row_number)
    for key, rows in validated.items():
        validation = _data_validation(*key)
        # Set at once, as ranges: adding cells one by one compares each with all before it.
        validation.sqref = MultiCellRange(_ranges(get_column_letter(COL_VALUE), rows))
        sheet.data_validations.append(validation)
    _protect(sheet)


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a column ``width`` characters wide."""
    return max(1, -(-len(text) // max(1, int(width * 1.15))))  # proportional type: ~1,15 characters per width unit


def _ranges(column: str, rows: list[int]) -> str:
    """"F7:F9 F11" for rows 7, 8, 9 and 11 of column F."""
    parts = []
    start = previous = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        parts.append(f"{column}{start}" if start == previous else f"{column}{start}:{column}{previous}")
        if row is not None:
            start = previous = row
    return " ".join(parts)


def _protect(sheet: Any) -> None:
    # No password: protection guards against slips, not against a determined user;
    # the reader checks everything again. Resizing columns and rows stays allowed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_guide(workbook: Workbook, round_: Round, to_unit: str) -> None:
    sheet = workbook.create_sheet(_guide_title())
    sheet.column_dimensions["A"].width = 110
    cell = _Cells(sheet)
    lines = [
        (_("Mẫu nhập số liệu: %(round)s") % {"round": round_}, TITLE_FONT),
        (_("Hạn nộp: %(date)s. Gửi: %(unit)s.") % {"date": format_date(round_.due_on), "unit": to_unit}, BOLD),
        (_("1. Mỗi trang tính là báo cáo của một đơn vị. Không đổi tên, không xóa trang tính; không chèn, xóa hay di chuyển dòng."), None),
        (_("2. Nhập số vào cột “Giá trị” (ô nền vàng) và ghi chú vào cột “Ghi chú”. Ô nền xám đã khóa: báo cáo đã gửi, đã duyệt, hoặc chỉ tiêu không bị trả lại."), None),
        (_("3. Nhập số, không nhập chữ. Excel tiếng Việt hiển thị 21.327 và 82,3. Tỷ lệ phần trăm nhập 82,3 (không gõ dấu %)."), None),
        (_("4. Không dùng công thức: ô có công thức bị từ chối (sao chép rồi dán giá trị)."), None),
        (_("5. Để trống ô giá trị thì số đã có được giữ nguyên: tệp không xóa số liệu."), None),
        (_("6. Tải tệp lên ở trang “Tải lên số liệu” của đợt báo cáo. Nếu có một lỗi, không số nào được lưu; mọi lỗi được liệt kê theo trang tính và ô."), None),
        (_("7. Cột “Kỳ trước” là số của đơn vị kỳ liền trước; cột “Chỉ tiêu” là chỉ tiêu được giao cho kỳ này (hoặc cho năm, nhiệm kỳ chứa kỳ này)."), None),
    ]
    for text, font in lines:
        sheet.append([cell(text, font=font, alignment=WRAP)])
    _protect(sheet)


def _write_codes(workbook: Workbook, round_: Round, forms: Sequence[UnitForm]) -> None:
    sheet = workbook.create_sheet(CODES_SHEET)
    sheet.sheet_state = "veryHidden"  # not listed by Excel's "Unhide" either
    sheet.append([MARKER, FORMAT_VERSION])
    sheet.append(["dot", round_.pk, round_.data_set.code, round_.period.code])
    sheet.append(["huong_dan", _guide_title()])
    for form in forms:
        sheet.append(["trang", form.sheet, form.submission.unit_id, form.code])
    if forms:  # every unit sheet has the same rows
        for row, number in zip(forms[0].rows, row_numbers(forms[0].rows), strict=True):
            sheet.append(["chi_tieu", number, row.indicator.code])
    _protect(sheet)


def write_template(user: Any, round_: Round, submissions: Sequence[Submission]) -> bytes:
    """The .xlsx template of these submissions of ``round_`` as ``user`` may fill it.

    Written in openpyxl's write-only mode: it streams each sheet, so a template for
    hundreds of units takes seconds and little memory."""
    forms = template_forms(user, round_, submissions)
    to_unit = unit_labels([round_.reviewing_unit_id], round_.period).get(round_.reviewing_unit_id, ("", ""))[0]
    workbook = Workbook(write_only=True)
    for form in forms:
        _write_unit_sheet(workbook, round_, form, to_unit)
    _write_guide(workbook, round_, to_unit)
    _write_codes(workbook, round_, forms)
    # Sheets cannot be added, deleted, renamed or unhidden without first lifting this.
    workbook.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading ---------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    """What a file says: the figures to save, the problems that stop the upload, and
    warnings (things ignored)."""

    entries: list[services.Entry] = field(default_factory=list)
    problems: list[services.Problem] = field(default_factory=list)
    warnings: list[services.Problem] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)  # the units the file speaks for

    def problem(self, message: str, where: str = "", submission: Submission | None = None) -> None:
        self.problems.append(services.Problem(submission, None, message, where))

    def warning(self, message: str, where: str = "", submission: Submission | None = None) -> None:
        self.warnings.append(services.Problem(submission, None, message, where))


@dataclass
class ImportResult:
    changed: int
    unchanged: int
    submissions: list[Submission]
    warnings: list[services.Problem]


class UploadRefused(Exception):
    """A file that was not saved; ``problems`` says why, nothing was written."""

    def __init__(self, problems: list[services.Problem], warnings: list[services.Problem] | None = None) -> None:
        self.problems = problems
        self.warnings = warnings or []
        super().__init__("; ".join(p.message for p in problems))


@dataclass
class _RoundIndex:
    """The round's units and indicators, looked up by what a file names them by."""

    round: Round
    by_unit: dict[int, Submission]
    indicators: dict[str, Indicator]
    reportable: set[int]

    @classmethod
    def load(cls, user: Any, round_: Round) -> _RoundIndex:
        submissions = list(round_.submissions.select_related("unit"))
        for submission in submissions:
            submission.round = round_  # one Round object: its data set and period are read once
        indicators = {item.indicator.code: item.indicator for item in round_.data_set.items.select_related("indicator")}
        by_unit = {s.unit_id: s for s in submissions}
        return cls(round_, by_unit, indicators, services.reportable_unit_ids(user, by_unit))


def _file_problem(message: str) -> ParsedFile:
    parsed = ParsedFile()
    parsed.problem(message, _("Tệp"))
    return parsed


def size_problem(size: int, limit: int) -> str:
    return _("Tệp nặng %(size)s byte, quá giới hạn %(limit)s byte. Hãy chia thành nhiều tệp nhỏ hơn.") % {
        "size": format_number(size),
        "limit": format_number(limit),
    }


def read_file(user: Any, round_: Round, data: bytes, filename: str, *, max_bytes: int | None = None) -> ParsedFile:
    """Read an uploaded .xlsx template or .csv file for ``round_``; nothing is saved.
    ``max_bytes`` is the upload limit (``REPORTING_UPLOAD_MAX_BYTES`` by default)."""
    limit = settings.REPORTING_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if not data:
        return _file_problem(_("Tệp trống (0 byte). Hãy chọn tệp mẫu đã điền số liệu."))
    if len(data) > limit:
        return _file_problem(size_problem(len(data), limit))
    name = filename.lower().strip()
    if name.endswith(".csv"):
        return read_csv(user, round_, data)
    if name.endswith(".xlsx"):
        return read_xlsx(user, round_, data, max_unpacked=limit * UNPACK_RATIO)
    if name.endswith((".xls", ".ods", ".xlsm", ".xlsb")):
        return _file_problem(_("Chỉ nhận tệp Excel dạng .xlsx (Excel 2007 trở lên) hoặc tệp .csv; hãy dùng “Lưu thành” .xlsx."))
    return _file_problem(_("Chỉ nhận tệp Excel (.xlsx) hoặc tệp CSV (.csv)."))


def _not_excel() -> str:
    return _("Tệp không phải là tệp Excel (.xlsx) hợp lệ. Hãy tải mẫu từ tiendo, điền rồi lưu ở dạng .xlsx.")


def _zip_problem(data: bytes, max_unpacked: int) -> str | None:
    """Why the file cannot be opened safely, judged from the zip directory alone."""
    contents = zip_contents(data)
    if contents is None:
        return _not_excel()
    entries, unpacked = contents
    if entries > MAX_ZIP_ENTRIES or unpacked > max_unpacked:
        return _("Tệp giải nén ra %(size)s byte, quá giới hạn %(limit)s byte; tệp này không phải mẫu báo cáo.") % {
            "size": format_number(unpacked),
            "limit": format_number(max_unpacked),
        }
    return None


@dataclass
class _Codes:
    round_id: int | None = None
    set_code: str = ""
    period_code: str = ""
    guide: str = ""
    sheets: list[tuple[str, Any, str]] = field(default_factory=list)  # (sheet, unit id, unit code)
    rows: list[tuple[int, str]] = field(default_factory=list)  # (row, indicator code)


def _read_codes(sheet: Any) -> _Codes | None:
    codes = _Codes()
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if not first or first[0] != MARKER:
        return None
    for values in rows:
        kind = values[0] if values else None
        rest = [*values[1:], None, None, None]
        if kind == "dot":
            codes.round_id = rest[0] if isinstance(rest[0], int) else None
            codes.set_code, codes.period_code = str(rest[1] or ""), str(rest[2] or "")
        elif kind == "huong_dan":
            codes.guide = str(rest[0] or "")
        elif kind == "trang":
            codes.sheets.append((str(rest[0] or ""), rest[1], str(rest[2] or "")))
        elif kind == "chi_tieu" and isinstance(rest[0], int):
            codes.rows.append((rest[0], str(rest[1] or "")))
    return codes if codes.round_id is not None else None


def _where(sheet: str, column: int, row: int) -> str:
    return _("Trang “%(sheet)s”, ô %(cell)s") % {"sheet": sheet, "cell": f"{get_column_letter(column)}{row}"}


def number_problem(value: Decimal) -> str | None:
    """Why a figure cannot hold ``value`` (14 digits before the decimal comma, 6 after), if it cannot."""
    if abs(value) > LARGEST:
        return _("số %(value)s quá lớn (tối đa 14 chữ số phần nguyên).") % {"value": format_number(value)}
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        return _("số %(value)s có quá %(places)s chữ số thập phân.") % {"value": format_number(value), "places": DECIMAL_PLACES}
    return None


def _checked(value: Decimal, reference: str) -> tuple[Decimal | None, str | None]:
    problem = number_problem(value)
    if problem:
        return None, _("Ô %(cell)s: %(reason)s") % {"cell": reference, "reason": problem}
    return value, None


def _cell_value(cell: Any, reference: str) -> tuple[Decimal | None, str | None]:
    """A value cell's number, or why it is not one (the message names the cell)."""
    value = cell.value
    data_type = getattr(cell, "data_type", None)
    if data_type == "f":
        return None, _("Ô %(cell)s chứa công thức “%(formula)s”; hãy thay bằng giá trị (sao chép rồi dán giá trị).") % {
            "cell": reference,
            "formula": getattr(value, "text", value),
        }
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _("Ô %(cell)s chứa giá trị đúng/sai, không phải số.") % {"cell": reference}
    if isinstance(value, int):
        return _checked(Decimal(value), reference)
    if isinstance(value, float):
        # Excel keeps 15 significant digits and shows no more: 82.30000000000001 is the 82,3 people see.
        return _checked(Decimal(f"{value:.15g}"), reference)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        # Excel turns "1/7" typed into a cell into a date: say so rather than store a serial number.
        return None, _("Ô %(cell)s chứa ngày hoặc giờ, không phải số (Excel có thể đã tự đổi số gõ vào thành ngày).") % {
            "cell": reference
        }
    if data_type == "e":
        return None, _("Ô %(cell)s chứa lỗi “%(error)s”, không phải số.") % {"cell": reference, "error": value}
    text = str(value).strip()
    if not text:
        return None, None
    try:
        return _checked(parse_number(text), reference)
    except ValueError as error:
        return None, _("Ô %(cell)s: %(reason)s") % {"cell": reference, "reason": error}


def _note_value(cell: Any, reference: str) -> tuple[str, str | None]:
    """A note cell's text (a number or a date typed as a note is kept as people read it)."""
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        return "", _("Ô %(cell)s chứa công thức; ghi chú phải là chữ gõ vào.") % {"cell": reference}
    if value is None or isinstance(value, bool):
        return "", None
    if isinstance(value, int | float):
        return format_number(Decimal(f"{value:.15g}")), None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value), None
    return str(value).strip(), None


def read_xlsx(user: Any, round_: Round, data: bytes, *, max_unpacked: int) -> ParsedFile:
    """The entries of a filled template, or the problems found in it."""
    problem = _zip_problem(data, max_unpacked)
    if problem:
        return _file_problem(problem)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # a damaged or foreign file: openpyxl raises many kinds of error
        return _file_problem(_("Tệp không đọc được như tệp Excel (%(error)s).") % {"error": type(error).__name__})
    try:
        return _read_workbook(user, round_, workbook)
    finally:
        workbook.close()


def _is_empty(workbook: Any) -> bool:
    for sheet in workbook.worksheets:
        for values in sheet.iter_rows(values_only=True):
            if any(value not in (None, "") for value in values):
                return False
    return True


def _read_workbook(user: Any, round_: Round, workbook: Any) -> ParsedFile:
    parsed = ParsedFile()
    if CODES_SHEET not in workbook.sheetnames:
        if _is_empty(workbook):
            parsed.problem(_("Tệp Excel trống: không có trang tính nào có số liệu."), _("Tệp"))
        else:
            parsed.problem(
                _(
                    "Không thấy trang mã ẩn “%(sheet)s” của mẫu: tệp không phải mẫu báo cáo tải từ tiendo, hoặc trang đó "
                    "đã bị xóa hay đổi tên. Hãy tải lại mẫu và nhập số vào đó."
                )
                % {"sheet": CODES_SHEET},
                _("Tệp"),
            )
        return parsed
    try:
        codes = _read_codes(workbook[CODES_SHEET])
    except Exception:  # damaged XML inside the sheet
        codes = None
    if codes is None:
        parsed.problem(_("Trang mã ẩn “%(sheet)s” của mẫu bị hỏng. Hãy tải lại mẫu.") % {"sheet": CODES_SHEET}, _("Tệp"))
        return parsed
    if codes.round_id != round_.pk:
        parsed.problem(
            _(
                "Tệp này là mẫu của một đợt báo cáo khác (bộ chỉ tiêu “%(set)s”, kỳ %(period)s), không phải của "
                "đợt “%(round)s”. Hãy tải mẫu của đợt này."
            )
            % {"set": codes.set_code, "period": codes.period_code, "round": round_},
            _("Tệp"),
        )
        return parsed
    index = _RoundIndex.load(user, round_)
    rows = codes.rows
    known = {CODES_SHEET, codes.guide}
    present = set(workbook.sheetnames)
    for name, unit_id, code in codes.sheets:
        known.add(name)
        label = f"{name} ({code})" if code else name
        submission = index.by_unit.get(unit_id) if isinstance(unit_id, int) else None
        if submission is None:
            parsed.problem(
                _("Đơn vị “%(unit)s” không phải đơn vị báo cáo trong đợt “%(round)s”; tệp này là mẫu của đơn vị khác.")
                % {"unit": label, "round": round_},
                _("Trang “%(sheet)s”") % {"sheet": name},
            )
            continue
        if submission.unit_id not in index.reportable:
            parsed.problem(
                _("Bạn không có quyền báo cáo cho “%(unit)s”.") % {"unit": label},
                _("Trang “%(sheet)s”") % {"sheet": name},
                submission,
            )
            continue
        if name not in present:
            parsed.problem(
                _("Thiếu trang tính “%(sheet)s” của mẫu (không xóa hay đổi tên trang tính). Hãy tải lại mẫu.")
                % {"sheet": name},
                _("Tệp"),
                submission,
            )
            continue
        parsed.submissions.append(submission)
        try:
            _read_unit_sheet(workbook[name], name, submission, rows, index, parsed)
        except Exception as error:  # damaged XML inside the sheet
            parsed.problem(
                _("Trang tính bị hỏng, không đọc được (%(error)s).") % {"error": type(error).__name__},
                _("Trang “%(sheet)s”") % {"sheet": name},
                submission,
            )
    for name in workbook.sheetnames:
        if name not in known:
            parsed.warning(_("Trang tính này không thuộc mẫu; bị bỏ qua."), _("Trang “%(sheet)s”") % {"sheet": name})
    return parsed


def _read_unit_sheet(
    sheet: Any, name: str, submission: Submission, rows: list[tuple[int, str]], index: _RoundIndex, parsed: ParsedFile
) -> None:
    if not rows:
        return
    wanted = dict(rows)
    first, last = min(wanted), max(wanted)
    cells = sheet.iter_rows(min_row=first, max_row=last, min_col=COL_VALUE, max_col=COL_CODE)
    seen = 0
    for number, row in enumerate(cells, first):
        code = wanted.get(number)
        if code is None:
            continue  # a group heading
        seen += 1
        value_cell, note_cell, code_cell = (*row, None, None, None)[:3]
        if code_cell is None or str(code_cell.value or "").strip() != code:
            parsed.problem(
                _(
                    "Dòng %(row)s không còn là dòng của chỉ tiêu “%(code)s” như trong mẫu (dòng đã bị chèn, xóa hay di "
                    "chuyển?). Hãy tải lại mẫu."
                )
                % {"row": number, "code": code},
                _("Trang “%(sheet)s”") % {"sheet": name},
                submission,
            )
            return  # every row below is shifted too: one message says it
        value_ref = f"{get_column_letter(COL_VALUE)}{number}"
        value, error = _cell_value(value_cell, value_ref)
        note, note_error = _note_value(note_cell, f"{get_column_letter(COL_NOTE)}{number}")
        where = _where(name, COL_VALUE, number)
        indicator = index.indicators.get(code)
        if error or note_error:
            for message in (error, note_error):
                if message:
                    parsed.problem(message, where, submission)
            continue
        if indicator is None:
            if value is not None:
                parsed.problem(
                    _("Chỉ tiêu “%(code)s” không có trong đợt báo cáo này.") % {"code": code}, where, submission
                )
            continue
        if value is None:
            if note:
                parsed.warning(
                    _("Có ghi chú nhưng chưa có giá trị: ghi chú không được lưu."),
                    _where(name, COL_NOTE, number),
                    submission,
                )
            continue
        parsed.entries.append(services.Entry(submission, indicator, value, note, where))
    if seen < len(wanted):
        parsed.problem(
            _("Trang tính thiếu dòng của mẫu (dòng đã bị xóa?). Hãy tải lại mẫu."),
            _("Trang “%(sheet)s”") % {"sheet": name},
            submission,
        )


def _csv_unit_index(index: _RoundIndex) -> tuple[dict[str, Submission], set[str]]:
    """The round's submissions by their units' codes in the round's period; codes
    two units share cannot name a unit (returned apart)."""
    labels = unit_labels(index.by_unit, index.round.period)
    by_code: dict[str, Submission] = {}
    shared: set[str] = set()
    for unit_id, submission in index.by_unit.items():
        code = labels.get(unit_id, ("", ""))[1].strip()
        if not code:
            continue
        key = code.casefold()
        if key in by_code:
            shared.add(key)
        by_code[key] = submission
    return by_code, shared


def read_csv(user: Any, round_: Round, data: bytes) -> ParsedFile:
    """The entries of a CSV file: UTF-8 (with or without BOM), ``;`` or ``,``
    separated, a header line naming the columns ma_don_vi, ma_chi_tieu, gia_tri and,
    optionally, ghi_chu, in any order (docs/data-formats.md)."""
    parsed = ParsedFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.problem(_("Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."), _("Tệp"))
        return parsed
    if not text.strip():
        parsed.problem(_("Tệp CSV trống."), _("Tệp"))
        return parsed
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if ";" in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    index = _RoundIndex.load(user, round_)
    by_code, shared = _csv_unit_index(index)
    seen: dict[tuple[int, int], int] = {}
    used: dict[int, Submission] = {}
    refused_units: set[int] = set()
    try:
        for fields in reader:
            line = reader.line_num  # the physical line where the record ends (a quoted note may span lines)
            if not any(value.strip() for value in fields):
                continue
            if header is None:
                header = [value.strip().lower() for value in fields]
                for position, name in enumerate(header):
                    if name in CSV_COLUMNS:
                        if name in columns:
                            parsed.problem(_("Cột “%(name)s” có hai lần.") % {"name": name}, _("Dòng %(line)s") % {"line": line})
                        columns[name] = position
                    elif name:
                        parsed.warning(
                            _("Cột “%(name)s” không thuộc định dạng; bị bỏ qua.") % {"name": name},
                            _("Dòng %(line)s") % {"line": line},
                        )
                missing = [name for name in CSV_REQUIRED if name not in columns]
                if missing:
                    parsed.problem(
                        _("Dòng đầu phải là dòng tiêu đề %(header)s; thiếu cột %(missing)s.")
                        % {"header": ";".join(CSV_COLUMNS), "missing": ", ".join(f"“{m}”" for m in missing)},
                        _("Dòng %(line)s") % {"line": line},
                    )
                    return parsed
                continue
            _read_csv_line(parsed, index, by_code, shared, columns, len(header), fields, line, seen, used, refused_units, delimiter)
    except csv.Error as error:
        parsed.problem(_("Tệp CSV hỏng (%(error)s).") % {"error": error}, _("Dòng %(line)s") % {"line": reader.line_num})
    if header is None:
        parsed.problem(_("Tệp CSV trống."), _("Tệp"))
    parsed.submissions = list(used.values())
    return parsed


def _read_csv_line(
    parsed: ParsedFile,
    index: _RoundIndex,
    by_code: dict[str, Submission],
    shared: set[str],
    columns: dict[str, int],
    width: int,
    fields: list[str],
    line: int,
    seen: dict[tuple[int, int], int],
    used: dict[int, Submission],
    refused_units: set[int],
    delimiter: str,
) -> None:
    where = _("Dòng %(line)s") % {"line": line}
    if len(fields) > width and any(value.strip() for value in fields[width:]):
        hint = _(" Số thập phân có dấu phẩy phải đặt trong ngoặc kép (\"82,3\") khi cột ngăn bằng dấu phẩy.") if delimiter == "," else ""
        parsed.problem(_("Dòng có nhiều cột hơn dòng tiêu đề.") + hint, where)
        return

    def get(name: str) -> str:
        position = columns.get(name)
        return fields[position].strip() if position is not None and position < len(fields) else ""

    unit_text, code, raw, note = get(CSV_UNIT), get(CSV_INDICATOR), get(CSV_VALUE), get(CSV_NOTE)
    submission = by_code.get(unit_text.casefold()) if unit_text.casefold() not in shared else None
    if submission is None and unit_text.isdigit():
        submission = index.by_unit.get(int(unit_text))
    if submission is None:
        if unit_text.casefold() in shared:
            message = _("Mã đơn vị “%(unit)s” là mã của nhiều đơn vị trong đợt; hãy ghi số hiệu (id) của đơn vị.")
        elif unit_text:
            message = _("Không có đơn vị mã hay số hiệu “%(unit)s” trong đợt báo cáo này.")
        else:
            message = _("Thiếu mã đơn vị (cột ma_don_vi).")
        parsed.problem(message % {"unit": unit_text}, where)
        return
    if submission.unit_id not in index.reportable:
        if submission.unit_id not in refused_units:  # once per unit, not once per line
            refused_units.add(submission.unit_id)
            parsed.problem(_("Bạn không có quyền báo cáo cho “%(unit)s”.") % {"unit": submission.unit}, where, submission)
        return
    indicator = index.indicators.get(code)
    if indicator is None:
        parsed.problem(
            _("Chỉ tiêu “%(code)s” không có trong đợt báo cáo này.") % {"code": code}
            if code
            else _("Thiếu mã chỉ tiêu (cột ma_chi_tieu)."),
            where,
            submission,
        )
        return
    key = (submission.pk, indicator.pk)
    if key in seen:
        parsed.problem(
            _("Dòng này lặp lại số liệu của dòng %(line)s (cùng đơn vị, cùng chỉ tiêu).") % {"line": seen[key]},
            where,
            submission,
        )
        return
    seen[key] = line
    used.setdefault(submission.pk, submission)
    if not raw:
        if note:
            parsed.warning(_("Có ghi chú nhưng chưa có giá trị: ghi chú không được lưu."), where, submission)
        return
    try:
        number = parse_number(raw)
    except ValueError as error:
        parsed.problem(_("Cột gia_tri: %(reason)s") % {"reason": error}, where, submission)
        return
    too_big = number_problem(number)
    if too_big:
        parsed.problem(_("Cột gia_tri: %(reason)s") % {"reason": too_big}, where, submission)
        return
    parsed.entries.append(services.Entry(submission, indicator, number, note, where))


# --- Saving ----------------------------------------------------------------------------------


class _DryRun(Exception):
    """Rolls back a save made only to collect its problems."""


def import_file(user: Any, round_: Round, data: bytes, filename: str, *, max_bytes: int | None = None) -> ImportResult:
    """Read a file and save its figures with ``services.save_figures``, all or nothing.

    When the file itself has problems, its readable figures are still checked by
    ``save_figures`` inside a transaction that is rolled back, so every problem (a
    text in one cell, a locked figure changed in another) is listed at once."""
    parsed = read_file(user, round_, data, filename, max_bytes=max_bytes)
    if not parsed.problems and not parsed.entries:
        parsed.warning(_("Tệp không có ô giá trị nào được điền: không có số liệu nào thay đổi."), _("Tệp"))
    if parsed.problems:
        problems = list(parsed.problems)
        if parsed.entries:
            try:
                with transaction.atomic():
                    services.save_figures(user, parsed.entries)
                    raise _DryRun
            except services.FiguresRefused as refused:
                problems += refused.problems
            except _DryRun:
                pass
        raise UploadRefused(problems, parsed.warnings)
    try:
        result = services.save_figures(user, parsed.entries, source=None)
    except services.FiguresRefused as refused:
        raise UploadRefused(refused.problems, parsed.warnings) from None
    return ImportResult(result.changed, result.unchanged, parsed.submissions, parsed.warnings)
