"""The content of an official document (văn bản), apart from any file format.

The report builder fills an ``OfficialDocument`` from the data; the writers in
``tiendo.reviews.writers`` turn the same object into DOCX, PDF and XLSX, so the three
files always say the same thing. Figures stay numbers here (``Decimal``/``int``): the
writers format them the Vietnamese way (``tiendo.lib.vn``) and the XLSX keeps them
numeric.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Layout(StrEnum):
    """Which rules the page follows: the Party's (Hướng dẫn 36-HD/VPTW) for Party
    committees, the State's (Nghị định 30/2020/NĐ-CP) for People's Committees."""

    PARTY = "party"
    STATE = "state"


@dataclass(frozen=True)
class Header:
    """The header blocks, number line, place-date line, type and subject.

    ``number`` is the number and symbol without "Số": ``127-BC/QU`` (Party) or
    ``12/BC-UBND`` (State); blank for a draft, which the writers print as a gap to
    fill by hand (``Số     -BC/QU``) with the symbol from ``symbol``."""

    layout: Layout
    superior_body: str  # "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" / "UBND THÀNH PHỐ HÀ NỘI"
    issuing_body: str  # "QUẬN ỦY LONG BIÊN" / "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"
    number: str
    symbol: str  # "BC/QU" / "BC-UBND": used when ``number`` is blank
    place: str  # "Long Biên"
    date: dt.date
    doc_type: str  # "BÁO CÁO"
    subject: str  # "Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội ..."


@dataclass(frozen=True)
class Heading:
    level: int  # 1: "I. KẾT QUẢ ...", 2: "1. ...", 3: "a) ..."
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False


class ColumnKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # the value is the percentage itself: 82.3 → "82,3%"


@dataclass(frozen=True)
class Column:
    """A table column. ``decimals`` pads or rounds every figure of the column to the
    same places; ``None`` prints each figure as stored, trailing zeros dropped, for a
    column that mixes indicators of different precision (497 next to 82,35)."""

    title: str
    kind: ColumnKind = ColumnKind.TEXT
    decimals: int | None = 0


Value = str | int | Decimal | None


@dataclass(frozen=True)
class Row:
    cells: tuple[Value, ...]
    heading: bool = False  # a group row (e.g. the program's name), printed bold


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""  # source line under the table ("Nguồn: ...", "giả định: ...")


class ChartKind(StrEnum):
    BAR = "bar"  # ranked horizontal bars (ward comparison)
    LINE = "line"  # a trend over periods


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""  # unit of measure shown on the axis
    target: Decimal | None = None  # drawn as a reference line when given


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Signature:
    on_behalf: str  # "T/M BAN THƯỜNG VỤ" / "TM. ỦY BAN NHÂN DÂN"
    title: str  # "BÍ THƯ" / "CHỦ TỊCH"
    name: str = ""  # blank in a draft: space left to sign


@dataclass(frozen=True)
class OfficialDocument:
    header: Header
    body: tuple[Block, ...]
    signature: Signature
    recipients: tuple[str, ...] = ()  # "Nơi nhận" lines, e.g. "- Thường trực Thành ủy,"
    draft: bool = True  # marked "DỰ THẢO" until issued
    notes: tuple[str, ...] = field(default=())  # shown after the body, e.g. "Số liệu đã thay đổi từ khi ..."
