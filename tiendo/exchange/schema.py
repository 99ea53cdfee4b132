"""The exchange format (định dạng trao đổi dữ liệu): one description of every section
and field, read by the JSON and XLSX writers and readers alike.

A document is a JSON object::

    {"format": "tiendo-exchange", "version": 1,
     "units": [...], "events": [...], "resolutions": [...], "programs": [...],
     "themes": [...], "plans": [...], "sources": [...], "indicators": [...],
     "targets": [...], "values": [...]}

Rows refer to each other by stable keys, never by database ids alone: units by a
``key`` (an export writes "u<id>"), events "e<id>", resolutions "r<id>", themes
"t<id>", plans "p<id>", sources "s<id>", targets "g<id>"; indicators by their code,
programs by resolution key and number, periods by their code ("2022-Q2"). Dates are
ISO ("2022-05-17"); exact decimals are strings ("82.3") so nothing is lost to
floating point. docs/data-formats.md describes every field.

Some sections hold lists of their own (a unit's versions, an event's links…). In
JSON they nest inside their parent; in a workbook each is a sheet of its own whose
first columns repeat the parent's key.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Choices

from tiendo.indicators.models import PERIOD_KINDS, DataValue, Indicator, Source
from tiendo.orgs.models import ReorgEvent, UnitKind
from tiendo.plans.models import BoardMember, PlanItem

FORMAT = "tiendo-exchange"
VERSION = 1

# Kinds of field: how a value is written and read.
KEY = "key"  # the row's own key (text)
REF = "ref"  # the key of a row of another section (text)
TEXT = "text"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
DATETIME = "datetime"
BOOL = "bool"
CHOICE = "choice"
PERIOD = "period"


def _choices(source: type[Choices] | list[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    if isinstance(source, list):
        return tuple(source)
    return tuple(source.choices)


@dataclass(frozen=True)
class Field:
    """One field of a row: its JSON name, its Vietnamese column header, and how it is read."""

    name: str
    label: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    ref: str | None = None  # the section whose key a REF field names
    choices: tuple[tuple[str, Any], ...] = ()
    max_length: int | None = None
    digits: tuple[int, int] | None = None  # (max_digits, decimal_places) of a DECIMAL
    minimum: int | None = None
    maximum: int | None = None
    strip: bool = False  # the services store it stripped
    default: Any = None
    link_to: str | None = None  # in a child sheet: the parent's field this column repeats (not in JSON)
    info: bool = False  # shown in the workbook for people, ignored when reading

    @property
    def empty(self) -> Any:
        """The value of an omitted optional field."""
        if self.default is not None:
            return self.default
        return "" if self.kind == TEXT else None


@dataclass(frozen=True)
class Section:
    """A list of rows: a top-level section of the document or a list nested in each row of one."""

    name: str  # registry name, e.g. "unit_versions"
    json_name: str  # the key in the document (top level) or inside the parent row ("versions")
    sheet: str  # the workbook sheet
    help: str
    fields: tuple[Field, ...]
    key: str | None = None  # the field holding the row's own key
    prefix: str = ""  # what an export puts before the id in a key
    parent: str | None = None
    children: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def data_fields(self) -> tuple[Field, ...]:
        """The fields a JSON row of this section holds (no links, no columns for people only)."""
        return tuple(f for f in self.fields if not f.link_to and not f.info)

    @property
    def link_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.link_to)


def _units_ref(name: str, label: str, *, required: bool = False, help: str = "") -> Field:
    return Field(name, label, REF, required=required, ref="units", help=help or "Khóa của một đơn vị.")


def _note(name: str = "note", label: str = "Ghi chú", max_length: int | None = None) -> Field:
    return Field(name, label, TEXT, max_length=max_length)


UNITS = Section(
    "units",
    "units",
    "Đơn vị",
    "Mỗi dòng là một đơn vị (tỉnh, quận, phường, tổ dân phố, phòng ban, tổ chức…) suốt thời gian tồn tại của nó.",
    (
        Field("key", "Khóa", KEY, required=True, max_length=60, strip=True,
              help="Khóa của đơn vị trong tệp. Tệp xuất ghi “u” + mã số đơn vị; khóa “u<số>” của một đơn vị "
                   "đã có trỏ tới chính đơn vị đó, khóa khác là đơn vị mới."),
        Field("kind", "Loại đơn vị", CHOICE, required=True, choices=_choices(UnitKind)),
        Field("valid_from", "Tồn tại từ ngày", DATE, required=True, help="Ngày đầu tiên đơn vị tồn tại."),
        Field("valid_to", "Kết thúc từ ngày", DATE,
              help="Ngày đầu tiên đơn vị không còn tồn tại; để trống nếu vẫn còn."),
        _note(),
        Field("assumption", "Giả định", TEXT, help="Điều chưa được nguồn chính thức xác nhận."),
    ),
    key="key",
    prefix="u",
    children=("unit_versions",),
)

UNIT_VERSIONS = Section(
    "unit_versions",
    "versions",
    "Phiên bản đơn vị",
    "Mỗi dòng là một khoảng thời gian đơn vị mang một tên, một mã và một cấp trên, theo thứ tự thời gian. "
    "Phiên bản đầu bắt đầu cùng ngày với đơn vị; mỗi phiên bản sau bắt đầu đúng ngày phiên bản trước kết thúc.",
    (
        Field("unit", "Khóa đơn vị", REF, required=True, ref="units", link_to="key", strip=True),
        Field("valid_from", "Hiệu lực từ", DATE, required=True),
        Field("valid_to", "Hết hiệu lực từ", DATE, help="Ngày đầu tiên phiên bản không còn đúng; trống nếu vẫn đúng."),
        Field("name", "Tên", TEXT, required=True, max_length=200, strip=True),
        Field("code", "Mã", TEXT, max_length=30, strip=True),
        _units_ref("parent", "Khóa cấp trên", help="Khóa của đơn vị cấp trên; trống với đơn vị cấp cao nhất."),
        Field("event", "Khóa sự kiện", REF, ref="events",
              help="Sự kiện sắp xếp bắt đầu phiên bản này (thành lập, đổi tên, chuyển cấp trên…); "
                   "trống với phiên bản đầu của đơn vị không do sự kiện lập ra."),
        Field("parent_name", "Tên cấp trên (tham khảo)", TEXT, info=True),
    ),
    parent="units",
)

EVENTS = Section(
    "events",
    "events",
    "Sự kiện sắp xếp",
    "Mỗi dòng là một lần sắp xếp đơn vị: thành lập, sáp nhập, chia tách, đổi tên, chuyển cấp trên, giải thể.",
    (
        Field("key", "Khóa", KEY, required=True, max_length=60, strip=True),
        Field("kind", "Loại sự kiện", CHOICE, required=True, choices=_choices(ReorgEvent.Kind)),
        Field("date", "Ngày hiệu lực", DATE, required=True),
        Field("legal_basis", "Căn cứ", TEXT, max_length=300, strip=True),
        _note(),
        Field("assumption", "Giả định", TEXT),
    ),
    key="key",
    prefix="e",
    children=("links",),
)

LINKS = Section(
    "links",
    "links",
    "Kế thừa",
    "Mỗi dòng là phần một đơn vị cũ chuyển cho một đơn vị kế thừa trong một sự kiện, với dân số, diện tích "
    "hoặc tỷ lệ chuyển nếu biết.",
    (
        Field("event", "Khóa sự kiện", REF, required=True, ref="events", link_to="key", strip=True),
        _units_ref("predecessor", "Khóa đơn vị chuyển đi", required=True),
        _units_ref("successor", "Khóa đơn vị nhận", required=True),
        Field("population", "Dân số chuyển", INT, minimum=0, maximum=2147483647),
        Field("area_km2", "Diện tích chuyển (km²)", DECIMAL, digits=(9, 3)),
        Field("share", "Tỷ lệ chuyển", DECIMAL, digits=(7, 6),
              help="Phần số liệu của đơn vị cũ chuyển sang (0 đến 1). Trống: tính theo dân số, rồi diện tích, "
                   "nếu mọi phần của đơn vị cũ đều có; không có thì số liệu không chia."),
        _note(max_length=300),
        Field("assumption", "Giả định", TEXT, max_length=300),
        Field("predecessor_name", "Đơn vị chuyển đi (tham khảo)", TEXT, info=True),
        Field("successor_name", "Đơn vị nhận (tham khảo)", TEXT, info=True),
    ),
    parent="events",
)

RESOLUTIONS = Section(
    "resolutions",
    "resolutions",
    "Nghị quyết",
    "Mỗi dòng là một Nghị quyết Đại hội của một cấp ủy cho một nhiệm kỳ.",
    (
        Field("key", "Khóa", KEY, required=True, max_length=60, strip=True),
        Field("title", "Tên", TEXT, required=True, max_length=300),
        _units_ref("issuer", "Khóa cấp ủy ban hành", required=True),
        Field("congress_number", "Đại hội lần thứ", INT, required=True, minimum=0, maximum=32767),
        Field("term_start", "Nhiệm kỳ từ năm", INT, required=True, minimum=0, maximum=32767),
        Field("term_end", "Nhiệm kỳ đến năm", INT, required=True, minimum=0, maximum=32767),
        Field("adopted_on", "Ngày thông qua", DATE),
        Field("summary", "Tóm tắt", TEXT),
    ),
    key="key",
    prefix="r",
    children=("priorities",),
)

PRIORITIES = Section(
    "priorities",
    "priorities",
    "Khâu đột phá",
    "Các khâu đột phá của mỗi Nghị quyết, đánh số 1, 2, 3…",
    (
        Field("resolution", "Khóa nghị quyết", REF, required=True, ref="resolutions", link_to="key", strip=True),
        Field("number", "Thứ tự", INT, required=True, minimum=0, maximum=32767),
        Field("title", "Nội dung", TEXT, required=True),
    ),
    parent="resolutions",
)

PROGRAMS = Section(
    "programs",
    "programs",
    "Chương trình",
    "Mỗi dòng là một chương trình công tác toàn khóa, nhận biết bằng khóa nghị quyết và số, ký hiệu.",
    (
        Field("resolution", "Khóa nghị quyết", REF, required=True, ref="resolutions", strip=True),
        Field("number", "Số, ký hiệu", TEXT, required=True, max_length=40, strip=True, help="Ví dụ: 02-CTr/QU."),
        Field("title", "Tên chương trình", TEXT, required=True),
        _units_ref("lead_unit", "Khóa đơn vị chủ trì", required=True),
        Field("priority", "Khâu đột phá", INT, minimum=0, maximum=32767,
              help="Thứ tự khâu đột phá của cùng nghị quyết mà chương trình thực hiện."),
        Field("order", "Thứ tự", INT, minimum=0, maximum=32767, default=0),
    ),
    children=("board_members",),
)

BOARD_MEMBERS = Section(
    "board_members",
    "board",
    "Ban Chủ nhiệm",
    "Thành viên Ban Chủ nhiệm của mỗi chương trình.",
    (
        Field("resolution", "Khóa nghị quyết", REF, required=True, ref="resolutions", link_to="resolution", strip=True),
        Field("program", "Số, ký hiệu chương trình", TEXT, required=True, link_to="number", strip=True),
        Field("full_name", "Họ và tên", TEXT, required=True, max_length=150),
        Field("position", "Chức vụ", TEXT, max_length=300),
        Field("role", "Vai trò trong Ban", CHOICE, choices=_choices(BoardMember.Role), default=BoardMember.Role.MEMBER.value),
        Field("username", "Tài khoản", TEXT, max_length=150, strip=True,
              help="Tên đăng nhập của thành viên nếu có tài khoản; khi nhập, nối với tài khoản cùng tên nếu có."),
        Field("order", "Thứ tự", INT, minimum=0, maximum=32767, default=0),
    ),
    parent="programs",
)

THEMES = Section(
    "themes",
    "themes",
    "Chủ đề năm",
    "Mỗi dòng là một chủ đề công tác năm.",
    (
        Field("key", "Khóa", KEY, required=True, max_length=60, strip=True),
        Field("year", "Năm", INT, required=True, minimum=0, maximum=32767),
        Field("title", "Chủ đề", TEXT, required=True, max_length=300),
        _units_ref("issuer", "Khóa cấp phát động", required=True),
    ),
    key="key",
    prefix="t",
    children=("theme_programs",),
)

THEME_PROGRAMS = Section(
    "theme_programs",
    "programs",
    "Chủ đề - chương trình",
    "Các chương trình mà mỗi chủ đề năm gắn với.",
    (
        Field("theme", "Khóa chủ đề", REF, required=True, ref="themes", link_to="key", strip=True),
        Field("resolution", "Khóa nghị quyết", REF, required=True, ref="resolutions", strip=True),
        Field("program", "Số, ký hiệu chương trình", TEXT, required=True, strip=True),
    ),
    parent="themes",
)

PLANS = Section(
    "plans",
    "plans",
    "Kế hoạch",
    "Mỗi dòng là một kế hoạch của một cấp cho một năm, thực hiện một chương trình hoặc một chủ đề.",
    (
        Field("key", "Khóa", KEY, required=True, max_length=60, strip=True),
        Field("title", "Tên kế hoạch", TEXT, required=True, max_length=300),
        Field("number", "Số, ký hiệu", TEXT, max_length=40),
        _units_ref("unit", "Khóa cấp ban hành", required=True),
        Field("year", "Năm", INT, required=True, minimum=0, maximum=32767),
        Field("issued_on", "Ngày ban hành", DATE),
        Field("resolution", "Khóa nghị quyết", REF, ref="resolutions", strip=True,
              help="Cùng với “Số, ký hiệu chương trình”: chương trình kế hoạch thực hiện."),
        Field("program", "Số, ký hiệu chương trình", TEXT, strip=True),
        Field("theme", "Khóa chủ đề", REF, ref="themes", strip=True),
    ),
    key="key",
    prefix="p",
    children=("plan_items",),
)

PLAN_ITEMS = Section(
    "plan_items",
    "items",
    "Nội dung kế hoạch",
    "Các nội dung, nhiệm vụ và mô hình của mỗi kế hoạch.",
    (
        Field("plan", "Khóa kế hoạch", REF, required=True, ref="plans", link_to="key", strip=True),
        Field("kind", "Loại", CHOICE, choices=_choices(PlanItem.Kind), default=PlanItem.Kind.TASK.value),
        Field("title", "Nội dung", TEXT, required=True, max_length=300),
        _units_ref("responsible_unit", "Khóa đơn vị thực hiện"),
        Field("indicator", "Mã chỉ tiêu theo dõi", TEXT, strip=True),
        Field("target_text", "Mục tiêu", TEXT, max_length=200),
        Field("order", "Thứ tự", INT, minimum=0, maximum=32767, default=0),
    ),
    parent="plans",
)

SOURCES = Section(
    "sources",
    "sources",
    "Nguồn số liệu",
    "Mỗi dòng là một nguồn: văn bản, bài báo, báo cáo của đơn vị hoặc ước tính.",
    (
        Field("key", "Khóa", KEY, required=True, max_length=60, strip=True),
        Field("kind", "Loại nguồn", CHOICE, required=True, choices=_choices(Source.Kind)),
        Field("title", "Tên", TEXT, required=True, max_length=400),
        Field("publisher", "Cơ quan, tờ báo", TEXT, max_length=200),
        Field("reference", "Số, ký hiệu", TEXT, max_length=100),
        Field("published_on", "Ngày", DATE),
        Field("url", "Địa chỉ", TEXT, max_length=200),
    ),
    key="key",
    prefix="s",
)

_INDICATOR_REF_HELP = "Mã của một chỉ tiêu."

INDICATORS = Section(
    "indicators",
    "indicators",
    "Chỉ tiêu",
    "Mỗi dòng là một chỉ tiêu, nhận biết bằng mã.",
    (
        Field("code", "Mã", TEXT, required=True, max_length=40, strip=True),
        Field("name", "Tên chỉ tiêu", TEXT, required=True, max_length=400),
        Field("unit_of_measure", "Đơn vị tính", TEXT, max_length=40),
        Field("definition", "Định nghĩa", TEXT),
        Field("how_to_count", "Cách tính", TEXT),
        Field("value_type", "Kiểu giá trị", CHOICE, choices=_choices(Indicator.ValueType),
              default=Indicator.ValueType.NUMBER.value),
        Field("unit_aggregation", "Cộng dồn theo đơn vị", CHOICE, choices=_choices(Indicator.UnitAggregation),
              default=Indicator.UnitAggregation.SUM.value),
        Field("time_aggregation", "Cộng dồn theo thời gian", CHOICE, choices=_choices(Indicator.TimeAggregation),
              default=Indicator.TimeAggregation.FLOW.value),
        Field("numerator", "Mã chỉ tiêu tử số", TEXT, strip=True, help=_INDICATOR_REF_HELP),
        Field("denominator", "Mã chỉ tiêu mẫu số", TEXT, strip=True, help=_INDICATOR_REF_HELP),
        Field("weight", "Mã chỉ tiêu trọng số", TEXT, strip=True, help=_INDICATOR_REF_HELP),
        Field("threshold", "Ngưỡng đạt", DECIMAL, digits=(20, 6)),
        Field("threshold_comparison", "So với ngưỡng", CHOICE, choices=_choices(Indicator.Comparison),
              default=Indicator.Comparison.AT_LEAST.value),
        Field("direction", "Chiều đánh giá", CHOICE, choices=_choices(Indicator.Direction),
              default=Indicator.Direction.HIGHER.value),
        Field("frequency", "Tần suất báo cáo", CHOICE, choices=_choices(PERIOD_KINDS), default="year"),
        Field("in_resolution", "Trong Nghị quyết Đại hội", BOOL, default=False),
        Field("resolution", "Khóa nghị quyết", REF, ref="resolutions", strip=True,
              help="Nghị quyết của chương trình và khâu đột phá ghi ở hai cột sau."),
        Field("program", "Số, ký hiệu chương trình", TEXT, strip=True),
        Field("priority", "Khâu đột phá", INT, minimum=0, maximum=32767),
        _units_ref("responsible_unit", "Khóa đơn vị phụ trách"),
        Field("illustrative", "Minh họa", BOOL, default=False,
              help="Chỉ tiêu dựng để minh họa: nguồn chỉ nêu số lượng, không nêu tên hay số liệu."),
        Field("min_value", "Giá trị nhỏ nhất", DECIMAL, digits=(20, 6)),
        Field("max_value", "Giá trị lớn nhất", DECIMAL, digits=(20, 6)),
        Field("decimals", "Số chữ số thập phân", INT, minimum=0, maximum=32767, default=0),
        Field("order", "Thứ tự", INT, minimum=0, maximum=32767, default=0),
    ),
)

TARGETS = Section(
    "targets",
    "targets",
    "Chỉ tiêu giao",
    "Mỗi dòng là mức chỉ tiêu giao cho một đơn vị trong một kỳ. Một chỉ tiêu, một đơn vị, một kỳ chỉ có một dòng.",
    (
        Field("key", "Khóa", KEY, max_length=60, strip=True,
              help="Chỉ cần khi một chỉ tiêu giao khác được phân bổ từ dòng này."),
        Field("indicator", "Mã chỉ tiêu", TEXT, required=True, strip=True),
        _units_ref("unit", "Khóa đơn vị", required=True),
        Field("period", "Kỳ", PERIOD, required=True,
              help="2022-05 (tháng), 2022-Q2 (quý), 2022 (năm), NH2021-2022 (năm học), NK2020-2025 (nhiệm kỳ)."),
        Field("value", "Mức chỉ tiêu", DECIMAL, required=True, digits=(20, 6)),
        Field("allocated_from", "Phân bổ từ (khóa)", REF, ref="targets", strip=True,
              help="Khóa của chỉ tiêu giao mà dòng này được phân bổ từ."),
        Field("clause", "Căn cứ giao chỉ tiêu", TEXT, max_length=400),
        Field("plan", "Khóa kế hoạch", REF, ref="plans", strip=True),
        Field("source", "Khóa nguồn", REF, ref="sources", strip=True),
        _note(),
        Field("indicator_name", "Tên chỉ tiêu (tham khảo)", TEXT, info=True),
        Field("unit_name", "Tên đơn vị (tham khảo)", TEXT, info=True),
    ),
    key="key",
    prefix="g",
)

VALUES = Section(
    "values",
    "values",
    "Số liệu",
    "Mỗi dòng là một số liệu của một chỉ tiêu, một đơn vị, một kỳ. Nhiều dòng cùng chỉ tiêu, đơn vị và kỳ là "
    "lịch sử thay đổi, cũ trước mới sau; dòng cuối là số liệu đang dùng.",
    (
        Field("indicator", "Mã chỉ tiêu", TEXT, required=True, strip=True),
        _units_ref("unit", "Khóa đơn vị", required=True),
        Field("period", "Kỳ", PERIOD, required=True),
        Field("value", "Giá trị", DECIMAL, required=True, digits=(20, 6)),
        Field("measured_on", "Số liệu tính đến ngày", DATE),
        Field("is_estimate", "Ước thực hiện", BOOL, default=False),
        Field("note", "Ghi chú, nguyên nhân", TEXT),
        Field("source", "Khóa nguồn", REF, ref="sources", strip=True),
        Field("state", "Trạng thái", CHOICE, choices=_choices(DataValue.State), default=DataValue.State.DRAFT.value),
        Field("entered_at", "Nhập lúc", DATETIME,
              help="Thời điểm số liệu được nhập, kèm múi giờ. Trống: số liệu mới, ghi lúc nhập tệp."),
        Field("entered_by", "Người nhập", TEXT, max_length=150, strip=True,
              help="Tên đăng nhập của người nhập; khi nhập tệp, nối với tài khoản cùng tên nếu có."),
        Field("change_reason", "Lý do thay đổi", TEXT, max_length=400, strip=True,
              help="Bắt buộc khi dòng này thay cho một số liệu đã gửi hoặc đã duyệt."),
        Field("indicator_name", "Tên chỉ tiêu (tham khảo)", TEXT, info=True),
        Field("unit_name", "Tên đơn vị (tham khảo)", TEXT, info=True),
    ),
)

SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        UNITS, UNIT_VERSIONS, EVENTS, LINKS, RESOLUTIONS, PRIORITIES, PROGRAMS, BOARD_MEMBERS, THEMES,
        THEME_PROGRAMS, PLANS, PLAN_ITEMS, SOURCES, INDICATORS, TARGETS, VALUES,
    )
}
TOP_LEVEL: tuple[Section, ...] = tuple(s for s in SECTIONS.values() if s.parent is None)
KEYED: dict[str, Section] = {s.name: s for s in SECTIONS.values() if s.key}


def children(section: Section) -> tuple[Section, ...]:
    return tuple(SECTIONS[name] for name in section.children)


def all_sections() -> Iterator[Section]:
    """Every section, each top-level one followed by its children (the workbook's sheet order)."""
    for top in TOP_LEVEL:
        yield top
        yield from children(top)


def empty_document() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, **{s.json_name: [] for s in TOP_LEVEL}}


@dataclass
class _Renamer:
    maps: dict[str, dict[str, str]] = field(default_factory=dict)

    def key(self, section: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return self.maps.get(section, {}).get(value, value)


def rekey(document: dict[str, Any]) -> dict[str, Any]:
    """The same document with every key replaced by its section's prefix and the row's
    position ("u1", "u2"…), and every reference renamed to match.

    Two exports of the same data from two databases differ only in their keys (the
    ids); their ``rekey`` forms are equal. The round-trip tests compare these.
    """
    result = copy.deepcopy(document)
    renamer = _Renamer()
    for section in KEYED.values():
        assert section.key is not None and section.parent is None
        rows = result.get(section.json_name, [])
        renamer.maps[section.name] = {
            row[section.key]: f"{section.prefix}{index}"
            for index, row in enumerate(rows, 1)
            if isinstance(row, dict) and row.get(section.key)
        }
    for top in TOP_LEVEL:
        for row in result.get(top.json_name, []):
            _rename_row(top, row, renamer)
            for child in children(top):
                for item in row.get(child.json_name, []):
                    _rename_row(child, item, renamer)
    return result


def rename_keys(section: Section, row: dict[str, Any], maps: dict[str, dict[str, str]]) -> None:
    """Rename, in place, the key and references of one JSON row (not its nested rows)
    by ``maps`` (section name -> old key -> new key)."""
    _rename_row(section, row, _Renamer(maps))


def _rename_row(section: Section, row: dict[str, Any], renamer: _Renamer) -> None:
    for item in section.data_fields:
        if item.name not in row:
            continue
        if item.kind == KEY:
            row[item.name] = renamer.key(section.name, row[item.name])
        elif item.kind == REF and item.ref:
            row[item.name] = renamer.key(item.ref, row[item.name])
