"""Every change to the unit tree goes through these functions.

Each one takes the acting user, runs in one transaction, validates before writing
(so a refused change writes nothing), and logs every row it touches to the audit
log. Errors are ``ValidationError`` with messages meant for the user, in the active
language (Vietnamese unless the user switched).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, can, scope_paths
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.lib.vn import format_date
from tiendo.orgs.models import (
    PATH_SEGMENT,
    OrgUnit,
    ReorgEvent,
    ReorgLink,
    UnitLineage,
    UnitVersion,
    code_problem,
    parent_problem,
    path_segment,
    valid_on_q,
)

Actor = Any


@dataclass
class NewUnit:
    """A unit that a reorganisation founds; it starts on the event's date."""

    kind: str
    name: str
    parent: OrgUnit | NewUnit
    code: str = ""
    note: str = ""
    assumption: str = ""
    created: OrgUnit | None = field(default=None, init=False)


@dataclass
class Transfer:
    """What passes from one predecessor to one successor (population, area, share)."""

    predecessor: OrgUnit
    successor: OrgUnit | NewUnit
    population: int | None = None
    area_km2: Decimal | None = None
    share: Decimal | None = None
    note: str = ""
    assumption: str = ""


def _fail(message: str) -> None:
    raise ValidationError(message)


def _name(unit: OrgUnit, day: dt.date | None = None) -> str:
    version = (unit.version_on(day) if day else None) or unit.latest_version
    return version.name if version else str(unit)


def _require_exists(unit: OrgUnit, day: dt.date, role: str) -> UnitVersion:
    if day < unit.valid_from:
        _fail(
            _(
                "%(role)s “%(name)s” không tồn tại vào ngày %(date)s: đơn vị bắt đầu từ "
                "%(start)s, sự kiện ở trước khi đơn vị tồn tại."
            )
            % {"role": role, "name": _name(unit), "date": format_date(day), "start": format_date(unit.valid_from)}
        )
    if unit.valid_to is not None and day >= unit.valid_to:
        _fail(
            _("%(role)s “%(name)s” không tồn tại vào ngày %(date)s (đã kết thúc từ %(end)s).")
            % {"role": role, "name": _name(unit), "date": format_date(day), "end": format_date(unit.valid_to)}
        )
    version = unit.version_on(day)
    if version is None:  # pragma: no cover - a unit always has a version for each day it exists
        _fail(
            _("%(role)s “%(name)s” không có thông tin vào ngày %(date)s.")
            % {"role": role, "name": _name(unit), "date": format_date(day)}
        )
    assert version is not None
    return version


def _authorize(actor: Actor, unit: OrgUnit, day: dt.date, role: str | None = None) -> None:
    """Re-check, inside the transaction, that ``unit`` exists on ``day`` and the actor
    manages it where it stands then; ``None`` is the system itself (commands, the demo loader).
    ``role`` names the unit in messages ("Đơn vị" when not given)."""
    _require_exists(unit, day, role or _("Đơn vị"))
    if actor is None:
        return
    if not can(actor, Action.MANAGE, unit, on=day):
        _fail(
            _("Bạn không có quyền quản trị “%(name)s” vào ngày %(date)s.")
            % {"name": _name(unit, day), "date": format_date(day)}
        )


def _full_clean(version: UnitVersion) -> None:
    version.full_clean(exclude=["path", "depth", "search_text", "unit", "event"], validate_unique=False)


def _path_for(unit_id: int, parent_version: UnitVersion | None) -> str:
    return (parent_version.path if parent_version else "") + path_segment(unit_id)


@transaction.atomic
def create_unit(
    actor: Actor,
    *,
    kind: str,
    name: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    parent: OrgUnit | None = None,
    code: str = "",
    note: str = "",
    assumption: str = "",
    event: ReorgEvent | None = None,
) -> OrgUnit:
    """Found a unit under ``parent`` from ``valid_from``; ``valid_to`` records a unit
    of the past that ended with no successor (or that ends with its parent)."""
    name = name.strip()
    if not name:
        _fail(_("Tên đơn vị không được để trống."))
    parent_version = _require_exists(parent, valid_from, _("Đơn vị cấp trên")) if parent else None
    if parent is not None:
        _authorize(actor, parent, valid_from, _("Đơn vị cấp trên"))
    elif actor is not None and scope_paths(actor, Action.MANAGE) is not EVERYTHING:
        _fail(_("Chỉ quản trị hệ thống mới tạo được đơn vị cấp cao nhất."))
    unit = OrgUnit(kind=kind, valid_from=valid_from, valid_to=valid_to, note=note, assumption=assumption)
    unit.full_clean()
    version = UnitVersion(
        unit=unit, valid_from=valid_from, valid_to=valid_to, name=name, code=code.strip(), parent=parent, event=event
    )
    unit.save()
    version.unit = unit
    _full_clean(version)
    version.path = _path_for(unit.pk, parent_version)
    version.depth = len(version.path) // PATH_SEGMENT - 1
    version.save()
    audit.record(actor, AuditEntry.Action.CREATE, unit)
    audit.record(actor, AuditEntry.Action.CREATE, version)
    return unit


def _start_version(actor: Actor, current: UnitVersion, day: dt.date, event: ReorgEvent, **changes: Any) -> UnitVersion:
    """From ``day`` on, the unit's version differs by ``changes``: edit in place when the
    current version starts that same day, otherwise close it and open a new one."""
    before = audit.snapshot(current)
    if current.valid_from == day:
        for key, value in changes.items():
            setattr(current, key, value)
        current.event = event
        current.save()
        audit.record(actor, AuditEntry.Action.UPDATE, current, before=before)
        return current
    successor = UnitVersion(
        unit=current.unit,
        valid_from=day,
        valid_to=current.valid_to,
        name=current.name,
        code=current.code,
        parent=current.parent,
        path=current.path,
        depth=current.depth,
        event=event,
    )
    for key, value in changes.items():
        setattr(successor, key, value)
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    successor.save()
    audit.record(actor, AuditEntry.Action.UPDATE, current, before=before)
    audit.record(actor, AuditEntry.Action.CREATE, successor)
    return successor


def _reparent(actor: Actor, unit: OrgUnit, new_parent: OrgUnit, day: dt.date, event: ReorgEvent) -> None:
    current = _require_exists(unit, day, _("Đơn vị"))
    parent_version = _require_exists(new_parent, day, _("Đơn vị cấp trên mới"))
    if parent_version.path.startswith(current.path):
        _fail(
            _(
                "Không thể chuyển “%(name)s” vào “%(parent)s”: "
                "đơn vị cấp trên mới đang trực thuộc chính nó (vòng lặp trong cây đơn vị)."
            )
            % {"name": current.name, "parent": parent_version.name}
        )
    if unit.versions.filter(valid_from__gt=day).exists():
        _fail(_later_changes(current.name, day))
    problem = parent_problem(unit, new_parent, day, current.valid_to)
    if problem:
        _fail(problem)

    old_prefix = current.path
    new_prefix = parent_version.path + path_segment(unit.pk)
    moved = _start_version(actor, current, day, event, parent=new_parent, path=new_prefix, depth=len(new_prefix) // PATH_SEGMENT - 1)
    _repath_descendants(actor, old_prefix, new_prefix, day, event, exclude_unit=moved.unit_id)


def _repath_descendants(
    actor: Actor, old_prefix: str, new_prefix: str, day: dt.date, event: ReorgEvent, exclude_unit: int
) -> None:
    """Descendants follow their moved ancestor: versions valid on ``day`` split there,
    later ones take the new path in place."""
    descendants = (
        UnitVersion.objects.filter(path__startswith=old_prefix)
        .exclude(unit_id=exclude_unit)
        .filter(valid_to__isnull=True)
        | UnitVersion.objects.filter(path__startswith=old_prefix).exclude(unit_id=exclude_unit).filter(valid_to__gt=day)
    )
    for version in descendants.select_related("unit").order_by("path", "valid_from"):
        new_path = new_prefix + version.path[len(old_prefix) :]
        if version.valid_from >= day:
            before = audit.snapshot(version)
            version.path = new_path
            version.depth = len(new_path) // PATH_SEGMENT - 1
            version.save(update_fields=["path", "depth"])
            audit.record(actor, AuditEntry.Action.UPDATE, version, before=before)
        else:
            _start_version(actor, version, day, event, path=new_path, depth=len(new_path) // PATH_SEGMENT - 1)


def _later_changes(name: str, day: dt.date) -> str:
    return _("“%(name)s” đã có thay đổi sau ngày %(date)s; hãy ghi các sự kiện theo thứ tự thời gian.") % {
        "name": name,
        "date": format_date(day),
    }


def _new_event(actor: Actor, kind: str, day: dt.date, legal_basis: str, note: str, assumption: str) -> ReorgEvent:
    event = ReorgEvent.objects.create(
        kind=kind,
        date=day,
        legal_basis=legal_basis.strip(),
        note=note,
        assumption=assumption,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor, AuditEntry.Action.CREATE, event)
    return event


@transaction.atomic
def rename_unit(
    actor: Actor,
    unit: OrgUnit,
    *,
    date: dt.date,
    name: str | None = None,
    code: str | None = None,
    legal_basis: str = "",
    note: str = "",
) -> ReorgEvent:
    """From ``date`` the unit is called ``name`` and/or holds ``code``."""
    current = _require_exists(unit, date, _("Đơn vị"))
    _authorize(actor, unit, date)
    new_name = (name if name is not None else current.name).strip()
    new_code = (code if code is not None else current.code).strip()
    if not new_name:
        _fail(_("Tên đơn vị không được để trống."))
    if new_name == current.name and new_code == current.code:
        _fail(_("Tên và mã mới giống tên và mã hiện tại; không có gì để thay đổi."))
    if unit.versions.filter(valid_from__gt=date).exists():
        _fail(_later_changes(current.name, date))
    if new_code and new_code != current.code:
        problem = code_problem(unit.pk, new_code, date, current.valid_to)
        if problem:
            _fail(problem)
    event = _new_event(actor, ReorgEvent.Kind.RENAME, date, legal_basis, note, "")
    _start_version(actor, current, date, event, name=new_name, code=new_code)
    return event


@transaction.atomic
def move_unit(
    actor: Actor, unit: OrgUnit, *, date: dt.date, new_parent: OrgUnit, legal_basis: str = "", note: str = ""
) -> ReorgEvent:
    """From ``date`` the unit and its whole subtree hang under ``new_parent``."""
    current = _require_exists(unit, date, _("Đơn vị"))
    _authorize(actor, unit, date)
    _authorize(actor, new_parent, date, _("Đơn vị cấp trên mới"))
    if current.parent_id == new_parent.pk:
        _fail(_("“%(name)s” đã trực thuộc đơn vị này.") % {"name": current.name})
    event = _new_event(actor, ReorgEvent.Kind.MOVE, date, legal_basis, note, "")
    _reparent(actor, unit, new_parent, date, event)
    return event


def _end_unit(actor: Actor, unit: OrgUnit, day: dt.date) -> None:
    current = _require_exists(unit, day, _("Đơn vị kết thúc"))
    if day == unit.valid_from:
        _fail(
            _("“%(name)s” bắt đầu ngày %(date)s; không thể kết thúc ngay trong ngày đó.")
            % {"name": current.name, "date": format_date(day)}
        )
    live_children = list(
        UnitVersion.objects.filter(valid_on_q(day), parent=unit).values_list("name", flat=True)[:6]
    )
    if live_children:
        listed = ", ".join(live_children[:5]) + ("…" if len(live_children) > 5 else "")
        _fail(
            _(
                "“%(name)s” vẫn còn đơn vị trực thuộc vào ngày %(date)s (%(children)s); "
                "hãy chuyển các đơn vị này sang đơn vị cấp trên mới trong cùng sự kiện."
            )
            % {"name": current.name, "date": format_date(day), "children": listed}
        )
    if unit.versions.filter(valid_from__gt=day).exists():
        _fail(_later_changes(current.name, day))
    before = audit.snapshot(current)
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    audit.record(actor, AuditEntry.Action.UPDATE, current, before=before)
    unit_before = audit.snapshot(unit)
    unit.valid_to = day
    unit.save(update_fields=["valid_to"])
    audit.record(actor, AuditEntry.Action.UPDATE, unit, before=unit_before)


def _shares(transfers: Sequence[Transfer]) -> dict[int, Decimal | None]:
    """Fill in each transfer's share: given, else by population, else by area, when every
    transfer from that predecessor states it; otherwise the figures are not split."""
    by_predecessor: dict[int, list[int]] = defaultdict(list)
    for index, transfer in enumerate(transfers):
        by_predecessor[transfer.predecessor.pk].append(index)
    shares: dict[int, Decimal | None] = {}
    for indexes in by_predecessor.values():
        group = [transfers[i] for i in indexes]
        for basis in ("share", "population", "area_km2"):
            values = [getattr(t, basis) for t in group]
            if all(v is not None for v in values):
                if basis == "share":
                    for i, value in zip(indexes, values, strict=True):
                        shares[i] = Decimal(value)
                else:
                    total = sum(Decimal(v) for v in values)
                    for i, value in zip(indexes, values, strict=True):
                        shares[i] = (Decimal(value) / total).quantize(Decimal("0.000001"), ROUND_HALF_UP) if total else None
                break
        else:
            for i in indexes:
                shares[i] = transfers[i].share
        total_share = sum((shares[i] or Decimal(0)) for i in indexes)
        if total_share > Decimal("1.00001"):
            _fail(
                _("Tổng tỷ lệ chuyển từ “%(name)s” là %(total)s, vượt quá 1 (100%%).")
                % {"name": _name(group[0].predecessor), "total": f"{total_share:.4f}"}
            )
    return shares


@transaction.atomic
def reorganise(
    actor: Actor,
    *,
    kind: str,
    date: dt.date,
    ending: Sequence[OrgUnit] = (),
    transfers: Sequence[Transfer] = (),
    new_units: Sequence[NewUnit] = (),
    child_moves: Sequence[tuple[OrgUnit, OrgUnit | NewUnit]] = (),
    legal_basis: str = "",
    note: str = "",
    assumption: str = "",
) -> ReorgEvent:
    """The general reorganisation: found ``new_units``, move ``child_moves`` under their
    new parents, end the units in ``ending``, and link predecessors to successors.

    Merge, split and dissolution are this with particular arguments.
    """
    ending_ids = {unit.pk for unit in ending}
    if len(ending_ids) != len(ending):
        _fail(_("Một đơn vị được kết thúc hai lần trong cùng sự kiện."))
    for unit in ending:
        _require_exists(unit, date, _("Đơn vị kết thúc"))
    for transfer in transfers:
        _require_exists(transfer.predecessor, date, _("Đơn vị chuyển đi"))
        if isinstance(transfer.successor, OrgUnit):
            _require_exists(transfer.successor, date, _("Đơn vị nhận"))
            if transfer.successor.pk in ending_ids:
                _fail(
                    _("Đơn vị nhận “%(name)s” cũng bị kết thúc trong sự kiện này.")
                    % {"name": _name(transfer.successor, date)}
                )
        if transfer.population is not None and transfer.population < 0:
            _fail(_("Dân số chuyển không được âm."))
        if transfer.area_km2 is not None and transfer.area_km2 < 0:
            _fail(_("Diện tích chuyển không được âm."))
        if transfer.share is not None and not (Decimal(0) <= Decimal(transfer.share) <= Decimal(1)):
            _fail(_("Tỷ lệ chuyển phải từ 0 đến 1."))
    for new_unit in new_units:
        if isinstance(new_unit.parent, OrgUnit) and new_unit.parent.pk in ending_ids:
            _fail(_("Đơn vị mới “%(name)s” không thể trực thuộc đơn vị bị kết thúc.") % {"name": new_unit.name})
    shares = _shares(transfers)
    involved = [
        *ending,
        *(t.predecessor for t in transfers),
        *(t.successor for t in transfers if isinstance(t.successor, OrgUnit)),
        *(n.parent for n in new_units if isinstance(n.parent, OrgUnit)),
        *(child for child, _target in child_moves),
        *(target for _child, target in child_moves if isinstance(target, OrgUnit)),
    ]
    for unit in {u.pk: u for u in involved}.values():
        _authorize(actor, unit, date)

    event = _new_event(actor, kind, date, legal_basis, note, assumption)
    for new_unit in new_units:
        new_unit.created = create_unit(
            actor,
            kind=new_unit.kind,
            name=new_unit.name,
            parent=_resolve(new_unit.parent),
            valid_from=date,
            note=new_unit.note,
            assumption=new_unit.assumption,
            event=event,
        )
    for child, target in child_moves:
        target_unit = _resolve(target)
        if child.pk in ending_ids:
            _fail(_("“%(name)s” vừa được chuyển vừa bị kết thúc trong cùng sự kiện.") % {"name": _name(child, date)})
        _reparent(actor, child, target_unit, date, event)
    for unit in ending:
        _end_unit(actor, unit, date)
    # Codes go on last: a new unit may take over the code of a unit that ends today.
    for new_unit in new_units:
        if new_unit.code.strip():
            _assign_code(actor, _resolve(new_unit), new_unit.code.strip(), date)
    links = []
    for index, transfer in enumerate(transfers):
        link = ReorgLink(
            event=event,
            predecessor=transfer.predecessor,
            successor=_resolve(transfer.successor),
            population=transfer.population,
            area_km2=transfer.area_km2,
            share=shares[index],
            note=transfer.note,
            assumption=transfer.assumption,
        )
        link.full_clean(exclude=["event", "predecessor", "successor"], validate_unique=False)
        links.append(link)
    if len({(link.predecessor_id, link.successor_id) for link in links}) != len(links):
        _fail(_("Một cặp đơn vị chuyển đi – đơn vị nhận được khai hai lần."))
    ReorgLink.objects.bulk_create(links)
    audit.record_many(actor, [(AuditEntry.Action.CREATE, link, None, audit.snapshot(link)) for link in links])
    rebuild_lineage()
    return event


def _assign_code(actor: Actor, unit: OrgUnit, code: str, day: dt.date) -> None:
    version = unit.versions.get(valid_from=day)
    problem = code_problem(unit.pk, code, day, version.valid_to)
    if problem:
        _fail(problem)
    before = audit.snapshot(version)
    version.code = code
    version.save()
    audit.record(actor, AuditEntry.Action.UPDATE, version, before=before)


def _resolve(target: OrgUnit | NewUnit) -> OrgUnit:
    if isinstance(target, NewUnit):
        if target.created is None:
            _fail(_("Đơn vị mới “%(name)s” chưa được khai trong sự kiện.") % {"name": target.name})
        assert target.created is not None
        return target.created
    return target


def merge_units(
    actor: Actor,
    predecessors: Sequence[OrgUnit],
    *,
    date: dt.date,
    into: OrgUnit | NewUnit,
    child_moves: Sequence[tuple[OrgUnit, OrgUnit | NewUnit]] = (),
    legal_basis: str = "",
    note: str = "",
    assumption: str = "",
) -> ReorgEvent:
    """Several units end on ``date``; all they held passes to ``into`` (existing or new)."""
    if not predecessors:
        _fail(_("Cần ít nhất một đơn vị để sáp nhập."))
    return reorganise(
        actor,
        kind=ReorgEvent.Kind.MERGE,
        date=date,
        ending=predecessors,
        new_units=[into] if isinstance(into, NewUnit) else [],
        transfers=[Transfer(p, into, share=Decimal(1)) for p in predecessors],
        child_moves=child_moves,
        legal_basis=legal_basis,
        note=note,
        assumption=assumption,
    )


def split_unit(
    actor: Actor,
    unit: OrgUnit,
    *,
    date: dt.date,
    parts: Sequence[Transfer],
    child_moves: Sequence[tuple[OrgUnit, OrgUnit | NewUnit]] = (),
    legal_basis: str = "",
    note: str = "",
    assumption: str = "",
) -> ReorgEvent:
    """``unit`` ends on ``date``, divided among the successors named in ``parts``."""
    if len(parts) < 2:
        _fail(_("Chia tách cần ít nhất hai đơn vị nhận."))
    if any(part.predecessor.pk != unit.pk for part in parts):
        _fail(_("Mọi phần chia tách phải xuất phát từ cùng một đơn vị."))
    return reorganise(
        actor,
        kind=ReorgEvent.Kind.SPLIT,
        date=date,
        ending=[unit],
        new_units=[p.successor for p in parts if isinstance(p.successor, NewUnit)],
        transfers=parts,
        child_moves=child_moves,
        legal_basis=legal_basis,
        note=note,
        assumption=assumption,
    )


@transaction.atomic
def correct_version(
    actor: Actor,
    version: UnitVersion,
    *,
    name: str,
    code: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    reason: str,
) -> UnitVersion:
    """Correct a recorded mistake in a version (a typo, a wrong date), with a reason.

    Not for real changes: those are events (rename, move, merge…), so history stays.
    """
    if not reason.strip():
        _fail(_("Cần ghi lý do sửa."))
    _authorize(actor, version.unit, version.valid_from)
    before = audit.snapshot(version)
    version.name = name.strip()
    version.code = code.strip()
    version.valid_from = valid_from
    version.valid_to = valid_to
    if not version.name:
        _fail(_("Tên đơn vị không được để trống."))
    _full_clean(version)
    version.save()
    audit.record(actor, AuditEntry.Action.UPDATE, version, before=before, reason=reason.strip())
    return version


def rebuild_lineage() -> None:
    """Recompute ``UnitLineage`` from all links with a known share.

    The link graph is small (one row per predecessor–successor pair of every
    reorganisation) and acyclic in time, so a walk over it in memory is cheap; the
    product of shares along each chain is summed over all chains.
    """
    edges: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for predecessor, successor, share in ReorgLink.objects.exclude(share=None).values_list(
        "predecessor_id", "successor_id", "share"
    ):
        edges[predecessor].append((successor, Decimal(str(share))))
    closure: dict[tuple[int, int], Decimal] = defaultdict(Decimal)

    def walk(origin: int, node: int, share: Decimal, seen: frozenset[int]) -> None:
        for successor, step in edges.get(node, []):
            if successor in seen:  # pragma: no cover - links follow time, so no cycles
                continue
            total = share * step
            if total:
                closure[(origin, successor)] += total
                walk(origin, successor, total, seen | {successor})

    for origin in list(edges):
        walk(origin, origin, Decimal(1), frozenset({origin}))
    UnitLineage.objects.all().delete()
    UnitLineage.objects.bulk_create(
        UnitLineage(predecessor_id=p, successor_id=s, share=share.quantize(Decimal("0.000001")))
        for (p, s), share in closure.items()
    )
