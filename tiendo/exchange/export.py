"""Building an exchange document from the database.

An export holds the rows asked for and everything they refer to, so that the file
always imports on its own: values and targets bring their indicators, units and
sources; an indicator brings its program and resolution; a unit brings its parents,
and the reorganisations it took part in bring every unit they touched. Without a
filter the export is the whole database (as far as the format reaches).

Rows come in a fixed order that an import keeps, so that exporting, importing into
an empty database and exporting again gives the same document up to the keys
(``schema.rekey``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Q, QuerySet

from tiendo.exchange import tree
from tiendo.exchange.fields import decimal_text, to_json
from tiendo.exchange.schema import (
    BOARD_MEMBERS,
    EVENTS,
    INDICATORS,
    LINKS,
    PLAN_ITEMS,
    PLANS,
    PRIORITIES,
    PROGRAMS,
    RESOLUTIONS,
    SOURCES,
    TARGETS,
    THEME_PROGRAMS,
    THEMES,
    UNIT_VERSIONS,
    UNITS,
    VALUES,
    Section,
    empty_document,
)
from tiendo.indicators.models import DataValue, Indicator, Source, Target
from tiendo.lib import periods
from tiendo.orgs.models import OrgUnit, ReorgEvent, ReorgLink, UnitVersion
from tiendo.plans.models import Plan, PlanItem, Priority, Program, Resolution, Theme


class ExportError(Exception):
    """The data cannot be written in the format; ``problems`` say why, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _row(section: Section, values: dict[str, Any]) -> dict[str, Any]:
    """A row with every data field of ``section``, in the schema's order."""
    return {item.name: to_json(item, values.get(item.name)) for item in section.data_fields}


@dataclass
class _Tree:
    """The whole unit tree in memory: it is small (one row per unit, version, event and link)."""

    units: dict[int, OrgUnit]
    versions: dict[int, list[UnitVersion]]
    events: dict[int, ReorgEvent]
    links: dict[int, list[ReorgLink]]
    ended_by: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Tree:
        versions: dict[int, list[UnitVersion]] = defaultdict(list)
        for version in UnitVersion.objects.order_by("unit_id", "valid_from"):
            versions[version.unit_id].append(version)
        links: dict[int, list[ReorgLink]] = defaultdict(list)
        for link in ReorgLink.objects.order_by("id"):
            links[link.event_id].append(link)
        loaded = cls(
            units={u.pk: u for u in OrgUnit.objects.order_by("id")},
            versions=versions,
            events={e.pk: e for e in ReorgEvent.objects.order_by("date", "id")},
            links=links,
        )
        loaded.ended_by = {
            cast(int, unit): cast(int, event)
            for unit, event in tree.ending_events(
                {u.pk: u.valid_to for u in loaded.units.values() if u.valid_to is not None},
                [tree.EventAt(e.pk, e.date, e.kind) for e in loaded.events.values()],
            ).items()
        }
        return loaded

    def touched_by(self, event_id: int) -> set[int]:
        """Every unit an event founded, changed, ended or linked."""
        units = {v.unit_id for vs in self.versions.values() for v in vs if v.event_id == event_id}
        units |= {u for u, e in self.ended_by.items() if e == event_id}
        for link in self.links.get(event_id, []):
            units |= {link.predecessor_id, link.successor_id}
        return units

    def close(self, unit_ids: set[int]) -> tuple[set[int], set[int]]:
        """The units and events needed to rebuild ``unit_ids``: parents, the events that
        shaped them, and every unit those events touched, until nothing is added."""
        units, events = set(unit_ids), set[int]()
        frontier = set(unit_ids)
        while frontier:
            new_events: set[int] = set()
            for unit_id in frontier:
                for version in self.versions.get(unit_id, []):
                    if version.event_id is not None:
                        new_events.add(version.event_id)
                if unit_id in self.ended_by:
                    new_events.add(self.ended_by[unit_id])
            for event_id, links in self.links.items():
                if any(link.predecessor_id in frontier or link.successor_id in frontier for link in links):
                    new_events.add(event_id)
            new_events -= events
            events |= new_events
            more: set[int] = set()
            for unit_id in frontier:
                more |= {v.parent_id for v in self.versions.get(unit_id, []) if v.parent_id is not None}
            for event_id in new_events:
                more |= self.touched_by(event_id)
            frontier = more - units
            units |= frontier
        return units, events

    def subtree(self, root: OrgUnit) -> set[int]:
        """Every unit that was below ``root`` (or is it) on some date."""
        prefixes = [v.path for v in self.versions.get(root.pk, [])]
        return {
            unit_id
            for unit_id, versions in self.versions.items()
            if any(v.path.startswith(p) for v in versions for p in prefixes)
        }

    def ordered(self, unit_ids: set[int], event_ids: set[int]) -> list[int]:
        """The units in the order an import creates them (see ``tree.schedule``)."""
        starts = []
        for unit_id in sorted(unit_ids):
            first = self.versions[unit_id][0]
            founded_by = first.event_id if first.event_id in event_ids else None
            starts.append(tree.UnitStart(unit_id, self.units[unit_id].valid_from, first.parent_id, founded_by))
        events = [tree.EventAt(e.pk, e.date, e.kind) for e in self.events.values() if e.pk in event_ids]
        steps, stuck = tree.schedule(starts, events)
        parent_of = {s.key: s.parent for s in starts}
        founded: dict[Any, list[Any]] = defaultdict(list)
        for start in starts:
            if start.founded_by is not None:
                founded[start.founded_by].append(start.key)
        order: list[int] = []
        for step in steps:
            if step.action == "create":
                order.append(cast(int, step.key))
            else:
                order.extend(cast(int, k) for k in tree.parents_first(founded.get(step.key, []), parent_of))
        # A unit whose parent is missing cannot occur in a consistent tree; keep it anyway.
        order.extend(cast(int, k) for k in stuck)
        return order


@dataclass
class _Selection:
    units: set[int] = field(default_factory=set)
    resolutions: set[int] = field(default_factory=set)
    programs: set[int] = field(default_factory=set)
    themes: set[int] = field(default_factory=set)
    plans: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    indicators: set[int] = field(default_factory=set)
    targets: set[int] = field(default_factory=set)


def _ids(queryset: QuerySet[Any], *fields: str) -> set[int]:
    found: set[int] = set()
    for row in queryset.values_list(*fields):
        found |= {value for value in row if value is not None}
    return found


def _select(
    loaded: _Tree, unit: OrgUnit | None, programs: Sequence[Program] | None
) -> tuple[_Selection, Q, set[int] | None]:
    """The rows to export: what the filters choose, then everything those rows refer to.
    Returns the selection, the filter on values, and the chosen subtree (None: all)."""
    subtree = loaded.subtree(unit) if unit is not None else None
    program_ids = {p.pk for p in programs} if programs else None
    chosen = _Selection()
    value_q = Q()
    target_q = Q()
    if subtree is None and program_ids is None:
        chosen.units = set(loaded.units)
        chosen.resolutions = set(Resolution.objects.values_list("id", flat=True))
        chosen.programs = set(Program.objects.values_list("id", flat=True))
        chosen.themes = set(Theme.objects.values_list("id", flat=True))
        chosen.plans = set(Plan.objects.values_list("id", flat=True))
        chosen.sources = set(Source.objects.values_list("id", flat=True))
        chosen.indicators = set(Indicator.objects.values_list("id", flat=True))
    else:
        plan_q = Q()
        if program_ids is not None:
            chosen.programs = set(program_ids)
            chosen.indicators = set(Indicator.objects.filter(program_id__in=program_ids).values_list("id", flat=True))
            value_q &= Q(indicator__program_id__in=program_ids)
            target_q &= Q(indicator__program_id__in=program_ids)
            plan_q &= Q(program_id__in=program_ids)
            theme_q = Q(programs__in=program_ids)
            if subtree is not None:
                theme_q &= Q(issuer_id__in=subtree)
            chosen.themes = set(Theme.objects.filter(theme_q).values_list("id", flat=True))
        if subtree is not None:
            chosen.units = set(subtree)
            value_q &= Q(unit_id__in=subtree)
            target_q &= Q(unit_id__in=subtree)
            plan_q &= Q(unit_id__in=subtree)
            if program_ids is None:
                chosen.resolutions = set(Resolution.objects.filter(issuer_id__in=subtree).values_list("id", flat=True))
                chosen.programs = set(Program.objects.filter(lead_unit_id__in=subtree).values_list("id", flat=True))
                chosen.themes = set(Theme.objects.filter(issuer_id__in=subtree).values_list("id", flat=True))
                chosen.indicators = set(
                    Indicator.objects.filter(responsible_unit_id__in=subtree).values_list("id", flat=True)
                )
        chosen.plans = set(Plan.objects.filter(plan_q).values_list("id", flat=True))
    chosen.targets = set(Target.objects.filter(target_q).values_list("id", flat=True))
    values = DataValue.objects.filter(value_q)
    chosen.indicators |= _ids(values, "indicator_id")
    chosen.sources |= _ids(values, "source_id")
    chosen.units |= _ids(values, "unit_id")
    _close(chosen)
    return chosen, value_q, subtree


def _close(chosen: _Selection) -> None:
    """Add every row the chosen rows refer to, until nothing is added."""
    while True:
        before = (
            len(chosen.units), len(chosen.resolutions), len(chosen.programs), len(chosen.themes),
            len(chosen.plans), len(chosen.sources), len(chosen.indicators), len(chosen.targets),
        )
        targets = Target.objects.filter(id__in=chosen.targets)
        chosen.targets |= _ids(targets, "allocated_from_id")
        chosen.indicators |= _ids(targets, "indicator_id")
        chosen.units |= _ids(targets, "unit_id")
        chosen.plans |= _ids(targets, "plan_id")
        chosen.sources |= _ids(targets, "source_id")
        items = PlanItem.objects.filter(plan_id__in=chosen.plans)
        chosen.indicators |= _ids(items, "indicator_id")
        chosen.units |= _ids(items, "responsible_unit_id")
        plans = Plan.objects.filter(id__in=chosen.plans)
        chosen.units |= _ids(plans, "unit_id")
        chosen.programs |= _ids(plans, "program_id")
        chosen.themes |= _ids(plans, "theme_id")
        indicators = Indicator.objects.filter(id__in=chosen.indicators)
        chosen.indicators |= _ids(indicators, "numerator_id", "denominator_id", "weight_id")
        chosen.programs |= _ids(indicators, "program_id")
        chosen.resolutions |= _ids(indicators, "priority__resolution_id")
        chosen.units |= _ids(indicators, "responsible_unit_id")
        themes = Theme.objects.filter(id__in=chosen.themes)
        chosen.units |= _ids(themes, "issuer_id")
        chosen.programs |= _ids(themes, "programs__id")
        programs = Program.objects.filter(id__in=chosen.programs)
        chosen.resolutions |= _ids(programs, "resolution_id", "priority__resolution_id")
        chosen.units |= _ids(programs, "lead_unit_id")
        chosen.units |= _ids(Resolution.objects.filter(id__in=chosen.resolutions), "issuer_id")
        after = (
            len(chosen.units), len(chosen.resolutions), len(chosen.programs), len(chosen.themes),
            len(chosen.plans), len(chosen.sources), len(chosen.indicators), len(chosen.targets),
        )
        if after == before:
            return


def ukey(unit_id: int | None) -> str | None:
    return None if unit_id is None else f"{UNITS.prefix}{unit_id}"


def _key(section: Section, pk: int | None) -> str | None:
    return None if pk is None else f"{section.prefix}{pk}"


def unit_row(unit: OrgUnit, versions: Sequence[UnitVersion]) -> dict[str, Any]:
    """A unit as the document writes it (its versions nested)."""
    data = _row(UNITS, {**_fields(unit, UNITS), "key": ukey(unit.pk)})
    data[UNIT_VERSIONS.json_name] = [
        _row(UNIT_VERSIONS, {**_fields(v, UNIT_VERSIONS), "parent": ukey(v.parent_id), "event": _key(EVENTS, v.event_id)})
        for v in versions
    ]
    return data


def event_row(event: ReorgEvent, links: Sequence[ReorgLink]) -> dict[str, Any]:
    data = _row(EVENTS, {**_fields(event, EVENTS), "key": _key(EVENTS, event.pk)})
    data[LINKS.json_name] = [
        _row(LINKS, {**_fields(link, LINKS), "predecessor": ukey(link.predecessor_id), "successor": ukey(link.successor_id)})
        for link in links
    ]
    return data


def resolution_row(resolution: Resolution) -> dict[str, Any]:
    data = _row(RESOLUTIONS, {
        **_fields(resolution, RESOLUTIONS), "key": _key(RESOLUTIONS, resolution.pk), "issuer": ukey(resolution.issuer_id),
    })
    data[PRIORITIES.json_name] = [
        _row(PRIORITIES, _fields(p, PRIORITIES)) for p in sorted(resolution.priorities.all(), key=lambda p: (p.number, p.pk))
    ]
    return data


def _priority_number(priority: Priority | None, resolution_id: int | None, what: str, problems: list[str]) -> int | None:
    if priority is None:
        return None
    if priority.resolution_id != resolution_id:
        problems.append(
            f"{what}: khâu đột phá thuộc một nghị quyết khác với nghị quyết của chương trình; định dạng không ghi được."
        )
    return priority.number


def program_row(program: Program, problems: list[str]) -> dict[str, Any]:
    data = _row(PROGRAMS, {
        **_fields(program, PROGRAMS),
        "resolution": _key(RESOLUTIONS, program.resolution_id),
        "lead_unit": ukey(program.lead_unit_id),
        "priority": _priority_number(program.priority, program.resolution_id, f"Chương trình {program.number}", problems),
    })
    data[BOARD_MEMBERS.json_name] = [
        _row(BOARD_MEMBERS, {**_fields(m, BOARD_MEMBERS), "username": m.user.get_username() if m.user else ""})
        for m in sorted(program.board.all(), key=lambda m: (m.order, m.pk))
    ]
    return data


def theme_row(theme: Theme) -> dict[str, Any]:
    data = _row(THEMES, {**_fields(theme, THEMES), "key": _key(THEMES, theme.pk), "issuer": ukey(theme.issuer_id)})
    data[THEME_PROGRAMS.json_name] = [
        _row(THEME_PROGRAMS, {"resolution": _key(RESOLUTIONS, p.resolution_id), "program": p.number})
        for p in sorted(theme.programs.all(), key=lambda p: p.pk)
    ]
    return data


def plan_row(plan: Plan) -> dict[str, Any]:
    program = plan.program
    data = _row(PLANS, {
        **_fields(plan, PLANS),
        "key": _key(PLANS, plan.pk),
        "unit": ukey(plan.unit_id),
        "resolution": _key(RESOLUTIONS, program.resolution_id) if program else None,
        "program": program.number if program else "",
        "theme": _key(THEMES, plan.theme_id),
    })
    data[PLAN_ITEMS.json_name] = [
        _row(PLAN_ITEMS, {
            **_fields(item, PLAN_ITEMS),
            "responsible_unit": ukey(item.responsible_unit_id),
            "indicator": item.indicator.code if item.indicator else "",
        })
        for item in sorted(plan.items.all(), key=lambda i: (i.order, i.pk))
    ]
    return data


def source_row(source: Source) -> dict[str, Any]:
    return _row(SOURCES, {**_fields(source, SOURCES), "key": _key(SOURCES, source.pk)})


def indicator_row(indicator: Indicator, problems: list[str]) -> dict[str, Any]:
    program = indicator.program
    resolution_id = program.resolution_id if program else None
    if indicator.priority is not None and resolution_id is None:
        resolution_id = indicator.priority.resolution_id
    return _row(INDICATORS, {
        **_fields(indicator, INDICATORS),
        "numerator": indicator.numerator.code if indicator.numerator else "",
        "denominator": indicator.denominator.code if indicator.denominator else "",
        "weight": indicator.weight.code if indicator.weight else "",
        "resolution": _key(RESOLUTIONS, resolution_id),
        "program": program.number if program else "",
        "priority": _priority_number(indicator.priority, resolution_id, f"Chỉ tiêu {indicator.code}", problems),
        "responsible_unit": ukey(indicator.responsible_unit_id),
    })


def _period_code(row: Target | DataValue, what: str, problems: list[str]) -> str:
    period = row.period
    try:
        if periods.parse(period.code) == period:
            return period.code
    except ValueError:
        pass
    problems.append(f"{what} #{row.pk}: kỳ {period.start} – {period.end} không ghi được bằng mã kỳ.")
    return period.code


def target_row(target: Target, problems: list[str]) -> dict[str, Any]:
    return _row(TARGETS, {
        **_fields(target, TARGETS),
        "key": _key(TARGETS, target.pk),
        "indicator": target.indicator.code,
        "unit": ukey(target.unit_id),
        "period": _period_code(target, "Chỉ tiêu giao", problems),
        "allocated_from": _key(TARGETS, target.allocated_from_id),
        "plan": _key(PLANS, target.plan_id),
        "source": _key(SOURCES, target.source_id),
    })


def value_row(value: DataValue, problems: list[str]) -> dict[str, Any]:
    return _row(VALUES, {
        **_fields(value, VALUES),
        "indicator": value.indicator.code,
        "unit": ukey(value.unit_id),
        "period": _period_code(value, "Số liệu", problems),
        "source": _key(SOURCES, value.source_id),
        "entered_by": value.entered_by.get_username() if value.entered_by else "",
    })


def build_document(*, unit: OrgUnit | None = None, programs: Sequence[Program] | None = None) -> dict[str, Any]:
    """The exchange document of the whole database, or of the rows about ``unit``'s
    subtree and/or ``programs`` (with everything they refer to)."""
    loaded = _Tree.load()
    chosen, value_q, _subtree = _select(loaded, unit, programs)
    unit_ids, event_ids = loaded.close(chosen.units)
    problems: list[str] = []
    document = empty_document()
    unit_order = loaded.ordered(unit_ids, event_ids)
    position = {unit_id: index for index, unit_id in enumerate(unit_order)}
    document[UNITS.json_name] = [unit_row(loaded.units[u], loaded.versions[u]) for u in unit_order]
    document[EVENTS.json_name] = [
        event_row(e, loaded.links.get(e.pk, [])) for e in loaded.events.values() if e.pk in event_ids
    ]
    document[RESOLUTIONS.json_name] = [
        resolution_row(r)
        for r in Resolution.objects.filter(id__in=chosen.resolutions).order_by("id").prefetch_related("priorities")
    ]
    document[PROGRAMS.json_name] = [
        program_row(p, problems)
        for p in Program.objects.filter(id__in=chosen.programs)
        .select_related("priority")
        .prefetch_related("board__user")
        .order_by("id")
    ]
    document[THEMES.json_name] = [
        theme_row(t) for t in Theme.objects.filter(id__in=chosen.themes).order_by("id").prefetch_related("programs")
    ]
    document[PLANS.json_name] = [
        plan_row(p)
        for p in Plan.objects.filter(id__in=chosen.plans)
        .select_related("program")
        .prefetch_related("items__indicator")
        .order_by("id")
    ]
    document[SOURCES.json_name] = [source_row(s) for s in Source.objects.filter(id__in=chosen.sources).order_by("id")]
    document[INDICATORS.json_name] = [
        indicator_row(i, problems)
        for i in Indicator.objects.filter(id__in=chosen.indicators)
        .select_related("numerator", "denominator", "weight", "program", "priority")
        .order_by("code")
    ]
    targets = sorted(
        Target.objects.filter(id__in=chosen.targets).select_related("indicator"),
        key=lambda t: (t.indicator.code, t.period_start, t.period_kind, position.get(t.unit_id, -1), t.pk),
    )
    document[TARGETS.json_name] = [target_row(t, problems) for t in targets]
    values = DataValue.objects.filter(value_q).select_related("indicator", "entered_by")
    document[VALUES.json_name] = [value_row(v, problems) for v in _histories(values, position)]
    if problems:
        raise ExportError(problems)
    return document


def _fields(obj: Any, section: Section) -> dict[str, Any]:
    """The plain model attributes named like the section's fields (references are
    filled in by the caller)."""
    values: dict[str, Any] = {}
    for item in section.data_fields:
        if item.ref is None and hasattr(obj, item.name) and not _is_relation(obj, item.name):
            values[item.name] = getattr(obj, item.name)
    return values


def _is_relation(obj: Any, name: str) -> bool:
    try:
        model_field = obj._meta.get_field(name)
    except Exception:
        return False
    return bool(model_field.is_relation)


def _histories(values: QuerySet[DataValue], position: dict[int, int]) -> Iterable[DataValue]:
    """Every value row, grouped by indicator, period and unit, each group's history
    oldest first (following ``replaces``)."""
    groups: dict[tuple[Any, ...], list[DataValue]] = defaultdict(list)
    for value in values:
        groups[(value.indicator.code, value.period_start, value.period_kind, position.get(value.unit_id, -1), value.unit_id)].append(value)
    for group_key in sorted(groups):
        rows = groups[group_key]
        by_replaced = {row.replaces_id: row for row in rows if row.replaces_id is not None}
        ids = {row.pk for row in rows}
        roots = sorted((row for row in rows if row.replaces_id not in ids), key=lambda r: (r.entered_at, r.pk))
        for root in roots:
            row: DataValue | None = root
            while row is not None:
                yield row
                row = by_replaced.get(row.pk)


def dumps(document: dict[str, Any]) -> str:
    """The document as JSON text: UTF-8 Vietnamese as is, two-space indents."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


__all__ = ["ExportError", "build_document", "decimal_text", "dumps"]
