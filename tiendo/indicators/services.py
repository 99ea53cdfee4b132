"""Writing targets and values. Each function validates before writing, runs in one
transaction, keeps history and writes the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.indicators.models import DataValue, Indicator, Source, Target
from tiendo.lib.periods import KIND_LABELS, Period, PeriodKind
from tiendo.lib.vn import format_date, format_number
from tiendo.orgs.models import OrgUnit, UnitVersion, path_upper_bound, valid_on_q
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


def _check_one_level(indicator: Indicator, unit: OrgUnit, period: Period) -> None:
    """Figures of one indicator and period are entered at one level of the tree, so
    that rollups never count the same thing twice."""
    version = unit.versions.filter(valid_on_q(max(period.start, unit.valid_from))).first()
    if version is None:  # pragma: no cover - check_unit_in_period ran first
        return
    ancestor_ids = [int(version.path[i : i + 8]) for i in range(0, len(version.path) - 8, 8)]
    descendants = UnitVersion.objects.filter(
        path__gt=version.path, path__lt=path_upper_bound(version.path)
    ).values("unit_id")
    clash = (
        DataValue.objects.filter(
            indicator=indicator, period_kind=period.kind.value, period_start=period.start, is_current=True
        )
        .filter(unit_id__in=ancestor_ids)
        .first()
        or DataValue.objects.filter(
            indicator=indicator, period_kind=period.kind.value, period_start=period.start, is_current=True,
            unit_id__in=descendants,
        ).first()
    )
    if clash is not None:
        _fail(
            _(
                "Đơn vị “%(unit)s” đã có số liệu chỉ tiêu “%(code)s” %(period)s; số liệu của một chỉ tiêu "
                "trong một kỳ chỉ nhập ở một cấp (cấp trên được tổng hợp tự động)."
            )
            % {"unit": clash.unit, "code": indicator.code, "period": period.label}
        )


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
    number = Decimal(str(value))
    check_value(indicator, number)
    check_period(indicator, period)
    check_unit_in_period(unit, period)
    if measured_on is not None and not period.contains_day(measured_on):
        _fail(
            _("Ngày tính số liệu %(date)s nằm ngoài %(period)s.") % {"date": format_date(measured_on), "period": period.label},
            "measured_on",
        )
    if actor is not None and not can(actor, Action.REPORT, unit) and not can(actor, Action.MANAGE, unit):
        _fail(_("Bạn không có quyền nhập số liệu cho “%(unit)s”.") % {"unit": unit})
    current = (
        DataValue.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period_kind=period.kind.value, period_start=period.start, is_current=True)
        .order_by("pk")
        .first()
    )
    if current is None:
        _check_one_level(indicator, unit, period)
    elif current.state != DataValue.State.DRAFT and not reason.strip():
        _fail(_("Số liệu đã gửi hoặc đã duyệt; cần ghi lý do thay đổi."), "reason")
    row = DataValue(
        indicator=indicator,
        unit=unit,
        value=number,
        source=source,
        note=note,
        state=state,
        measured_on=measured_on,
        is_estimate=is_estimate,
        entered_by=(actor if getattr(actor, "is_authenticated", False) else None) if entered_by is DEFAULT else entered_by,
        replaces=current,
        change_reason=reason.strip(),
    )
    row.period = period
    if current is not None:
        before = audit.snapshot(current)
        current.is_current = False
        current.save(update_fields=["is_current"])
        audit.record(actor, AuditEntry.Action.UPDATE, current, before=before, reason=reason)
    row.save()
    if entered_at is not None:  # auto_now_add sets the time on insert; an imported figure keeps its own
        DataValue.objects.filter(pk=row.pk).update(entered_at=entered_at)
        row.entered_at = entered_at
    audit.record(actor, AuditEntry.Action.CREATE, row, reason=reason)
    return row


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
