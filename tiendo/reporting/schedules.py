"""Writing reporting schedules (lịch báo cáo): the only place a ``Schedule`` is
created or changed. Each function checks the actor's right over the reviewing unit
and every rule before writing anything, in one transaction, and leaves an audit row
with the units that must report.

Who may: the unit administrators and reviewers of the reviewing unit (the level the
reports go to), as for opening a round by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.orgs.models import OrgUnit, UnitVersion, overlaps_q
from tiendo.reporting.models import DataSet, Schedule

MAX_OFFSET_DAYS = 366  # a round opens or falls due within a year of its period's end
MAX_REMIND_DAYS = 60


def may_plan(user: Any, unit: OrgUnit) -> bool:
    """Whether the user may set the schedules and open the rounds reported to ``unit``."""
    return can(user, Action.MANAGE, unit) or can(user, Action.REVIEW, unit)


def _snapshot(schedule: Schedule) -> dict[str, Any]:
    data = audit.snapshot(schedule)
    data["units"] = sorted(schedule.units.values_list("pk", flat=True)) if schedule.pk else []
    return data


def _problems(
    actor: Any,
    schedule: Schedule | None,
    *,
    data_set: DataSet,
    name: str,
    reviewing_unit: OrgUnit,
    units: Sequence[OrgUnit],
    starts_on: dt.date,
    ends_on: dt.date | None,
    open_offset_days: int,
    due_offset_days: int,
    remind_days_before: int,
    is_active: bool,
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        found.setdefault(field, []).append(message)

    if actor is not None:
        if not may_plan(actor, reviewing_unit):
            fail("reviewing_unit", _("Bạn không có quyền lập lịch báo cáo gửi “%(unit)s”.") % {"unit": reviewing_unit})
        if (
            schedule is not None
            and schedule.reviewing_unit_id != reviewing_unit.pk
            and not may_plan(actor, schedule.reviewing_unit)
        ):
            fail(
                "reviewing_unit",
                _("Bạn không có quyền sửa lịch báo cáo gửi “%(unit)s”.") % {"unit": schedule.reviewing_unit},
            )
    if not name.strip():
        fail("name", _("Cần đặt tên cho lịch báo cáo."))
    for field, value in (("open_offset_days", open_offset_days), ("due_offset_days", due_offset_days)):
        if abs(value) > MAX_OFFSET_DAYS:
            fail(field, _("Số ngày phải trong khoảng từ -%(max)s đến %(max)s.") % {"max": MAX_OFFSET_DAYS})
    if due_offset_days <= open_offset_days:
        fail(
            "due_offset_days",
            _("Hạn nộp phải sau ngày mở đợt báo cáo: số ngày của hạn nộp (%(due)s) phải lớn hơn số ngày mở (%(open)s).")
            % {"due": due_offset_days, "open": open_offset_days},
        )
    if not 0 <= remind_days_before <= MAX_REMIND_DAYS:
        fail("remind_days_before", _("Số ngày nhắc trước hạn phải từ 0 đến %(max)s.") % {"max": MAX_REMIND_DAYS})
    if ends_on is not None and ends_on <= starts_on:
        fail("ends_on", _("Ngày kết thúc áp dụng phải sau ngày bắt đầu."))
    if not units:
        fail("units", _("Chọn ít nhất một đơn vị phải báo cáo."))
    else:
        # Each unit must have stood below the reviewing unit at some time while the
        # schedule applies (a later reorganisation is the round's business: the job
        # opens rounds only for the units alive in each period).
        tops = list(UnitVersion.objects.filter(unit=reviewing_unit).values_list("path", flat=True))
        below = Q(pk__in=[])
        for path in tops:
            below |= Q(path__startswith=path)
        inside = set(
            UnitVersion.objects.filter(below, overlaps_q(starts_on, ends_on), unit__in=units)
            .exclude(unit=reviewing_unit)
            .values_list("unit_id", flat=True)
        )
        for unit in units:
            if unit.pk not in inside:
                fail(
                    "units",
                    _("“%(unit)s” không thuộc “%(top)s” trong thời gian áp dụng lịch nên không báo cáo lên đơn vị này.")
                    % {"unit": unit, "top": reviewing_unit},
                )
    clash = Schedule.objects.filter(data_set=data_set, reviewing_unit=reviewing_unit, is_active=True)
    if schedule is not None:
        clash = clash.exclude(pk=schedule.pk)
    if is_active and clash.exists():
        fail(
            "data_set",
            _("“%(unit)s” đã có lịch báo cáo “%(set)s” đang áp dụng; hãy sửa lịch đó hoặc ngừng áp dụng nó trước.")
            % {"unit": reviewing_unit, "set": data_set},
        )
    return found


def _apply(schedule: Schedule, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(schedule, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def create_schedule(
    actor: Any,
    *,
    data_set: DataSet,
    name: str,
    reviewing_unit: OrgUnit,
    units: Sequence[OrgUnit],
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    open_offset_days: int = -10,
    due_offset_days: int = 10,
    remind_days_before: int = 3,
    is_active: bool = True,
) -> Schedule:
    """A new schedule: from the period containing ``starts_on`` on, the reminder job
    opens each period's round ``open_offset_days`` after the period ends (negative:
    before) and makes it due ``due_offset_days`` after."""
    fields: dict[str, Any] = {
        "data_set": data_set,
        "name": name,
        "reviewing_unit": reviewing_unit,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "open_offset_days": open_offset_days,
        "due_offset_days": due_offset_days,
        "remind_days_before": remind_days_before,
        "is_active": is_active,
    }
    problems = _problems(actor, None, units=units, **fields)
    if problems:
        raise ValidationError(problems)
    schedule = Schedule(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _apply(schedule, fields)
    schedule.save()
    schedule.units.set(units)
    audit.record(actor, AuditEntry.Action.CREATE, schedule, after=_snapshot(schedule))
    return schedule


@transaction.atomic
def update_schedule(
    actor: Any,
    schedule: Schedule,
    *,
    data_set: DataSet,
    name: str,
    reviewing_unit: OrgUnit,
    units: Sequence[OrgUnit],
    starts_on: dt.date,
    ends_on: dt.date | None,
    open_offset_days: int,
    due_offset_days: int,
    remind_days_before: int,
    is_active: bool,
) -> Schedule:
    """Change a schedule. Rounds already opened keep their dates and units; the change
    applies to the rounds the job opens from now on."""
    schedule = Schedule.objects.select_for_update().select_related("reviewing_unit").get(pk=schedule.pk)
    fields: dict[str, Any] = {
        "data_set": data_set,
        "name": name,
        "reviewing_unit": reviewing_unit,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "open_offset_days": open_offset_days,
        "due_offset_days": due_offset_days,
        "remind_days_before": remind_days_before,
        "is_active": is_active,
    }
    problems = _problems(actor, schedule, units=units, **fields)
    if problems:
        raise ValidationError(problems)
    before = _snapshot(schedule)
    _apply(schedule, fields)
    schedule.save()
    schedule.units.set(units)
    after = _snapshot(schedule)
    if after != before:
        audit.record(actor, AuditEntry.Action.UPDATE, schedule, before=before, after=after)
    return schedule
