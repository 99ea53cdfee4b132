"""What the DOCX and PDF writers share: the header lines, type sizes, margins, cell
texts and the vendored fonts.

Kept in one module so that the two files print the same words in the same sizes:
the DOCX is the one people edit, the PDF the one they read, and a reader comparing
them must not find a different number line or a differently padded date.

The text of an official document stays Vietnamese whatever language the user's
interface is in, so the fixed words here ("Số", "Nơi nhận:", "DỰ THẢO") are not
passed through gettext.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from tiendo.lib.vn import format_number, format_percent, format_place_date
from tiendo.reviews.document import Column, ColumnKind, Header, Layout, Table, Value

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
# Liberation Serif has the metrics of Times New Roman, so text measured with it (and
# the PDF set in it) takes the room Times New Roman takes in the DOCX.
FONT_FILES = {
    "": FONTS_DIR / "LiberationSerif-Regular.ttf",
    "B": FONTS_DIR / "LiberationSerif-Bold.ttf",
    "I": FONTS_DIR / "LiberationSerif-Italic.ttf",
    "BI": FONTS_DIR / "LiberationSerif-BoldItalic.ttf",
}
FONT_NAME = "Times New Roman"

MISSING = "—"  # a figure not reported yet, in a table cell
MISSING_LEGEND = "“—”: chưa có số liệu."
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_LABEL = "Nơi nhận:"
PARTY_STAR = "*"
PARTY_SUBJECT_DASHES = "-----"
NUMBER_GAP = " " * 6  # room to write the number by hand on a draft

# Type sizes in points. Party: Hướng dẫn 36-HD/VPTW; State: Nghị định 30/2020/NĐ-CP,
# Phụ lục I (tên loại and trích yếu 13–14 bold there, so 14).
BODY_SIZE = 14
TABLE_SIZE = 12  # neither text sets a size for tables; 12 keeps a 6-column table legible on A4
NOTE_SIZE = 12
CAPTION_SIZE = 13
RECIPIENTS_LABEL_SIZE = 12
RECIPIENTS_SIZE = 11
PAGE_NUMBER_SIZE = 13
FIRST_LINE_INDENT_MM = 10  # Nghị định 30: 1–1,27 cm
PARAGRAPH_SPACE_PT = 6  # Nghị định 30: at least 6 pt between paragraphs
LINE_SPACING = 1.15  # Nghị định 30: single to 1,5 lines


@dataclass(frozen=True)
class HeaderSizes:
    superior: int
    issuing: int
    number: int
    national: int  # "ĐẢNG CỘNG SẢN VIỆT NAM" / "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: int  # "Độc lập - Tự do - Hạnh phúc" (State only)
    date: int
    doc_type: int
    subject: int


SIZES = {
    Layout.PARTY: HeaderSizes(
        superior=14, issuing=14, number=14, national=15, motto=0, date=14, doc_type=16, subject=14
    ),
    Layout.STATE: HeaderSizes(
        superior=13, issuing=13, number=13, national=13, motto=14, date=14, doc_type=14, subject=14
    ),
}

PARTY_NATIONAL = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


# Two-column header: the left block's share of the text width. The State's national
# title at 13 pt bold needs 96 mm and a cell's padding, so its left block gets 64 mm
# (a long issuing body wraps, as on paper); the Party's superior body needs 71 mm.
HEADER_LEFT_SHARE = {Layout.PARTY: 0.47, Layout.STATE: 0.39}
SIGNATURE_LEFT_SHARE = 0.45


def nfc(text: str) -> str:
    """TCVN 6909 text is precomposed: "ễ" as one character. Text pasted from some
    sources arrives decomposed (e + combining marks), which older Word versions and
    PDF readers draw with misplaced marks, so every string is composed first."""
    return unicodedata.normalize("NFC", text)


def margins(layout: Layout) -> Margins:
    top, bottom, left, right = settings.REVIEW_MARGINS_MM[layout.value]
    return Margins(top=top, bottom=bottom, left=left, right=right)


def national_title(layout: Layout) -> str:
    return PARTY_NATIONAL if layout is Layout.PARTY else STATE_NATIONAL


def number_line(header: Header) -> str:
    """ "Số 127-BC/QU" (Party: hyphen, no colon) or "Số: 12/BC-UBND" (State).

    A draft has no number yet: a gap is left before the symbol to write it by hand."""
    if header.layout is Layout.PARTY:
        return f"Số {header.number}" if header.number else f"Số {NUMBER_GAP}-{header.symbol}"
    return f"Số: {header.number}" if header.number else f"Số: {NUMBER_GAP}/{header.symbol}"


def place_date_line(header: Header) -> str:
    """The State pads days under 10 and months 1–2 (ngày 05 tháng 02); the Party does not."""
    return format_place_date(header.place, header.date, padded=header.layout is Layout.STATE)


def is_numeric(column: Column) -> bool:
    return column.kind is not ColumnKind.TEXT


def cell_text(value: Value, column: Column) -> str:
    """A table cell as printed: figures the Vietnamese way, a missing figure as "—".

    A column with ``decimals=None`` prints each figure as stored, trailing zeros
    dropped (``format_number`` without decimals never uses exponent notation)."""
    if value is None:
        return MISSING if is_numeric(column) else ""
    if isinstance(value, str):
        return value  # already words, or a ratio such as "14/14 phường"
    if column.kind is ColumnKind.PERCENT:
        return format_percent(value, column.decimals)
    if column.kind is ColumnKind.TEXT:
        return format_number(value)
    return format_number(value, column.decimals)


def table_has_missing(table: Table) -> bool:
    """Whether a figure cell shows "—" (a group row's empty cells do not count)."""
    return any(
        value is None and is_numeric(column)
        for row in table.rows
        if not row.heading
        for value, column in zip(row.cells, table.columns, strict=False)
    )


def as_number(value: Value) -> Decimal | None:
    if value is None or isinstance(value, str):
        return None
    return Decimal(value)


@cache
def _metrics(style: str) -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_FILES[style]), lazy=True)
    cmap = font.getBestCmap()
    advances = {name: width for name, (width, _lsb) in font["hmtx"].metrics.items()}
    return cmap, advances, font["head"].unitsPerEm


def text_width_pt(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width of a line of text in points, measured on the vendored font (the
    rules under header lines are drawn as long as their text)."""
    cmap, advances, units = _metrics(("B" if bold else "") + ("I" if italic else ""))
    total = sum(advances.get(cmap.get(ord(char), ".notdef"), 0) for char in nfc(text))
    return total * size / units


CELL_PADDING_PT = 12  # both sides of a cell, about Word's default and the PDF's padding


def column_shares(table: Table, total_pt: float) -> list[float]:
    """Column widths in points that add up to ``total_pt``, from what the cells hold.

    Fixed shares (a name column 2,5 times a figure column) left "110,4%" wrapped in
    two lines and "%" alone in a wide column. As a browser lays out a table: each
    column gets at least its longest word, and the room left is shared in proportion
    to how much more each column would need to keep its cells on one line, so a long
    indicator name takes the room a unit of measure does not need."""
    least: list[float] = []
    wanted: list[float] = []
    for index, column in enumerate(table.columns):
        title_words = column.title.split() or [""]
        low = max(text_width_pt(word, TABLE_SIZE, bold=True) for word in title_words)
        high = low
        for row in table.rows:
            if index >= len(row.cells) or (row.heading and row.cells[index] is None):
                continue
            text = cell_text(row.cells[index], column)
            words = text.split() if not is_numeric(column) else [text]  # a figure never wraps
            low = max(low, *(text_width_pt(word, TABLE_SIZE, bold=row.heading) for word in words or [""]))
            high = max(high, text_width_pt(text, TABLE_SIZE, bold=row.heading))
        least.append(low + CELL_PADDING_PT)
        wanted.append(max(high, low) + CELL_PADDING_PT)
    floor = sum(least)
    if floor >= total_pt:
        return [width * total_pt / floor for width in least]
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    spare = sum(extra)
    if spare <= 0:
        return [width * total_pt / floor for width in least]
    if spare <= total_pt - floor:  # everything fits on one line: widen in proportion
        return [width * total_pt / sum(wanted) for width in wanted]
    return [low + (total_pt - floor) * more / spare for low, more in zip(least, extra, strict=True)]
