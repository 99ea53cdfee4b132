"""Importing an exchange file (nhập dữ liệu): all or nothing.

1. **Read** the file (JSON or XLSX) into rows that remember their sheet or section,
   row and column. A file over ``EXCHANGE_MAX_BYTES``, broken JSON, a file that is
   not a workbook, a missing sheet or column stop here.
2. **Check** every row without writing: types, required fields, keys and references,
   duplicates, the history of each unit, and the rules the services apply to targets
   and values (``check_value``, ``check_period``, ``check_unit_in_period``, called on
   the file's own indicators and units). Every problem is collected.
3. Only if there is none, **write** everything in one ``transaction.atomic`` through
   the services: the unit tree is replayed with ``create_unit``, ``rename_unit``,
   ``move_unit`` and ``reorganise``; targets go through ``set_target`` and values
   through ``record_value``, so validation and the audit log stay in one place.
   Anything the services refuse is reported with its row, and the whole import is
   rolled back; so is any unexpected exception. ``dry_run`` does all of it and
   rolls back at the end.

Keys: a row whose key has an export's form ("u12", "r3"…) and names a row of the
database is that row, which must then be exactly as the file says (the file does not
edit units, events, resolutions, programs, themes, plans, sources or indicators);
any other key is a new row. Targets are matched by indicator, unit and period and
changed through ``set_target`` when they differ. Values add to the history: a row
whose entered time matches a figure of the database must be that figure; the other
rows are new figures, recorded in order.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, scope_paths
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.exchange import export, tree
from tiendo.exchange.fields import choice_label, parse, to_json
from tiendo.exchange.rows import Bundle, Problem, Row, rows_from_document
from tiendo.exchange.schema import (
    KEYED,
    REF,
    SECTIONS,
    TOP_LEVEL,
    all_sections,
    children,
    rename_keys,
)
from tiendo.exchange.xlsx import read_workbook
from tiendo.indicators import services as indicator_services
from tiendo.indicators.models import DataValue, Indicator, Source, Target
from tiendo.lib import periods
from tiendo.lib.vn import format_date, format_number
from tiendo.orgs import services as orgs
from tiendo.orgs.models import OrgUnit, ReorgEvent, ReorgLink, UnitVersion, describe_interval
from tiendo.plans.models import BoardMember, Plan, PlanItem, Priority, Program, Resolution, Theme

CREATED, UNCHANGED, UPDATED = "mới", "đã có", "cập nhật"
FILE = "Tệp"
JSON_FILE = "Tệp JSON"
MASTER = ("resolutions", "programs", "themes", "plans", "sources", "indicators")
MODELS: dict[str, type[models.Model]] = {
    "units": OrgUnit,
    "events": ReorgEvent,
    "resolutions": Resolution,
    "themes": Theme,
    "plans": Plan,
    "sources": Source,
    "targets": Target,
}


@dataclass
class Report:
    """What an import found and did: problems (nothing was written if any), warnings,
    and per sheet how many rows were new, already there, or changed."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        lines = []
        for section in (s for s in SECTIONS.values() if s.sheet in self.counts):
            counter = self.counts[section.sheet]
            parts = [f"{counter[k]} {k}" for k in (CREATED, UPDATED, UNCHANGED) if counter[k]]
            lines.append(f"{section.sheet}: {', '.join(parts)}")
        return lines


class _Rollback(Exception):
    pass


# --- Reading ---------------------------------------------------------------------------


def read_bytes(data: bytes, name: str = "") -> tuple[Bundle, list[Problem], list[Problem], bool]:
    """The rows of a file's content, the problems that stop the import, warnings, and
    whether the file was a workbook (typed by people) rather than JSON."""
    limit = settings.EXCHANGE_MAX_BYTES
    if len(data) > limit:
        problem = Problem(
            FILE, None, None,
            f"tệp nặng {format_number(len(data))} byte, quá giới hạn {format_number(limit)} byte (EXCHANGE_MAX_BYTES).",
        )
        return {}, [problem], [], False
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or (suffix != ".json" and data[:2] == b"PK"):
        bundle, problems, warnings = read_workbook(data)
        return bundle, problems, warnings, True
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return {}, [Problem(JSON_FILE, None, None, f"tệp không phải là văn bản UTF-8 (byte thứ {error.start + 1}).")], [], False
    if not text.strip():
        return {}, [Problem(JSON_FILE, None, None, "tệp rỗng.")], [], False
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        cut = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        reason = "JSON bị cắt cụt: tệp kết thúc giữa chừng" if cut else "JSON hỏng"
        return {}, [Problem(JSON_FILE, error.lineno, str(error.colno), f"{reason} ({error.msg}).")], [], False
    except RecursionError:
        return {}, [Problem(JSON_FILE, None, None, "JSON lồng quá sâu.")], [], False
    bundle, problems = rows_from_document(document)
    return bundle, problems, [], False


def read_file(path: str | Path) -> tuple[Bundle, list[Problem], list[Problem], bool]:
    target = Path(path)
    try:
        size = target.stat().st_size
    except OSError as error:
        return {}, [Problem(FILE, None, None, f"không đọc được tệp “{target}” ({error.strerror}).")], [], False
    if size > settings.EXCHANGE_MAX_BYTES:
        problem = Problem(
            FILE, None, None,
            f"tệp nặng {format_number(size)} byte, quá giới hạn {format_number(settings.EXCHANGE_MAX_BYTES)} byte "
            "(EXCHANGE_MAX_BYTES).",
        )
        return {}, [problem], [], False
    return read_bytes(target.read_bytes(), target.name)


def import_file(path: str | Path, *, actor: Any = None, dry_run: bool = False) -> Report:
    bundle, problems, warnings, human = read_file(path)
    return _finish(bundle, problems, warnings, human, actor, dry_run)


def import_bytes(data: bytes, name: str, *, actor: Any = None, dry_run: bool = False) -> Report:
    bundle, problems, warnings, human = read_bytes(data, name)
    return _finish(bundle, problems, warnings, human, actor, dry_run)


def import_document(document: Any, *, actor: Any = None, dry_run: bool = False) -> Report:
    """Import a document already parsed from JSON (decimals as strings or Decimal)."""
    bundle, problems = rows_from_document(document)
    return _finish(bundle, problems, [], False, actor, dry_run)


def _finish(
    bundle: Bundle, problems: list[Problem], warnings: list[Problem], human: bool, actor: Any, dry_run: bool
) -> Report:
    if problems:
        return Report(problems=problems, warnings=warnings, dry_run=dry_run)
    return _Importer(bundle, actor, human=human, warnings=warnings).run(dry_run=dry_run)


# --- Checking and writing --------------------------------------------------------------


@dataclass(frozen=True)
class _UnitStub:
    """A unit of the file as the services' checks see it: its interval and its name."""

    valid_from: dt.date
    valid_to: dt.date | None
    name: str

    def __str__(self) -> str:
        return self.name

    @property
    def interval_text(self) -> str:
        return describe_interval(self.valid_from, self.valid_to)


@dataclass
class _UnitPlan:
    row: Row
    versions: list[Row]
    existing: OrgUnit | None
    plain_end: bool = False  # created with its end date (no event ends it)
    touched: bool = False  # changed by an event of the file


@dataclass
class _EventPlan:
    row: Row
    existing: ReorgEvent | None
    founds: list[str] = field(default_factory=list)
    renames: list[Row] = field(default_factory=list)
    moves: list[Row] = field(default_factory=list)
    ends: list[str] = field(default_factory=list)


_GROUP = tuple[str, str, periods.Period]


class _Importer:
    def __init__(self, bundle: Bundle, actor: Any, *, human: bool, warnings: list[Problem]) -> None:
        self.bundle = bundle
        self.actor = actor
        self.human = human
        self.problems: list[Problem] = []
        self.warnings = list(warnings)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.doc: dict[str, dict[str, Row]] = {name: {} for name in KEYED}
        self.db: dict[str, dict[str, Any]] = {name: {} for name in KEYED}
        self.unit_plans: dict[str, _UnitPlan] = {}
        self.event_plans: dict[str, _EventPlan] = {}
        self.indicators_doc: dict[str, Row] = {}
        self.indicators_db: dict[str, Indicator] = {}
        self.programs_doc: dict[tuple[str, str], Row] = {}
        self.programs_db: dict[tuple[str, str], Program] = {}
        self.priorities_db: dict[tuple[str, int], Priority] = {}
        self.users: dict[str, Any] = {}
        self.existing_values: dict[_GROUP, list[DataValue]] = {}
        # What the write phase made: key -> database row.
        self.units: dict[str, OrgUnit] = {}
        self.events: dict[str, ReorgEvent] = {}
        self.made: dict[str, dict[Any, Any]] = defaultdict(dict)
        self.indicator_order: list[Row] = []
        self.target_order: list[Row] = []
        self.pending_items: list[tuple[Plan, Row]] = []

    def rows(self, section: str) -> list[Row]:
        return self.bundle.get(section, [])

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    # -- driver ------------------------------------------------------------------------

    def run(self, *, dry_run: bool) -> Report:
        self.parse_all()
        self.load_database()
        self.check_keys()
        self.check_tree()
        self.check_plans_and_programs()
        self.check_indicators()
        self.check_targets()
        self.check_values()
        self.check_permission()
        if not self.problems:
            try:
                with transaction.atomic():
                    self.write()
                    if self.problems or dry_run:
                        raise _Rollback
            except _Rollback:
                pass
        report = Report(problems=_in_file_order(self.problems), warnings=_in_file_order(self.warnings), dry_run=dry_run)
        if not self.problems:
            report.counts = dict(self.counts)
        return report

    # -- 1. fields -------------------------------------------------------------------------

    def parse_all(self) -> None:
        for top in TOP_LEVEL:
            for row in self.rows(top.name):
                self.parse_row(row)
                for child in children(top):
                    for kid in row.kids(child.name):
                        self.parse_row(kid)

    def parse_row(self, row: Row) -> None:
        for item in row.section.fields:
            if item.info or item.link_to:
                continue
            raw = row.raw.get(item.name)
            if item.name in row.bad:
                row.values[item.name] = item.empty
                continue
            try:
                value = parse(item, raw, human=self.human)
            except ValueError as error:
                self.add(row.problem(item.name, str(error)))
                row.bad.add(item.name)
                row.values[item.name] = item.empty
                continue
            if value is None or value == "":
                if item.required:
                    self.add(row.problem(item.name, "không được để trống."))
                    row.bad.add(item.name)
                value = item.empty
            row.values[item.name] = value

    # -- 2. what the database already holds ------------------------------------------

    def load_database(self) -> None:
        """Fetch, in a few queries, every row of the database the file names."""
        wanted: dict[str, set[str]] = defaultdict(set)
        codes: set[str] = set()
        usernames: set[str] = set()
        for row in self._all_rows():
            for item in row.section.fields:
                value = row.values.get(item.name)
                if not isinstance(value, str) or not value:
                    continue
                if item.kind == "key" and row.section.name in KEYED:
                    wanted[row.section.name].add(value)
                elif item.kind == REF and item.ref:
                    wanted[item.ref].add(value)
                elif item.name in ("indicator", "numerator", "denominator", "weight") or (
                    row.section.name == "indicators" and item.name == "code"
                ):
                    codes.add(value)
                elif item.name in ("username", "entered_by"):
                    usernames.add(value)
        for name, keys in wanted.items():
            section = KEYED[name]
            ids = {int(m[1]): key for key in keys if (m := re.fullmatch(re.escape(section.prefix) + r"(\d{1,18})", key))}
            if ids:
                for obj in MODELS[name]._default_manager.filter(pk__in=list(ids)):
                    self.db[name][ids[obj.pk]] = obj
        self.indicators_db = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        resolution_ids = {obj.pk: key for key, obj in self.db["resolutions"].items()}
        for program in Program.objects.filter(resolution_id__in=list(resolution_ids)):
            self.programs_db[(resolution_ids[program.resolution_id], program.number)] = program
        for priority in Priority.objects.filter(resolution_id__in=list(resolution_ids)):
            self.priorities_db[(resolution_ids[priority.resolution_id], priority.number)] = priority
        self.users = {u.get_username(): u for u in get_user_model()._default_manager.filter(username__in=usernames)}

    def _all_rows(self) -> Iterable[Row]:
        for top in TOP_LEVEL:
            for row in self.rows(top.name):
                yield row
                for child in children(top):
                    yield from row.kids(child.name)

    def known(self, section: str, key: Any) -> bool:
        return isinstance(key, str) and (key in self.doc[section] or key in self.db[section])

    def ref(self, row: Row, name: str, section: str, what: str) -> bool:
        """Whether the reference in ``row[name]`` names a row of the file or the database;
        a problem if not. An empty reference is fine (required ones were checked)."""
        key = row[name]
        if not key or not row.ok(name):
            return bool(key)
        if self.known(section, key):
            return True
        self.add(row.problem(name, f"không có {what} nào có khóa “{key}” (trong tệp hay trong cơ sở dữ liệu)."))
        row.bad.add(name)
        return False

    def check_keys(self) -> None:
        for name, section in KEYED.items():
            assert section.key is not None
            seen: dict[str, Row] = {}
            for row in self.rows(name):
                key = row[section.key]
                if not key:
                    continue
                if key in seen:
                    self.add(row.problem(section.key, f"khóa “{key}” đã dùng ở {_at(seen[key])}."))
                    row.bad.add(section.key)
                    continue
                seen[key] = row
            self.doc[name] = seen
        for row in self.rows("indicators"):
            code = row["code"]
            if code in self.indicators_doc:
                self.add(row.problem("code", f"mã “{code}” đã dùng ở {_at(self.indicators_doc[code])}."))
                row.bad.add("code")
            elif code:
                self.indicators_doc[code] = row

    def same_as_database(
        self, row: Row, current: dict[str, Any], what: str, name: str | None = None, advice: str = ""
    ) -> bool:
        """Compare a row of the file with the export of the database row it names;
        a problem listing what differs if they are not the same."""
        mine = self.as_json(row)
        differences = []
        for item in row.section.data_fields:
            if mine.get(item.name) != current.get(item.name):
                differences.append(
                    f"{item.label}: đang là {_show(item, current.get(item.name))}, tệp ghi {_show(item, mine.get(item.name))}"
                )
        for child in children(row.section):
            ours = sorted(json.dumps(x, sort_keys=True, default=str) for x in mine.get(child.json_name, []))
            theirs = sorted(json.dumps(x, sort_keys=True, default=str) for x in current.get(child.json_name, []))
            if ours != theirs:
                differences.append(f"các dòng ở trang “{child.sheet}” khác với dữ liệu đã có")
        if differences:
            self.add(row.problem(
                None,
                f"{what} “{name or row[row.section.key or '']}” đã có trong cơ sở dữ liệu nhưng khác tệp: "
                + "; ".join(differences)
                + ". "
                + (advice or "Tệp nhập không sửa dữ liệu đã có; nếu đây là dữ liệu mới từ hệ thống khác, hãy đổi khóa."),
            ))
            return False
        return True

    def as_json(self, row: Row) -> dict[str, Any]:
        data = {item.name: to_json(item, row.values.get(item.name)) for item in row.section.data_fields}
        for child in children(row.section):
            data[child.json_name] = [self.as_json(kid) for kid in row.kids(child.name)]
        return data

    # -- 2a. the unit tree -------------------------------------------------------------

    def check_tree(self) -> None:
        before = len(self.problems)
        new_events = {k for k in self.doc["events"] if k not in self.db["events"]}
        for key, row in self.doc["events"].items():
            self.event_plans[key] = _EventPlan(row, self.db["events"].get(key))
        for key, row in self.doc["units"].items():
            existing = self.db["units"].get(key)
            versions = sorted(row.kids("unit_versions"), key=lambda v: v["valid_from"] or dt.date.min)
            plan = _UnitPlan(row, versions, existing)
            self.unit_plans[key] = plan
            if existing is not None and row.ok("kind") and existing.kind != row["kind"]:
                self.add(row.problem(
                    "kind", f"đơn vị “{existing}” (khóa {key}) đã có với loại {choice_label(row.section.field('kind'), existing.kind)}."
                ))
            self.check_versions(plan)
        for row in self.rows("events"):
            self.check_links(row)
        tree_rows = [*self.rows("units"), *self.rows("events")]
        if len(self.problems) > before or any(r.bad or any(k.bad for ks in r.children.values() for k in ks) for r in tree_rows):
            return  # the history cannot be read until its rows are
        self.derive_operations(new_events)
        if len(self.problems) > before:
            return
        stored: dict[int, list[UnitVersion]] = defaultdict(list)
        existing_units = [p.existing for p in self.unit_plans.values() if p.existing is not None and not p.touched]
        for version in UnitVersion.objects.filter(unit__in=existing_units).order_by("unit_id", "valid_from"):
            stored[version.unit_id].append(version)
        for plan in self.unit_plans.values():
            if plan.existing is not None and not plan.touched:
                self.same_as_database(plan.row, export.unit_row(plan.existing, stored[plan.existing.pk]), "Đơn vị")
        links: dict[int, list[ReorgLink]] = defaultdict(list)
        existing_events = [p.existing for p in self.event_plans.values() if p.existing is not None]
        for link in ReorgLink.objects.filter(event__in=existing_events).order_by("id"):
            links[link.event_id].append(link)
        for event_plan in self.event_plans.values():
            if event_plan.existing is not None:
                event = event_plan.existing
                self.same_as_database(event_plan.row, export.event_row(event, links[event.pk]), "Sự kiện")
        self.check_schedule()

    def check_versions(self, plan: _UnitPlan) -> None:
        row = plan.row
        if not plan.versions:
            self.add(row.problem(None, "đơn vị cần ít nhất một dòng ở trang “Phiên bản đơn vị” (tên, mã, cấp trên)."))
            return
        start, end = row["valid_from"], row["valid_to"]
        if start and end and end <= start:
            self.add(row.problem("valid_to", "ngày kết thúc phải sau ngày bắt đầu."))
        previous: Row | None = None
        for version in plan.versions:
            self.ref(version, "parent", "units", "đơn vị")
            self.ref(version, "event", "events", "sự kiện")
            if version["parent"] and version["parent"] == row["key"]:
                self.add(version.problem("parent", "đơn vị không thể là cấp trên của chính nó."))
            if not version.ok("valid_from", "valid_to"):
                previous = version
                continue
            if version["valid_to"] and version["valid_to"] <= version["valid_from"]:
                self.add(version.problem("valid_to", "ngày hết hiệu lực phải sau ngày hiệu lực."))
            if previous is None:
                if start and version["valid_from"] != start:
                    self.add(version.problem(
                        "valid_from", f"phiên bản đầu tiên phải bắt đầu đúng ngày đơn vị bắt đầu ({format_date(start)})."
                    ))
            elif previous["valid_to"] != version["valid_from"]:
                expected = format_date(previous["valid_to"]) if previous["valid_to"] else "—"
                self.add(version.problem(
                    "valid_from",
                    f"phải bắt đầu đúng ngày phiên bản trước hết hiệu lực ({expected}); các phiên bản không được hở hay chồng nhau.",
                ))
            previous = version
        last = plan.versions[-1]
        if last.ok("valid_to") and row.ok("valid_to") and last["valid_to"] != end:
            shown = format_date(end) if end else "trống"
            self.add(last.problem("valid_to", f"phiên bản cuối phải hết hiệu lực cùng ngày đơn vị kết thúc ({shown})."))

    def check_links(self, row: Row) -> None:
        pairs: dict[tuple[str, str], Row] = {}
        for link in row.kids("links"):
            ok = self.ref(link, "predecessor", "units", "đơn vị") & self.ref(link, "successor", "units", "đơn vị")
            if not ok:
                continue
            pair = (link["predecessor"], link["successor"])
            if pair[0] == pair[1]:
                self.add(link.problem("successor", "đơn vị nhận phải khác đơn vị chuyển đi."))
            if pair in pairs:
                self.add(link.problem("successor", f"cặp đơn vị này đã khai ở {_at(pairs[pair])}."))
            pairs[pair] = link
            share = link["share"]
            if share is not None and not Decimal(0) <= share <= Decimal(1):
                self.add(link.problem("share", "tỷ lệ chuyển phải từ 0 đến 1."))

    def derive_operations(self, new_events: set[str]) -> None:
        """Which service call makes each version of the file: see tree.py."""
        order = [
            tree.EventAt(key, plan.row["date"], plan.row["kind"])
            for key, plan in self.event_plans.items()
            if key in new_events
        ]
        ends: dict[Any, dt.date] = {}
        for key, plan in self.unit_plans.items():
            row = plan.row
            existing = plan.existing
            for index, version in enumerate(plan.versions):
                event_key = version["event"]
                if event_key in new_events:
                    plan.touched = True
                    event = self.event_plans[event_key]
                    if version["valid_from"] != event.row["date"]:
                        self.add(version.problem(
                            "event", f"phiên bản bắt đầu {format_date(version['valid_from'])} nhưng sự kiện “{event_key}” "
                            f"có hiệu lực ngày {format_date(event.row['date'])}.",
                        ))
                        continue
                    if index == 0:
                        if existing is not None:
                            self.add(version.problem("event", "đơn vị đã có không thể được thành lập bởi một sự kiện mới."))
                        elif not version["parent"]:
                            self.add(version.problem("parent", "đơn vị do sự kiện thành lập phải có cấp trên."))
                        else:
                            event.founds.append(key)
                        continue
                    before = plan.versions[index - 1]
                    renamed = (before["name"], before["code"]) != (version["name"], version["code"])
                    moved = before["parent"] != version["parent"]
                    if renamed:
                        event.renames.append(version)
                    if moved:
                        if not version["parent"]:
                            self.add(version.problem("parent", "không thể chuyển đơn vị thành đơn vị cấp cao nhất."))
                        event.moves.append(version)
                elif event_key is None and index > 0 and existing is None:
                    self.add(version.problem(
                        "event", "chỉ phiên bản đầu tiên của đơn vị mới có thể không gắn sự kiện; hãy ghi khóa sự kiện "
                        "đổi tên, chuyển cấp trên hoặc sắp xếp đã tạo ra phiên bản này.",
                    ))
                elif event_key is not None and event_key not in new_events and existing is None:
                    self.add(version.problem(
                        "event", f"sự kiện “{event_key}” đã có trong cơ sở dữ liệu; không thể gắn nó cho đơn vị mới.",
                    ))
            end = row["valid_to"]
            if end is not None and (existing is None or existing.valid_to is None):
                ends[key] = end
            elif existing is not None and existing.valid_to != end:
                self.add(row.problem(
                    "valid_to", f"đơn vị “{existing}” đã kết thúc từ {format_date(existing.valid_to)}; tệp không sửa được ngày này.",
                ))
        ended_by = tree.ending_events(ends, order)
        for key, end in ends.items():
            plan = self.unit_plans[key]
            if key in ended_by:
                self.event_plans[str(ended_by[key])].ends.append(key)
                plan.touched = True
            elif plan.existing is None and plan.versions and plan.versions[0]["event"] is None:
                plan.plain_end = True
            else:
                self.add(plan.row.problem(
                    "valid_to", f"không có sự kiện sắp xếp mới nào (trừ đổi tên, chuyển cấp trên) ngày {format_date(end)} "
                    "để kết thúc đơn vị này.",
                ))
        for key in new_events:
            self.check_event_shape(self.event_plans[key])

    def check_event_shape(self, plan: _EventPlan) -> None:
        row = plan.row
        kind = row["kind"]
        label = choice_label(row.section.field("kind"), kind)
        if kind in tree.SINGLE_KINDS:
            changes = plan.renames if kind == ReorgEvent.Kind.RENAME else plan.moves
            others = plan.moves if kind == ReorgEvent.Kind.RENAME else plan.renames
            if len(changes) != 1 or others or plan.founds or plan.ends or row.kids("links"):
                what = "đổi tên hoặc mã" if kind == ReorgEvent.Kind.RENAME else "chuyển cấp trên"
                self.add(row.problem(
                    "kind", f"sự kiện “{label}” phải {what} của đúng một đơn vị và không làm gì khác; ở đây có "
                    f"{len(changes)} thay đổi loại đó, {len(others)} thay đổi khác, {len(plan.founds)} đơn vị thành lập, "
                    f"{len(plan.ends)} đơn vị kết thúc và {len(row.kids('links'))} liên kết kế thừa.",
                ))
            if row["assumption"]:
                self.add(row.problem("assumption", f"sự kiện “{label}” không ghi giả định; hãy ghi vào ghi chú."))
        elif plan.renames:
            version = plan.renames[0]
            self.add(version.problem(
                "name", f"sự kiện “{label}” không đổi tên hay mã đơn vị đã có; hãy ghi một sự kiện đổi tên riêng.",
            ))

    def check_schedule(self) -> None:
        starts, events = self._schedule_input()
        _steps, stuck = tree.schedule(starts, events, known=set(self.db["units"]))
        for key in stuck:
            version = self.unit_plans[str(key)].versions[0]
            self.add(version.problem(
                "parent", f"đơn vị cấp trên “{version['parent']}” không tồn tại vào ngày {format_date(version['valid_from'])}.",
            ))

    def _schedule_input(self) -> tuple[list[tree.UnitStart], list[tree.EventAt]]:
        new_events = [p for p in self.event_plans.values() if p.existing is None]
        founded = {unit for p in new_events for unit in p.founds}
        starts = [
            tree.UnitStart(
                key,
                plan.row["valid_from"],
                plan.versions[0]["parent"] or None,
                plan.versions[0]["event"] if key in founded else None,
            )
            for key, plan in self.unit_plans.items()
            if plan.existing is None
        ]
        events = [tree.EventAt(p.row["key"], p.row["date"], p.row["kind"]) for p in new_events]
        return starts, events

    # -- 2b. resolutions, programs, themes, plans, sources ---------------------------------

    def check_plans_and_programs(self) -> None:
        for row in self.rows("resolutions"):
            self.ref(row, "issuer", "units", "đơn vị")
            if row["term_start"] is not None and row["term_end"] is not None and row["term_end"] <= row["term_start"]:
                self.add(row.problem("term_end", "năm kết thúc nhiệm kỳ phải sau năm bắt đầu."))
            numbers: dict[int, Row] = {}
            for priority in row.kids("priorities"):
                if priority["number"] in numbers:
                    self.add(priority.problem("number", f"thứ tự này đã dùng ở {_at(numbers[priority['number']])}."))
                numbers[priority["number"]] = priority
            existing = self.db["resolutions"].get(row["key"])
            if existing is not None:
                self.same_as_database(row, export.resolution_row(existing), "Nghị quyết")
        for row in self.rows("programs"):
            self.ref(row, "resolution", "resolutions", "nghị quyết")
            self.ref(row, "lead_unit", "units", "đơn vị")
            key = (row["resolution"], row["number"])
            if key in self.programs_doc:
                self.add(row.problem("number", f"chương trình này đã khai ở {_at(self.programs_doc[key])}."))
                continue
            self.programs_doc[key] = row
            if row["priority"] is not None and not self.priority_exists(row["resolution"], row["priority"]):
                self.add(row.problem("priority", f"nghị quyết “{row['resolution']}” không có khâu đột phá thứ {row['priority']}."))
            for member in row.kids("board_members"):
                self.user_warning(member, "username")
            existing = self.programs_db.get(key)
            if existing is not None:
                self.same_as_database(row, export.program_row(existing, []), "Chương trình", row["number"])
        for row in self.rows("themes"):
            self.ref(row, "issuer", "units", "đơn vị")
            for link in row.kids("theme_programs"):
                if self.ref(link, "resolution", "resolutions", "nghị quyết"):
                    self.program_ref(link, "resolution", "program")
            existing = self.db["themes"].get(row["key"])
            if existing is not None:
                self.same_as_database(row, export.theme_row(existing), "Chủ đề")
        for row in self.rows("plans"):
            self.ref(row, "unit", "units", "đơn vị")
            self.ref(row, "theme", "themes", "chủ đề")
            if bool(row["resolution"]) != bool(row["program"]):
                self.add(row.problem("program", "ghi cả khóa nghị quyết và số, ký hiệu chương trình, hoặc để trống cả hai."))
            elif row["resolution"] and self.ref(row, "resolution", "resolutions", "nghị quyết"):
                self.program_ref(row, "resolution", "program")
            if not row["program"] and not row["theme"] and row.ok("theme", "program"):
                self.add(row.problem("program", "kế hoạch phải thực hiện một chương trình hoặc một chủ đề."))
            for item in row.kids("plan_items"):
                self.ref(item, "responsible_unit", "units", "đơn vị")
                self.indicator_ref(item, "indicator")
            existing = self.db["plans"].get(row["key"])
            if existing is not None:
                self.same_as_database(row, export.plan_row(existing), "Kế hoạch")
        validate_url = URLValidator()
        for row in self.rows("sources"):
            if row["url"]:
                try:
                    validate_url(row["url"])
                except ValidationError:
                    self.add(row.problem("url", f"“{row['url']}” không phải là địa chỉ web hợp lệ."))
            existing = self.db["sources"].get(row["key"])
            if existing is not None:
                self.same_as_database(row, export.source_row(existing), "Nguồn")

    def priority_exists(self, resolution: str, number: int) -> bool:
        row = self.doc["resolutions"].get(resolution)
        if row is not None:
            return any(p["number"] == number for p in row.kids("priorities"))
        return (resolution, number) in self.priorities_db

    def program_ref(self, row: Row, resolution_field: str, number_field: str) -> bool:
        key = (row[resolution_field], row[number_field])
        if key in self.programs_doc or key in self.programs_db:
            return True
        self.add(row.problem(number_field, f"nghị quyết “{key[0]}” không có chương trình “{key[1]}” (trong tệp hay trong cơ sở dữ liệu)."))
        return False

    def indicator_ref(self, row: Row, name: str) -> bool:
        code = row[name]
        if not code or not row.ok(name):
            return bool(code)
        if code in self.indicators_doc or code in self.indicators_db:
            return True
        self.add(row.problem(name, f"không có chỉ tiêu nào mã “{code}” (trong tệp hay trong cơ sở dữ liệu)."))
        row.bad.add(name)
        return False

    def user_warning(self, row: Row, name: str) -> None:
        username = row[name]
        if username and username not in self.users:
            self.warnings.append(row.problem(
                name, f"không có tài khoản “{username}” trong hệ thống này; dòng được ghi mà không gắn tài khoản."
            ))

    # -- 2c. indicators ------------------------------------------------------------------

    def check_indicators(self) -> None:
        rows = [row for row in self.rows("indicators") if row.ok("code")]
        for row in rows:
            for name in ("numerator", "denominator", "weight"):
                self.indicator_ref(row, name)
            self.ref(row, "responsible_unit", "units", "đơn vị")
            aggregation = row["unit_aggregation"]
            if aggregation == Indicator.UnitAggregation.RATIO_OF_SUMS and not (row["numerator"] and row["denominator"]):
                self.add(row.problem("unit_aggregation", "chỉ tiêu tính theo tỷ lệ của tổng cần mã chỉ tiêu tử số và mẫu số."))
            if aggregation == Indicator.UnitAggregation.WEIGHTED_AVERAGE and not row["weight"]:
                self.add(row.problem("unit_aggregation", "chỉ tiêu trung bình có trọng số cần mã chỉ tiêu trọng số."))
            if aggregation == Indicator.UnitAggregation.COUNT_MEETING and row["threshold"] is None:
                self.add(row.problem("threshold", "chỉ tiêu đếm số đơn vị đạt ngưỡng cần có ngưỡng."))
            if (row["program"] or row["priority"] is not None) and not row["resolution"]:
                self.add(row.problem("resolution", "cần khóa nghị quyết của chương trình hoặc khâu đột phá."))
            elif row["resolution"] and self.ref(row, "resolution", "resolutions", "nghị quyết"):
                if row["program"]:
                    self.program_ref(row, "resolution", "program")
                if row["priority"] is not None and not self.priority_exists(row["resolution"], row["priority"]):
                    self.add(row.problem("priority", f"nghị quyết “{row['resolution']}” không có khâu đột phá thứ {row['priority']}."))
            existing = self.indicators_db.get(row["code"])
            if existing is not None:
                current = export.indicator_row(
                    Indicator.objects.select_related("numerator", "denominator", "weight", "program", "priority").get(pk=existing.pk), []
                )
                self.same_as_database(row, current, "Chỉ tiêu", row["code"])
        self.indicator_order = self._indicator_order(rows)

    def _indicator_order(self, rows: list[Row]) -> list[Row]:
        """The file's new indicators, each after the indicators it is computed from."""
        ordered: list[Row] = []
        state: dict[str, str] = {}

        def visit(row: Row) -> None:
            code = row["code"]
            if state.get(code) == "done":
                return
            if state.get(code) == "visiting":
                self.add(row.problem("numerator", f"chỉ tiêu “{code}” được tính từ chính nó (vòng lặp tử số, mẫu số, trọng số)."))
                return
            state[code] = "visiting"
            for name in ("numerator", "denominator", "weight"):
                other = self.indicators_doc.get(row[name])
                if other is not None and other is not row:
                    visit(other)
                elif other is row:
                    self.add(row.problem(name, "chỉ tiêu không thể được tính từ chính nó."))
            state[code] = "done"
            ordered.append(row)

        for row in rows:
            if row["code"] and self.indicators_doc.get(row["code"]) is row:
                visit(row)
        return ordered

    def indicator_for_checks(self, code: str) -> Indicator | None:
        """The indicator as the services' checks see it: the database's, or an unsaved
        one built from the file."""
        if code in self.indicators_doc:
            row = self.indicators_doc[code]
            if not row.ok("value_type", "frequency", "min_value", "max_value"):
                return None
            return Indicator(
                code=code,
                value_type=row["value_type"],
                frequency=row["frequency"],
                min_value=row["min_value"],
                max_value=row["max_value"],
            )
        return self.indicators_db.get(code)

    def unit_for_checks(self, key: str) -> Any:
        plan = self.unit_plans.get(key)
        if plan is not None:
            name = plan.versions[-1]["name"] if plan.versions else key
            return _UnitStub(plan.row["valid_from"], plan.row["valid_to"], name)
        return self.db["units"].get(key)

    # -- 2d. targets and values ----------------------------------------------------------

    def check_targets(self) -> None:
        seen: dict[tuple[str, str, periods.Period], Row] = {}
        for row in self.rows("targets"):
            indicator_ok = self.indicator_ref(row, "indicator")
            unit_ok = self.ref(row, "unit", "units", "đơn vị")
            self.ref(row, "allocated_from", "targets", "chỉ tiêu giao")
            self.ref(row, "plan", "plans", "kế hoạch")
            self.ref(row, "source", "sources", "nguồn")
            if row["allocated_from"] and row["allocated_from"] == row["key"]:
                self.add(row.problem("allocated_from", "chỉ tiêu giao không thể được phân bổ từ chính nó."))
            if not (indicator_ok and unit_ok and row.ok("period", "value")):
                continue
            group = (row["indicator"], row["unit"], row["period"])
            if group in seen:
                self.add(row.problem("period", f"đơn vị đã có chỉ tiêu giao cho chỉ tiêu và kỳ này ở {_at(seen[group])}."))
                continue
            seen[group] = row
            indicator = self.indicator_for_checks(row["indicator"])
            unit = self.unit_for_checks(row["unit"])
            if indicator is not None:
                self.service_check(row, lambda: indicator_services.check_value(indicator, row["value"]))  # noqa: B023
            if unit is not None:
                self.service_check(row, lambda: indicator_services.check_unit_in_period(unit, row["period"], "chỉ tiêu"))  # noqa: B023
        self.target_order = self._target_order()

    def _target_order(self) -> list[Row]:
        rows = self.rows("targets")
        by_key = {row["key"]: row for row in rows if row["key"]}
        ordered: list[Row] = []
        state: dict[int, str] = {}

        def visit(row: Row) -> None:
            mark = state.get(id(row))
            if mark == "done":
                return
            if mark == "visiting":
                self.add(row.problem("allocated_from", "vòng lặp phân bổ: chỉ tiêu giao được phân bổ từ chính nó."))
                return
            state[id(row)] = "visiting"
            parent = by_key.get(row["allocated_from"])
            if parent is not None and parent is not row:
                visit(parent)
            state[id(row)] = "done"
            ordered.append(row)

        for row in rows:
            visit(row)
        return ordered

    def service_check(self, row: Row, check: Callable[[], None]) -> bool:
        try:
            check()
        except ValidationError as error:
            for problem in self._problems_from(error, row):
                self.add(problem)
            return False
        return True

    def check_values(self) -> None:
        groups: dict[_GROUP, list[Row]] = defaultdict(list)
        for row in self.rows("values"):
            indicator_ok = self.indicator_ref(row, "indicator")
            unit_ok = self.ref(row, "unit", "units", "đơn vị")
            self.ref(row, "source", "sources", "nguồn")
            self.user_warning(row, "entered_by")
            if not (indicator_ok and unit_ok and row.ok("period", "value", "measured_on")):
                continue
            indicator = self.indicator_for_checks(row["indicator"])
            unit = self.unit_for_checks(row["unit"])
            period = row["period"]
            if indicator is not None:
                self.service_check(row, lambda: indicator_services.check_value(indicator, row["value"]))  # noqa: B023
                self.service_check(row, lambda: indicator_services.check_period(indicator, period))  # noqa: B023
            if unit is not None:
                self.service_check(row, lambda: indicator_services.check_unit_in_period(unit, period))  # noqa: B023
            if row["measured_on"] is not None and not period.contains_day(row["measured_on"]):
                self.add(row.problem("measured_on", f"ngày tính số liệu {format_date(row['measured_on'])} nằm ngoài {period.label}."))
            groups[(row["indicator"], row["unit"], period)].append(row)
        for group, rows in groups.items():
            self.check_history(group, rows)

    def check_history(self, group: _GROUP, rows: list[Row]) -> None:
        """Rows of one indicator, unit and period are a history, oldest first: each needs
        its entered time, in order, when there are several; a row whose time matches a
        figure of the database must be that figure."""
        newest: Row | None = None  # the row with no entered time: a figure recorded now, so the last
        previous: Row | None = None
        for row in rows:
            if row["entered_at"] is None:
                if newest is not None:
                    self.add(row.problem(
                        "entered_at", f"trùng chỉ tiêu, đơn vị và kỳ với {_at(newest)}; nếu đây là lịch sử thay đổi, "
                        "ghi “Nhập lúc” cho từng dòng, cũ trước mới sau.",
                    ))
                newest = row
            elif newest is not None:
                self.add(row.problem(
                    "entered_at", f"phải đứng trước {_at(newest)}: dòng không ghi “Nhập lúc” là số liệu mới nhất.",
                ))
            elif previous is not None and row["entered_at"] <= previous["entered_at"]:
                self.add(row.problem("entered_at", f"phải sau thời điểm nhập của {_at(previous)} (lịch sử ghi cũ trước mới sau)."))
            else:
                previous = row
        indicator = self.indicators_db.get(group[0])
        unit = self.db["units"].get(group[1])
        if indicator is None or unit is None:
            return
        period = group[2]
        history = list(
            DataValue.objects.filter(indicator=indicator, unit=unit, period_kind=period.kind.value, period_start=period.start)
            .select_related("indicator", "entered_by")
            .order_by("entered_at", "id")
        )
        self.existing_values[group] = history
        by_time = {value.entered_at: value for value in history}
        latest = history[-1].entered_at if history else None
        for row in rows:
            match = by_time.get(row["entered_at"]) if row["entered_at"] is not None else None
            if match is not None:
                current = export.value_row(match, [])
                self.same_as_database(
                    row, current, "Số liệu", f"nhập lúc {row['entered_at'].isoformat()}",
                    "Số liệu đã ghi là lịch sử, không sửa tại chỗ; để thay, thêm một dòng mới để trống “Nhập lúc” "
                    "và ghi lý do thay đổi.",
                )
            elif row["entered_at"] is not None and latest is not None and row["entered_at"] <= latest:
                self.add(row.problem(
                    "entered_at",
                    f"cũ hơn số liệu đang có (nhập lúc {latest.isoformat()}); số liệu mới phải nhập sau. Để ghi một số liệu "
                    "mới ngay bây giờ, để trống ô này.",
                ))

    def check_permission(self) -> None:
        if self.actor is None or scope_paths(self.actor, Action.MANAGE) is EVERYTHING:
            return
        for name in MASTER:
            if self.rows(name):
                self.add(Problem(SECTIONS[name].sheet, None, None, "chỉ quản trị hệ thống mới nhập được phần này."))

    # -- 3. writing --------------------------------------------------------------------

    def write(self) -> None:
        self.units = {k: p.existing for k, p in self.unit_plans.items() if p.existing is not None}
        self.units.update({k: v for k, v in self.db["units"].items() if k not in self.units})
        self.events = dict(self.db["events"])
        if not self.write_tree():
            return
        self.write_master()
        if self.problems:
            return
        self.write_targets()
        self.write_values()

    def count(self, section: str, what: str, number: int = 1) -> None:
        self.counts[SECTIONS[section].sheet][what] += number

    def write_tree(self) -> bool:
        starts, events = self._schedule_input()
        steps, _stuck = tree.schedule(starts, events, known=set(self.units))
        for step in steps:
            ok = self.create_unit(self.unit_plans[str(step.key)]) if step.action == "create" else self.replay(
                self.event_plans[str(step.key)]
            )
            if not ok:
                return False
        for unit_plan in self.unit_plans.values():
            what = CREATED if unit_plan.existing is None else UNCHANGED
            self.count("units", what)
            self.count("unit_versions", what, len(unit_plan.versions))
        for event_plan in self.event_plans.values():
            what = CREATED if event_plan.existing is None else UNCHANGED
            self.count("events", what)
            self.count("links", what, len(event_plan.row.kids("links")))
        return self.verify_tree()

    def create_unit(self, plan: _UnitPlan) -> bool:
        row, first = plan.row, plan.versions[0]
        try:
            with transaction.atomic():
                unit = orgs.create_unit(
                    self.actor,
                    kind=row["kind"],
                    name=first["name"],
                    valid_from=row["valid_from"],
                    valid_to=row["valid_to"] if plan.plain_end else None,
                    parent=self.units[first["parent"]] if first["parent"] else None,
                    code=first["code"],
                    note=row["note"],
                    assumption=row["assumption"],
                )
        except ValidationError as error:
            self.problems.extend(self._problems_from(error, first))  # its name, code and parent are there
            return False
        self.units[row["key"]] = unit
        return True

    def _depth(self, key: str, day: dt.date, seen: frozenset[str] = frozenset()) -> int:
        """How deep a unit hangs on ``day`` (for ending children before parents)."""
        plan = self.unit_plans.get(key)
        if plan is None:
            unit = self.units.get(key)
            stored = unit.version_on(day) if unit is not None else None
            return stored.depth if stored is not None else 0
        for row in plan.versions:
            if row["valid_from"] <= day and (row["valid_to"] is None or day < row["valid_to"]):
                parent = row["parent"]
                return 0 if not parent or parent in seen else 1 + self._depth(parent, day, seen | {key})
        return 0

    def replay(self, plan: _EventPlan) -> bool:
        row = plan.row
        kind, day = row["kind"], row["date"]
        try:
            with transaction.atomic():
                if kind == ReorgEvent.Kind.RENAME:
                    version = plan.renames[0]
                    event = orgs.rename_unit(
                        self.actor, self.units[_owner(version)], date=day, name=version["name"], code=version["code"],
                        legal_basis=row["legal_basis"], note=row["note"],
                    )
                elif kind == ReorgEvent.Kind.MOVE:
                    version = plan.moves[0]
                    event = orgs.move_unit(
                        self.actor, self.units[_owner(version)], date=day, new_parent=self.units[version["parent"]],
                        legal_basis=row["legal_basis"], note=row["note"],
                    )
                else:
                    event = self.reorganise(plan)
        except ValidationError as error:
            self.problems.extend(self._problems_from(error, row))
            return False
        self.events[row["key"]] = event
        return True

    def reorganise(self, plan: _EventPlan) -> ReorgEvent:
        row = plan.row
        day = row["date"]
        new_units: dict[str, orgs.NewUnit] = {}
        parent_of = {k: self.unit_plans[k].versions[0]["parent"] for k in plan.founds}
        for key in tree.parents_first(plan.founds, parent_of):
            unit_row = self.unit_plans[str(key)].row
            first = self.unit_plans[str(key)].versions[0]
            parent = new_units.get(first["parent"]) or self.units[first["parent"]]
            new_units[str(key)] = orgs.NewUnit(
                unit_row["kind"], first["name"], parent, code=first["code"], note=unit_row["note"],
                assumption=unit_row["assumption"],
            )

        def target(key: str) -> OrgUnit | orgs.NewUnit:
            return new_units.get(key) or self.units[key]

        before = day - dt.timedelta(days=1)
        moves = sorted(plan.moves, key=lambda v: self._depth(_owner(v), before))
        transfers = [
            orgs.Transfer(
                self.units[link["predecessor"]], target(link["successor"]), population=link["population"],
                area_km2=link["area_km2"], share=link["share"], note=link["note"], assumption=link["assumption"],
            )
            for link in row.kids("links")
        ]
        ending = sorted(plan.ends, key=lambda k: -self._depth(k, before))
        event = orgs.reorganise(
            self.actor,
            kind=row["kind"],
            date=day,
            ending=[self.units[k] for k in ending],
            transfers=transfers,
            new_units=list(new_units.values()),
            child_moves=[(self.units[_owner(v)], target(v["parent"])) for v in moves],
            legal_basis=row["legal_basis"],
            note=row["note"],
            assumption=row["assumption"],
        )
        for key, new_unit in new_units.items():
            assert new_unit.created is not None
            self.units[key] = new_unit.created
        return event

    def verify_tree(self) -> bool:
        """After the replay every unit and event of the file must be exactly as the file
        says; if the services could not rebuild a history, say where it differs."""
        maps = {
            "units": {k: f"u{u.pk}" for k, u in self.units.items()},
            "events": {k: f"e{e.pk}" for k, e in self.events.items()},
        }
        ok = True
        for key, plan in self.unit_plans.items():
            unit = self.units[key]
            versions = list(UnitVersion.objects.filter(unit=unit).order_by("valid_from"))
            mine = self.as_json(plan.row)
            mine["versions"] = [self.as_json(v) for v in plan.versions]
            rename_keys(SECTIONS["units"], mine, maps)
            for version in mine["versions"]:
                rename_keys(SECTIONS["unit_versions"], version, maps)
            actual = export.unit_row(unit, versions)
            ok &= self._same_after(plan.row, mine, actual, plan.versions)
        for key, event_plan in self.event_plans.items():
            event = self.events[key]
            mine = self.as_json(event_plan.row)
            rename_keys(SECTIONS["events"], mine, maps)
            for link in mine["links"]:
                rename_keys(SECTIONS["links"], link, maps)
            actual = export.event_row(event, list(ReorgLink.objects.filter(event=event).order_by("id")))
            for ours, theirs in zip(mine["links"], actual["links"], strict=False):
                if ours["share"] is None:  # left to the service to work out
                    ours["share"] = theirs["share"]
            ok &= self._same_after(event_plan.row, mine, actual, event_plan.row.kids("links"))
        return ok

    def _same_after(self, row: Row, mine: dict[str, Any], actual: dict[str, Any], kids: list[Row]) -> bool:
        child = children(row.section)[0]
        note = "; lịch sử này không dựng lại được bằng các sự kiện trong tệp."
        for item in row.section.data_fields:
            if item.kind != "key" and mine.get(item.name) != actual.get(item.name):
                self.add(row.problem(item.name, f"sau khi nhập là {_show(item, actual.get(item.name))}, tệp ghi {_show(item, mine.get(item.name))}{note}"))
                return False
        ours, theirs = mine[child.json_name], actual[child.json_name]
        if len(ours) != len(theirs):
            self.add(row.problem(None, f"sau khi nhập có {len(theirs)} dòng ở trang “{child.sheet}”, tệp ghi {len(ours)}{note}"))
            return False
        for kid, a, b in zip(kids, ours, theirs, strict=True):
            for item in child.data_fields:
                if a.get(item.name) != b.get(item.name):
                    self.add(kid.problem(item.name, f"sau khi nhập là {_show(item, b.get(item.name))}, tệp ghi {_show(item, a.get(item.name))}{note}"))
                    return False
        return True

    def write_master(self) -> None:
        """Resolutions, programs, themes, plans, sources and indicators: no service
        writes them yet, so they are validated with ``full_clean`` and audited here."""
        resolutions = self.made["resolutions"]
        for row in self.rows("resolutions"):
            existing = self.db["resolutions"].get(row["key"])
            if existing is not None:
                resolutions[row["key"]] = existing
                self.count("resolutions", UNCHANGED)
                self.count("priorities", UNCHANGED, len(row.kids("priorities")))
                continue
            resolution = self.save(row, Resolution(
                title=row["title"], issuer=self.units[row["issuer"]], congress_number=row["congress_number"],
                term_start=row["term_start"], term_end=row["term_end"], adopted_on=row["adopted_on"], summary=row["summary"],
            ))
            if resolution is None:
                continue
            resolutions[row["key"]] = resolution
            self.count("resolutions", CREATED)
            for kid in row.kids("priorities"):
                if self.save(kid, Priority(resolution=resolution, number=kid["number"], title=kid["title"])):
                    self.count("priorities", CREATED)
        if self.problems:
            return
        for row in self.rows("programs"):
            key = (row["resolution"], row["number"])
            existing_program = self.programs_db.get(key)
            if existing_program is not None:
                self.made["programs"][key] = existing_program
                self.count("programs", UNCHANGED)
                self.count("board_members", UNCHANGED, len(row.kids("board_members")))
                continue
            resolution = self.resolution(row["resolution"])
            program = self.save(row, Program(
                resolution=resolution, number=row["number"], title=row["title"], lead_unit=self.units[row["lead_unit"]],
                priority=self.priority(row["resolution"], row["priority"]), order=row["order"],
            ))
            if program is None:
                continue
            self.made["programs"][key] = program
            self.count("programs", CREATED)
            for kid in row.kids("board_members"):
                member = BoardMember(
                    program=program, full_name=kid["full_name"], position=kid["position"], role=kid["role"],
                    user=self.users.get(kid["username"]), order=kid["order"],
                )
                if self.save(kid, member):
                    self.count("board_members", CREATED)
        if self.problems:
            return
        for row in self.rows("themes"):
            existing_theme = self.db["themes"].get(row["key"])
            if existing_theme is not None:
                self.made["themes"][row["key"]] = existing_theme
                self.count("themes", UNCHANGED)
                continue
            theme = Theme(year=row["year"], title=row["title"], issuer=self.units[row["issuer"]])
            linked = [self.program(kid["resolution"], kid["program"]) for kid in row.kids("theme_programs")]

            def link_programs(saved: Theme, linked: list[Program] = linked) -> None:
                saved.programs.set(linked)

            if self.save(row, theme, extra=link_programs) is None:
                continue
            self.made["themes"][row["key"]] = theme
            self.count("themes", CREATED)
            self.count("theme_programs", CREATED, len(linked))
        for row in self.rows("plans"):
            existing_plan = self.db["plans"].get(row["key"])
            if existing_plan is not None:
                self.made["plans"][row["key"]] = existing_plan
                self.count("plans", UNCHANGED)
                self.count("plan_items", UNCHANGED, len(row.kids("plan_items")))
                continue
            plan = self.save(row, Plan(
                title=row["title"], number=row["number"], unit=self.units[row["unit"]], year=row["year"],
                issued_on=row["issued_on"],
                program=self.program(row["resolution"], row["program"]) if row["program"] else None,
                theme=self.theme(row["theme"]) if row["theme"] else None,
            ))
            if plan is None:
                continue
            self.made["plans"][row["key"]] = plan
            self.count("plans", CREATED)
            self.pending_items.append((plan, row))
        for row in self.rows("sources"):
            existing_source = self.db["sources"].get(row["key"])
            if existing_source is not None:
                self.made["sources"][row["key"]] = existing_source
                self.count("sources", UNCHANGED)
                continue
            source = self.save(row, Source(
                kind=row["kind"], title=row["title"], publisher=row["publisher"], reference=row["reference"],
                published_on=row["published_on"], url=row["url"],
            ))
            if source is not None:
                self.made["sources"][row["key"]] = source
                self.count("sources", CREATED)
        if self.problems:
            return
        made_indicators = self.made["indicators"]
        for row in self.indicator_order:
            if row["code"] in self.indicators_db:
                made_indicators[row["code"]] = self.indicators_db[row["code"]]
                self.count("indicators", UNCHANGED)
                continue
            indicator = self.save(row, Indicator(
                code=row["code"], name=row["name"], unit_of_measure=row["unit_of_measure"], definition=row["definition"],
                how_to_count=row["how_to_count"], value_type=row["value_type"], unit_aggregation=row["unit_aggregation"],
                time_aggregation=row["time_aggregation"], numerator=self.indicator(row["numerator"]),
                denominator=self.indicator(row["denominator"]), weight=self.indicator(row["weight"]),
                threshold=row["threshold"], threshold_comparison=row["threshold_comparison"], direction=row["direction"],
                frequency=row["frequency"], in_resolution=row["in_resolution"],
                program=self.program(row["resolution"], row["program"]) if row["program"] else None,
                priority=self.priority(row["resolution"], row["priority"]),
                responsible_unit=self.units[row["responsible_unit"]] if row["responsible_unit"] else None,
                illustrative=row["illustrative"], min_value=row["min_value"], max_value=row["max_value"],
                decimals=row["decimals"], order=row["order"],
            ))
            if indicator is not None:
                made_indicators[row["code"]] = indicator
                self.count("indicators", CREATED)
        if self.problems:
            return
        for plan, row in self.pending_items:
            for kid in row.kids("plan_items"):
                item = PlanItem(
                    plan=plan, kind=kid["kind"], title=kid["title"],
                    responsible_unit=self.units[kid["responsible_unit"]] if kid["responsible_unit"] else None,
                    indicator=self.indicator(kid["indicator"]), target_text=kid["target_text"], order=kid["order"],
                )
                if self.save(kid, item):
                    self.count("plan_items", CREATED)

    def save(self, row: Row, obj: Any, extra: Callable[[Any], None] | None = None) -> Any:
        """Validate and save one new row with its audit entry; a problem instead if it is refused."""
        try:
            with transaction.atomic():
                obj.full_clean()
                obj.save()
                after = audit.snapshot(obj)
                if extra is not None:
                    extra(obj)
                    after["programs"] = sorted(obj.programs.values_list("id", flat=True))
                audit.record(self.actor, AuditEntry.Action.CREATE, obj, after=after)
        except ValidationError as error:
            self.problems.extend(self._problems_from(error, row))
            return None
        return obj

    def resolution(self, key: str) -> Resolution:
        return self.made["resolutions"].get(key) or self.db["resolutions"][key]

    def program(self, resolution: str, number: str) -> Program:
        key = (resolution, number)
        return self.made["programs"].get(key) or self.programs_db[key]

    def priority(self, resolution: str, number: int | None) -> Priority | None:
        if number is None:
            return None
        if resolution in self.made["resolutions"] and resolution not in self.db["resolutions"]:
            return Priority.objects.get(resolution=self.made["resolutions"][resolution], number=number)
        return self.priorities_db[(resolution, number)]

    def theme(self, key: str) -> Theme:
        return self.made["themes"].get(key) or self.db["themes"][key]

    def plan(self, key: str | None) -> Plan | None:
        return None if not key else (self.made["plans"].get(key) or self.db["plans"][key])

    def source(self, key: str | None) -> Source | None:
        return None if not key else (self.made["sources"].get(key) or self.db["sources"][key])

    def indicator(self, code: str | None) -> Indicator | None:
        return None if not code else (self.made["indicators"].get(code) or self.indicators_db[code])

    def write_targets(self) -> None:
        made = self.made["targets"]
        for row in self.target_order:
            indicator = self.indicator(row["indicator"])
            unit = self.units[row["unit"]]
            assert indicator is not None
            period = row["period"]
            allocated_from = (made.get(row["allocated_from"]) or self.db["targets"].get(row["allocated_from"])) if row["allocated_from"] else None
            wanted = {
                "value": row["value"], "clause": row["clause"], "note": row["note"],
                "allocated_from_id": allocated_from.pk if allocated_from else None,
                "source_id": getattr(self.source(row["source"]), "pk", None),
                "plan_id": getattr(self.plan(row["plan"]), "pk", None),
            }
            existing = Target.objects.filter(
                indicator=indicator, unit=unit, period_kind=period.kind.value, period_start=period.start
            ).first()
            if existing is not None and all(getattr(existing, k) == v for k, v in wanted.items()):
                target = existing
                self.count("targets", UNCHANGED)
            else:
                try:
                    with transaction.atomic():
                        target = indicator_services.set_target(
                            self.actor, indicator=indicator, unit=unit, period=period, value=row["value"],
                            clause=row["clause"], allocated_from=allocated_from, source=self.source(row["source"]),
                            note=row["note"], plan=self.plan(row["plan"]),
                        )
                except ValidationError as error:
                    self.problems.extend(self._problems_from(error, row))
                    continue
                self.count("targets", UPDATED if existing is not None else CREATED)
            if row["key"]:
                made[row["key"]] = target

    def write_values(self) -> None:
        for row in self.rows("values"):
            group = (row["indicator"], row["unit"], row["period"])
            history = self.existing_values.get(group, [])
            if row["entered_at"] is not None and any(v.entered_at == row["entered_at"] for v in history):
                self.count("values", UNCHANGED)
                continue
            username = row["entered_by"]
            if row["entered_at"] is not None:  # a figure recorded elsewhere keeps who entered it (or no one)
                entered_by = self.users.get(username)
            else:  # a new figure: by the account named, else by whoever imports
                entered_by = self.users.get(username) if username else indicator_services.DEFAULT
            try:
                with transaction.atomic():
                    indicator_services.record_value(
                        self.actor,
                        indicator=self.indicator(row["indicator"]),  # type: ignore[arg-type]
                        unit=self.units[row["unit"]],
                        period=row["period"],
                        value=row["value"],
                        source=self.source(row["source"]),
                        note=row["note"],
                        state=row["state"],
                        measured_on=row["measured_on"],
                        is_estimate=row["is_estimate"],
                        reason=row["change_reason"],
                        entered_at=row["entered_at"],
                        entered_by=entered_by,
                    )
            except ValidationError as error:
                self.problems.extend(self._problems_from(error, row))
                continue
            self.count("values", CREATED)

    def _problems_from(self, error: ValidationError, row: Row) -> list[Problem]:
        """A service's refusal as problems on the row (and, when the service names a
        field the row has, the column) that caused it."""
        names = {item.name for item in row.section.fields}
        aliases = {"reason": "change_reason"}
        if not hasattr(error, "error_dict"):
            return [row.problem(None, message) for message in error.messages]
        found: list[Problem] = []
        for name, errors in error.message_dict.items():
            column = aliases.get(name, name)
            for message in errors:
                found.append(row.problem(column if column in names else None, message))
        return found


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems by section or sheet (in the format's order), then row; the file itself first."""
    order: dict[str, int] = {}
    for position, section in enumerate(all_sections()):
        order.setdefault(section.json_name if section.parent is None else section.sheet, position)
        order.setdefault(section.sheet, position)
    return sorted(problems, key=lambda p: (order.get(p.where, -1), p.row or 0))


def _owner(version: Row) -> str:
    """The key of the unit a version row belongs to."""
    return str(version.parent["key"]) if version.parent is not None else str(version.raw.get("unit"))


def _at(row: Row) -> str:
    return f"dòng {row.origin.row}" if row.origin.row is not None else "dòng trước"


def _show(item: Any, value: Any) -> str:
    if value is None or value == "":
        return "trống"
    if isinstance(value, list):
        return f"{len(value)} dòng"
    return f"“{value}”"
