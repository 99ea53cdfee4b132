"""What must hold before a submission is sent: every required figure, every rule of
the data set, and a comment on each figure far outside the unit's own history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tiendo.indicators.models import DataValue, Indicator
from tiendo.lib.expressions import RuleError, compile_rule
from tiendo.lib.vn import format_number
from tiendo.reporting.models import Round, ValidationRule

HISTORY_PERIODS = 8  # how far back "the unit's usual range" looks
MIN_HISTORY = 3  # fewer earlier figures than this say nothing about what is usual
# A figure is an outlier when it lies beyond the usual range by more than the range's
# own width (or, for a flat history, by more than a quarter of its typical size).
FLAT_HISTORY_MARGIN = Decimal("0.25")


@dataclass(frozen=True)
class UsualRange:
    low: Decimal
    high: Decimal
    periods: int

    @property
    def margin(self) -> Decimal:
        middle = (abs(self.low) + abs(self.high)) / 2
        return max(self.high - self.low, middle * FLAT_HISTORY_MARGIN)

    def is_far_outside(self, value: Decimal) -> bool:
        return value < self.low - self.margin or value > self.high + self.margin

    def describe(self, indicator: Indicator) -> str:
        return _("khoảng thường thấy của đơn vị là %(low)s–%(high)s (%(count)s kỳ trước)") % {
            "low": format_number(self.low, indicator.decimals),
            "high": format_number(self.high, indicator.decimals),
            "count": self.periods,
        }


@dataclass
class Findings:
    """What stands in the way of sending: missing figures, broken rules, and outliers
    without a comment (``outliers`` lists all of them, commented or not)."""

    missing: list[Indicator] = field(default_factory=list)
    broken_rules: list[ValidationRule] = field(default_factory=list)
    outliers: dict[int, str] = field(default_factory=dict)  # indicator id → warning
    uncommented_outliers: list[int] = field(default_factory=list)

    @property
    def blocks_submission(self) -> bool:
        return bool(self.missing or self.broken_rules or self.uncommented_outliers)

    def messages(self) -> list[str]:
        found = [
            _("Chưa nhập chỉ tiêu bắt buộc “%(name)s”.") % {"name": indicator.display_name} for indicator in self.missing
        ]
        found += [rule.message for rule in self.broken_rules]
        found += [
            _("%(warning)s Cần ghi chú giải thích trước khi gửi.") % {"warning": self.outliers[pk]}
            for pk in self.uncommented_outliers
        ]
        return found


def usual_ranges(round_: Round, unit_id: int, indicators: list[Indicator]) -> dict[int, UsualRange]:
    """The range of each indicator's last figures sent by the unit before this round."""
    earlier = (
        DataValue.objects.filter(
            unit_id=unit_id,
            indicator__in=indicators,
            period_kind=round_.period_kind,
            period_start__lt=round_.period_start,
            period_start__gte=round_.period.shifted(-HISTORY_PERIODS).start,
            is_current=True,
            state__in=[DataValue.State.SUBMITTED, DataValue.State.APPROVED],
        )
        .order_by()
        .values_list("indicator_id", "value")
    )
    by_indicator: dict[int, list[Decimal]] = {}
    for indicator_id, value in earlier:
        by_indicator.setdefault(indicator_id, []).append(value)
    return {
        pk: UsualRange(min(values), max(values), len(values))
        for pk, values in by_indicator.items()
        if len(values) >= MIN_HISTORY
    }


def outlier_warning(indicator: Indicator, value: Decimal, usual: UsualRange | None) -> str | None:
    if usual is None or not usual.is_far_outside(value):
        return None
    return _("Giá trị %(value)s của “%(name)s” khác xa so với trước: %(usual)s.") % {
        "value": format_number(value, indicator.decimals),
        "name": indicator.display_name,
        "usual": usual.describe(indicator),
    }


def check(
    round_: Round,
    unit_id: int,
    items: list[tuple[Indicator, bool, bool]],
    values: Mapping[int, Decimal | None],
    notes: Mapping[int, str],
    rules: list[ValidationRule],
) -> Findings:
    """``items`` are the data set's indicators with whether each is required and
    whether it is checked against the unit's history; ``values`` and ``notes`` are
    keyed by indicator id."""
    findings = Findings()
    indicators = [indicator for indicator, _required, _outliers in items]
    findings.missing = [indicator for indicator, required, _outliers in items if required and values.get(indicator.pk) is None]
    by_code = {indicator.code: values.get(indicator.pk) for indicator in indicators}
    for rule in rules:
        try:
            compiled = compile_rule(rule.expression)
        except RuleError:
            continue  # a rule that does not read is refused when it is written; never block on it here
        if compiled.evaluate(by_code) is False:
            findings.broken_rules.append(rule)
    watched = [indicator for indicator, _required, outliers in items if outliers]
    ranges = usual_ranges(round_, unit_id, watched) if watched else {}
    for indicator in watched:
        value = values.get(indicator.pk)
        if value is None:
            continue
        warning = outlier_warning(indicator, value, ranges.get(indicator.pk))
        if warning:
            findings.outliers[indicator.pk] = warning
            if not notes.get(indicator.pk, "").strip():
                findings.uncommented_outliers.append(indicator.pk)
    return findings
