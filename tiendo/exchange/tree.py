"""How a unit tree's history is replayed: the order of foundings and events.

The database keeps the outcome of the tree's history (units, their versions, events
and links), not the calls that made it. An import rebuilds that outcome by calling
the same services again (``create_unit``, ``rename_unit``, ``move_unit``,
``reorganise``), so this module decides, from the outcome alone, which call to make
when. Export and import share it: an export lists units in the order an import
will create them, so that a second export of the imported data lists them in the
same order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from tiendo.orgs.models import ReorgEvent

# Events that only rename or only move one unit are replayed by rename_unit and
# move_unit; every other kind goes through reorganise, which alone can end units.
SINGLE_KINDS = {ReorgEvent.Kind.RENAME.value, ReorgEvent.Kind.MOVE.value}

Key = Hashable


@dataclass(frozen=True)
class UnitStart:
    """What the schedule needs to know of a unit: when it starts, under whom, and
    which event (if any) founds it."""

    key: Key
    start: dt.date
    parent: Key | None
    founded_by: Key | None


@dataclass(frozen=True)
class EventAt:
    key: Key
    date: dt.date
    kind: str


def ending_events(ends: dict[Key, dt.date], events: Sequence[EventAt]) -> dict[Key, Key]:
    """Which event ends each unit: the last event of its end date (in the given order)
    that can end units. A unit whose end date has no such event ends on its own (it
    was recorded with its end date, and is replayed the same way)."""
    last_on: dict[dt.date, Key] = {}
    for event in events:
        if event.kind not in SINGLE_KINDS:
            last_on[event.date] = event.key
    return {unit: last_on[day] for unit, day in ends.items() if day in last_on}


@dataclass(frozen=True)
class Step:
    action: str  # "create" or "event"
    key: Key


def schedule(
    units: Sequence[UnitStart], events: Sequence[EventAt], known: set[Key] | frozenset[Key] = frozenset()
) -> tuple[list[Step], list[Key]]:
    """The order of the calls: by date; on one date, every unit founded on its own whose
    parent already exists comes before the next event, and the rest after it.

    ``units`` and ``events`` come in their tie-breaking order (ids on export, the
    file's order on import); ``known`` are units that already exist. Returns the
    steps and the units that could never be created (their parent never appears).
    """
    creates: dict[dt.date, list[UnitStart]] = defaultdict(list)
    for unit in units:
        if unit.founded_by is None:
            creates[unit.start].append(unit)
    by_date: dict[dt.date, list[EventAt]] = defaultdict(list)
    for event in events:
        by_date[event.date].append(event)
    founded: dict[Key, list[Key]] = defaultdict(list)
    for unit in units:
        if unit.founded_by is not None:
            founded[unit.founded_by].append(unit.key)
    available = set(known)
    steps: list[Step] = []
    stuck: list[Key] = []
    for day in sorted(set(creates) | set(by_date)):
        pending = list(creates.get(day, []))
        queue = list(by_date.get(day, []))
        while True:
            progress = True
            while progress:
                progress = False
                for unit in list(pending):
                    if unit.parent is None or unit.parent in available:
                        steps.append(Step("create", unit.key))
                        available.add(unit.key)
                        pending.remove(unit)
                        progress = True
            if not queue:
                break
            event = queue.pop(0)
            steps.append(Step("event", event.key))
            available.update(founded.get(event.key, []))
        stuck.extend(unit.key for unit in pending)
    return steps, stuck


def parents_first(keys: Sequence[Any], parent_of: dict[Any, Any]) -> list[Any]:
    """``keys`` reordered so that a unit comes after its parent when both are listed;
    otherwise in the given order."""
    listed = set(keys)
    done: set[Key] = set()
    result: list[Key] = []

    def visit(key: Key, trail: frozenset[Key]) -> None:
        if key in done:
            return
        parent = parent_of.get(key)
        if parent in listed and parent not in done and parent not in trail:
            visit(parent, trail | {key})
        done.add(key)
        result.append(key)

    for key in keys:
        visit(key, frozenset())
    return result
