"""Cascading targets: a district's target allocated to its wards, a term's target
broken down by year, and the check that the parts add up to the whole."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tiendo.indicators import rollups
from tiendo.indicators.models import Indicator, Target
from tiendo.indicators.services import set_target
from tiendo.lib.vn import format_number
from tiendo.orgs.models import OrgUnit

TOLERANCE = Decimal("0.005")  # half a percent: rounding in the allocation documents


@dataclass(frozen=True)
class AllocationCheck:
    """Whether a target's parts add up to it; ``method`` says how the parts were
    combined and ``message`` is the warning (both in the active language)."""

    expected: Decimal
    combined: Decimal | None
    method: str
    ok: bool
    message: str


def _weights(indicator: Indicator, parts: list[Target]) -> tuple[dict[int, Decimal], str]:
    """Weights of each part for a rate: the denominator's (or weight indicator's)
    figures of the part's unit in the part's period; equal weights when unknown."""
    weight_indicator = indicator.weight or indicator.denominator
    if weight_indicator is not None:
        units = [p.unit for p in parts]
        figures = rollups.table([weight_indicator], units, [parts[0].period])
        weights = {p.pk: figures[(weight_indicator.pk, p.unit_id, parts[0].period)].value for p in parts}
        if all(w is not None and w > 0 for w in weights.values()):
            method = _("bình quân gia quyền theo %(code)s") % {"code": weight_indicator.code}
            return {k: Decimal(v) for k, v in weights.items() if v is not None}, method
    return {p.pk: Decimal(1) for p in parts}, _("bình quân cộng (chưa có số liệu quyền số)")


def check_allocation(target: Target) -> AllocationCheck | None:
    """Compare a target with the targets allocated from it, by the indicator's rule:
    a sum for additive indicators, the (weighted) mean for rates, the last period's
    target for a level broken down in time. ``None`` when there is nothing to check."""
    parts = list(target.allocations.select_related("unit", "indicator"))
    if not parts:
        return None
    indicator = target.indicator
    by_time = all(p.unit_id == target.unit_id for p in parts)
    additive = indicator.unit_aggregation == Indicator.UnitAggregation.SUM and (
        not by_time or indicator.time_aggregation == Indicator.TimeAggregation.FLOW
    )
    if additive:
        combined, method = sum((p.value for p in parts), Decimal(0)), _("tổng")
    elif by_time:
        combined, method = max(parts, key=lambda p: p.period_start).value, _("chỉ tiêu của kỳ cuối")
    elif indicator.unit_aggregation in (
        Indicator.UnitAggregation.AVERAGE,
        Indicator.UnitAggregation.WEIGHTED_AVERAGE,
        Indicator.UnitAggregation.RATIO_OF_SUMS,
    ):
        weights, method = _weights(indicator, parts)
        total_weight = sum(weights.values(), Decimal(0))
        combined = sum((p.value * weights[p.pk] for p in parts), Decimal(0)) / total_weight
    else:
        return None
    ok = abs(combined - target.value) <= TOLERANCE * max(abs(target.value), Decimal(1))
    where = _("các kỳ") if by_time else _("các đơn vị")
    message = (
        ""
        if ok
        else _(
            "Chỉ tiêu giao cho %(where)s (%(method)s: %(combined)s) không khớp chỉ tiêu "
            "%(expected)s của %(unit)s %(period)s."
        )
        % {
            "where": where,
            "method": method,
            "combined": format_number(combined, 2),
            "expected": format_number(target.value),
            "unit": target.unit,
            "period": target.period.label,
        }
    )
    return AllocationCheck(target.value, combined, method, ok, message)


@transaction.atomic
def allocate(actor: Any, target: Target, parts: dict[OrgUnit, Decimal], clause: str = "") -> AllocationCheck | None:
    """Allocate ``target`` to units (same period); returns the check, with a warning
    when the parts do not add up (the allocation is kept: offices do adjust)."""
    if not clause:
        # The clause is stored with each target, as the documents word it: in Vietnamese.
        with translation.override(settings.LANGUAGE_CODE):
            clause = f"Phân bổ từ chỉ tiêu của {target.unit} {target.period.label}"
    for unit, value in parts.items():
        set_target(
            actor,
            indicator=target.indicator,
            unit=unit,
            period=target.period,
            value=value,
            clause=clause,
            allocated_from=target,
        )
    return check_allocation(target)
