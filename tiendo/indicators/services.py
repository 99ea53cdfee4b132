"""Writing targets and values. Each function validates before writing, runs in one
transaction, keeps history and writes the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, can, path_q, scope_paths
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.indicators.models import DataValue, Indicator, Source, Target
from tiendo.lib.periods import KIND_LABELS, Period, PeriodKind
from tiendo.lib.vn import format_date, format_number
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion
from tiendo.plans.models import Plan

Actor = Any
DEFAULT: Any = object()  # a keyword left out: entered_by is the actor; a target keeps its plan


def _fail(message: str, field: str | None = None) -> None:
    raise ValidationError({field: [message]} if field else message)


def check_value(indicator: Indicator, value: Decimal) -> None:
    """Refuse a value of the wrong type or outside the indicator's bounds."""
    if indicator.value_type == Indicator.ValueType.BOOLEAN and value not in (0, 1):
        _fail(
            _("Chỉ tiêu “%(code)s” nhận giá trị có (1) hoặc không (0), không nhận %(value)s.")
            % {"code": indicator.code, "value": format_number(value)},
            "value",
        )
    if indicator.is_percent and not Decimal(0) <= value <= Decimal(100) and indicator.max_value is None:
        _fail(
            _("Tỷ lệ của chỉ tiêu “%(code)s” phải từ 0 đến 100%%, không phải %(value)s%%.")
            % {"code": indicator.code, "value": format_number(value)},
            "value",
        )
    if indicator.min_value is not None and value < indicator.min_value:
        _fail(
            _("Giá trị %(value)s nhỏ hơn mức tối thiểu %(minimum)s của chỉ tiêu “%(code)s”.")
            % {"value": format_number(value), "minimum": format_number(indicator.min_value), "code": indicator.code},
            "value",
        )
    if indicator.max_value is not None and value > indicator.max_value:
        _fail(
            _("Giá trị %(value)s lớn hơn mức tối đa %(maximum)s của chỉ tiêu “%(code)s”.")
            % {"value": format_number(value), "maximum": format_number(indicator.max_value), "code": indicator.code},
            "value",
        )


def check_period(indicator: Indicator, period: Period) -> None:
    if period.kind != PeriodKind(indicator.frequency):
        _fail(
            _("Chỉ tiêu “%(code)s” báo cáo theo %(frequency)s, không nhận số liệu theo %(kind)s (%(period)s).")
            % {
                "code": indicator.code,
                "frequency": KIND_LABELS[PeriodKind(indicator.frequency)],
                "kind": KIND_LABELS[period.kind],
                "period": period.label,
            },
            "period",
        )


def check_unit_in_period(unit: OrgUnit, period: Period, what: str | None = None) -> None:
    """Refuse a unit that does not exist during ``period``; ``what`` names what was
    to be written (figures by default)."""
    if unit.valid_from >= period.end or (unit.valid_to is not None and unit.valid_to <= period.start):
        _fail(
            _("Đơn vị “%(unit)s” không tồn tại trong %(period)s (%(interval)s); không thể ghi %(what)s.")
            % {"unit": unit, "period": period.label, "interval": unit.interval_text, "what": what or pgettext("what cannot be recorded", "số liệu")},
            "unit",
        )


@dataclass
class NewValue:
    """A figure to store with ``record_values``; see ``record_value`` for the fields."""

    indicator: Indicator
    unit: OrgUnit
    period: Period
    value: Decimal | int | float | str
    source: Source | None = None
    note: str = ""
    state: str = DataValue.State.DRAFT
    measured_on: dt.date | None = None
    is_estimate: bool = False
    reason: str = ""
    entered_at: dt.datetime | None = None
    entered_by: Any = DEFAULT


class ValuesRefused(ValidationError):
    """Some figures of a batch were refused: ``by_row`` maps the position of each
    refused figure to its error. Nothing of the batch was written."""

    def __init__(self, by_row: dict[int, ValidationError]) -> None:
        self.by_row = by_row
        super().__init__([message for error in by_row.values() for message in error.messages])


@transaction.atomic
def record_value(
    actor: Actor,
    *,
    indicator: Indicator,
    unit: OrgUnit,
    period: Period,
    value: Decimal | int | float | str,
    source: Source | None = None,
    note: str = "",
    state: str = DataValue.State.DRAFT,
    measured_on: dt.date | None = None,
    is_estimate: bool = False,
    reason: str = "",
    entered_at: dt.datetime | None = None,
    entered_by: Any = DEFAULT,
) -> DataValue:
    """Store a figure. A figure already in force for the same indicator, unit and
    period is kept as history and replaced; the change needs a reason once the old
    figure was submitted or approved.

    ``entered_at`` and ``entered_by`` keep the provenance of a figure recorded
    elsewhere (an imported file); by default it is entered now, by the actor."""
    new = NewValue(
        indicator, unit, period, value, source, note, state, measured_on, is_estimate, reason, entered_at, entered_by
    )
    try:
        return record_values(actor, [new])[0]
    except ValuesRefused as refused:
        raise refused.by_row[0] from None


def _allowed_unit_ids(actor: Actor, unit_ids: set[int]) -> set[int]:
    """Of these units, those the actor may enter figures for (report or manage)."""
    if actor is None:
        return unit_ids
    allowed: set[int] = set()
    for action in (Action.REPORT, Action.MANAGE):
        paths = scope_paths(actor, action)
        if paths is EVERYTHING:
            return unit_ids
        if paths:
            allowed |= set(
                UnitVersion.objects.filter(path_q(paths), unit_id__in=unit_ids - allowed).values_list("unit_id", flat=True)
            )
    return allowed


def _level_clashes(keys: set[tuple[int, int, str, dt.date]]) -> dict[tuple[int, int, str, dt.date], DataValue]:
    """For new (indicator, unit, kind, start) keys: a current figure of the same
    indicator and period at a unit above or below, which would be counted twice."""
    unit_ids = {unit_id for _, unit_id, _, _ in keys}
    versions = list(UnitVersion.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "path"))
    related: dict[int, set[int]] = {}  # other unit → the units of ours it sits above or below
    for unit_id, path in versions:
        for i in range(0, len(path) - PATH_SEGMENT, PATH_SEGMENT):
            related.setdefault(int(path[i : i + PATH_SEGMENT]), set()).add(unit_id)
    paths = sorted({path for _, path in versions})
    for chunk in range(0, len(paths), 200):  # SQLite refuses expressions deeper than 1000
        below = UnitVersion.objects.filter(path_q(paths[chunk : chunk + 200])).exclude(unit_id__in=unit_ids)
        for other, path in below.values_list("unit_id", "path"):
            for i in range(0, len(path) - PATH_SEGMENT, PATH_SEGMENT):
                ancestor = int(path[i : i + PATH_SEGMENT])
                if ancestor in unit_ids:
                    related.setdefault(other, set()).add(ancestor)
    for unit_id in unit_ids:
        related.pop(unit_id, None)
    if not related:
        return {}
    wanted = {(indicator_id, kind, start) for indicator_id, _, kind, start in keys}
    found: dict[tuple[int, int, str, dt.date], DataValue] = {}
    candidates = DataValue.objects.filter(
        indicator_id__in={k[0] for k in wanted},
        period_start__in={k[2] for k in wanted},
        unit_id__in=list(related),
        is_current=True,
    ).select_related("unit")
    for row in candidates:
        if (row.indicator_id, row.period_kind, row.period_start) not in wanted:
            continue
        for ours in related[row.unit_id]:
            found.setdefault((row.indicator_id, ours, row.period_kind, row.period_start), row)
    return found


@transaction.atomic
def record_values(actor: Actor, new_values: Sequence[NewValue]) -> list[DataValue]:
    """Store many figures at once, each as ``record_value`` would, in a few queries:
    all are checked first, and if any is refused ``ValuesRefused`` says which and
    nothing is written."""
    errors: dict[int, ValidationError] = {}
    numbers: list[Decimal] = []
    for index, new in enumerate(new_values):
        try:
            number = Decimal(str(new.value))
            numbers.append(number)
            check_value(new.indicator, number)
            check_period(new.indicator, new.period)
            check_unit_in_period(new.unit, new.period)
            if new.measured_on is not None and not new.period.contains_day(new.measured_on):
                _fail(
                    _("Ngày tính số liệu %(date)s nằm ngoài %(period)s.")
                    % {"date": format_date(new.measured_on), "period": new.period.label},
                    "measured_on",
                )
        except ValidationError as error:
            errors[index] = error
    if errors:
        raise ValuesRefused(errors)
    allowed = _allowed_unit_ids(actor, {new.unit.pk for new in new_values})
    for index, new in enumerate(new_values):
        if new.unit.pk not in allowed:
            errors[index] = ValidationError(_("Bạn không có quyền nhập số liệu cho “%(unit)s”.") % {"unit": new.unit})
    if errors:
        raise ValuesRefused(errors)

    def key(new: NewValue) -> tuple[int, int, str, dt.date]:
        return (new.indicator.pk, new.unit.pk, new.period.kind.value, new.period.start)

    keys = [key(new) for new in new_values]
    currents: dict[tuple[int, int, str, dt.date], DataValue] = {}
    for chunk in range(0, len(keys), 900):
        part = keys[chunk : chunk + 900]
        # order_by(): DataValue's default ordering joins Indicator and its nullable
        # program, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        rows = DataValue.objects.select_for_update().filter(
            indicator_id__in={k[0] for k in part},
            unit_id__in={k[1] for k in part},
            period_start__in={k[3] for k in part},
            is_current=True,
        ).order_by()
        wanted = set(part)
        for row in rows:
            row_key = (row.indicator_id, row.unit_id, row.period_kind, row.period_start)
            if row_key in wanted:
                currents[row_key] = row
    clashes = _level_clashes({k for k in keys if k not in currents})
    seen: set[tuple[int, int, str, dt.date]] = set()
    for index, (new, row_key) in enumerate(zip(new_values, keys, strict=True)):
        current = currents.get(row_key)
        if row_key in seen:
            errors[index] = ValidationError(
                _("Số liệu chỉ tiêu “%(code)s” của “%(unit)s” %(period)s có hai lần trong cùng một lần ghi.")
                % {"code": new.indicator.code, "unit": new.unit, "period": new.period.label}
            )
        elif current is not None and current.state != DataValue.State.DRAFT and not new.reason.strip():
            errors[index] = ValidationError({"reason": [_("Số liệu đã gửi hoặc đã duyệt; cần ghi lý do thay đổi.")]})
        elif current is None and row_key in clashes:
            clash = clashes[row_key]
            errors[index] = ValidationError(
                _(
                    "Đơn vị “%(unit)s” đã có số liệu chỉ tiêu “%(code)s” %(period)s; số liệu của một chỉ tiêu "
                    "trong một kỳ chỉ nhập ở một cấp (cấp trên được tổng hợp tự động)."
                )
                % {"unit": clash.unit, "code": new.indicator.code, "period": new.period.label}
            )
        seen.add(row_key)
    if errors:
        raise ValuesRefused(errors)

    replaced = [currents[k] for k in keys if k in currents]
    befores = [audit.snapshot(row) for row in replaced]
    if replaced:
        DataValue.objects.filter(pk__in=[row.pk for row in replaced]).update(is_current=False)
        for row in replaced:
            row.is_current = False
    user = actor if getattr(actor, "is_authenticated", False) else None
    created: list[DataValue] = []
    for new, number, row_key in zip(new_values, numbers, keys, strict=True):
        row = DataValue(
            indicator=new.indicator,
            unit=new.unit,
            value=number,
            source=new.source,
            note=new.note,
            state=new.state,
            measured_on=new.measured_on,
            is_estimate=new.is_estimate,
            entered_by=user if new.entered_by is DEFAULT else new.entered_by,
            replaces=currents.get(row_key),
            change_reason=new.reason.strip(),
        )
        row.period = new.period
        row.covers_until = new.measured_on or new.period.last_day
        created.append(row)
    DataValue.objects.bulk_create(created, batch_size=2000)
    for row, new in zip(created, new_values, strict=True):
        if new.entered_at is not None:  # auto_now_add sets the time on insert; an imported figure keeps its own
            DataValue.objects.filter(pk=row.pk).update(entered_at=new.entered_at)
            row.entered_at = new.entered_at
    audit.record_many(
        actor,
        [
            *((AuditEntry.Action.UPDATE, row, before, audit.snapshot(row)) for row, before in zip(replaced, befores, strict=True)),
            *((AuditEntry.Action.CREATE, row, None, audit.snapshot(row)) for row in created),
        ],
        reason=new_values[0].reason.strip() if len({n.reason for n in new_values}) == 1 and new_values else "",
    )
    return created


@transaction.atomic
def set_target(
    actor: Actor,
    *,
    indicator: Indicator,
    unit: OrgUnit,
    period: Period,
    value: Decimal | int | float | str,
    clause: str = "",
    allocated_from: Target | None = None,
    source: Source | None = None,
    note: str = "",
    plan: Plan | object | None = DEFAULT,
) -> Target:
    """Set (or change) the target of an indicator for a unit and period; ``plan``, when
    given, is the plan that sets it (left as it is otherwise)."""
    number = Decimal(str(value))
    check_value(indicator, number)
    check_unit_in_period(unit, period, pgettext("what cannot be recorded", "chỉ tiêu"))
    if actor is not None and not can(actor, Action.MANAGE, unit):
        _fail(_("Bạn không có quyền giao chỉ tiêu cho “%(unit)s”.") % {"unit": unit})
    target = Target.objects.filter(
        indicator=indicator, unit=unit, period_kind=period.kind.value, period_start=period.start
    ).first()
    before = audit.snapshot(target) if target else None
    if target is None:
        target = Target(indicator=indicator, unit=unit)
        target.period = period
    target.value = number
    target.clause = clause
    target.allocated_from = allocated_from
    target.source = source
    target.note = note
    if plan is not DEFAULT:
        target.plan = plan  # type: ignore[assignment]
    target.save()
    audit.record(actor, AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, target, before=before)
    return target
