"""Rows as read from a file, before they are checked, and the problems found in them.

Both readers (JSON and XLSX) turn a file into the same rows; each row remembers
where it came from, so that a problem can name the sheet or section, the row and the
column the way the person who wrote the file sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiendo.exchange.schema import FORMAT, TOP_LEVEL, VERSION, Section, children


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (sheet or section, row, column) and why, in Vietnamese."""

    where: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        place = [self.where]
        if self.row is not None:
            place.append(f"dòng {self.row}")
        if self.column:
            place.append(f"cột {self.column}")
        return f"{', '.join(place)}: {self.reason[:1].upper()}{self.reason[1:]}"


@dataclass(frozen=True)
class Origin:
    """Where a row was read: a sheet and its row number with the sheet's headers, or a
    JSON section, the 1-based index in it and, for a nested row, the path inside."""

    where: str
    row: int | None
    headers: dict[str, str] | None = None  # field -> column header and letter (workbooks)
    prefix: str = ""  # "versions[2]." for a nested JSON row

    def column(self, name: str | None) -> str | None:
        if name is None:
            return self.prefix.rstrip(".") or None
        if self.headers is not None:
            return self.headers.get(name, name)
        return f"{self.prefix}{name}"

    def problem(self, name: str | None, reason: str) -> Problem:
        return Problem(self.where, self.row, self.column(name), reason)


@dataclass(eq=False)
class Row:
    """A row of one section: raw values as read, then the parsed ones."""

    section: Section
    raw: dict[str, Any]
    origin: Origin
    parent: Row | None = None
    children: dict[str, list[Row]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def ok(self, *names: str) -> bool:
        """Whether these fields were read without a problem."""
        return not self.bad.intersection(names)

    def problem(self, name: str | None, reason: str) -> Problem:
        return self.origin.problem(name, reason)

    def kids(self, section: str) -> list[Row]:
        return self.children.get(section, [])


Bundle = dict[str, list[Row]]


def empty_bundle() -> Bundle:
    return {section.name: [] for section in TOP_LEVEL}


def rows_from_document(document: Any) -> tuple[Bundle, list[Problem]]:
    """The rows of a parsed JSON document, with the problems of its structure."""
    problems: list[Problem] = []
    bundle = empty_bundle()
    top = "Tệp JSON"
    if not isinstance(document, dict):
        return bundle, [Problem(top, None, None, "tệp phải là một đối tượng JSON {…} với các phần units, values….")]
    if document.get("format") != FORMAT:
        problems.append(Problem(top, None, "format", f"không phải tệp trao đổi của tiendo (cần \"format\": \"{FORMAT}\")."))
    if document.get("version") != VERSION:
        problems.append(
            Problem(top, None, "version", f"phiên bản định dạng {document.get('version')!r} không được hỗ trợ (cần {VERSION}).")
        )
    known = {"format", "version", *(s.json_name for s in TOP_LEVEL)}
    for name in document:
        if name not in known:
            problems.append(Problem(top, None, str(name), "phần này không có trong định dạng."))
    for section in TOP_LEVEL:
        if section.json_name not in document:
            problems.append(Problem(section.json_name, None, None, "thiếu phần này (ghi [] nếu không có dòng nào)."))
            continue
        items = document[section.json_name]
        if not isinstance(items, list):
            problems.append(Problem(section.json_name, None, None, "phải là một danh sách […]."))
            continue
        for index, item in enumerate(items, 1):
            row = _json_row(section, item, Origin(section.json_name, index), None, problems)
            if row is None:
                continue
            for child in children(section):
                nested = item.get(child.json_name, [])
                if not isinstance(nested, list):
                    problems.append(row.problem(child.json_name, "phải là một danh sách […]."))
                    continue
                kids = row.children.setdefault(child.name, [])
                for position, kid in enumerate(nested, 1):
                    origin = Origin(section.json_name, index, prefix=f"{child.json_name}[{position}].")
                    child_row = _json_row(child, kid, origin, row, problems)
                    if child_row is not None:
                        kids.append(child_row)
            bundle[section.name].append(row)
    return bundle, problems


def _json_row(section: Section, item: Any, origin: Origin, parent: Row | None, problems: list[Problem]) -> Row | None:
    if not isinstance(item, dict):
        problems.append(origin.problem(None, "mỗi dòng phải là một đối tượng {…}."))
        return None
    allowed = {f.name for f in section.data_fields} | {c.json_name for c in children(section)}
    for name in item:
        if name not in allowed:
            problems.append(origin.problem(str(name), "trường này không có trong định dạng."))
    raw = {f.name: item[f.name] for f in section.data_fields if f.name in item}
    return Row(section, raw, origin, parent)
