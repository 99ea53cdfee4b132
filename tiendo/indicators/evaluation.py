"""Judging indicators of a unit at a date, and counting them by status.

Which target an indicator is judged against: the unit's target whose period
contains the evaluation day (the longest, if several: the term before the year);
failing that, the most recent target whose period has ended.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from tiendo.indicators import rollups
from tiendo.indicators.models import Indicator, Target
from tiendo.indicators.status import ORDER, Assessment, Status, assess
from tiendo.orgs.models import OrgUnit


@dataclass(frozen=True)
class Evaluation:
    indicator: Indicator
    target: Target | None
    figure: rollups.Figure
    assessment: Assessment

    @property
    def status(self) -> Status:
        return self.assessment.status


def choose_target(targets: Iterable[Target], on: dt.date) -> Target | None:
    targets = list(targets)
    running = [t for t in targets if t.period.contains_day(on)]
    if running:
        return max(running, key=lambda t: (t.period_end - t.period_start, t.period_start))
    ended = [t for t in targets if t.period_end <= on]
    return max(ended, key=lambda t: t.period_end) if ended else None


def evaluate(
    indicators: Sequence[Indicator],
    unit: OrgUnit,
    *,
    on: dt.date,
    include_submitted: bool = False,
) -> list[Evaluation]:
    """Each indicator's target, actual to date and status for ``unit`` on day ``on``.

    Two queries whatever the number of indicators: the targets, then one rollup.
    """
    by_indicator: dict[int, list[Target]] = {}
    for candidate in Target.objects.filter(indicator__in=indicators, unit=unit):
        by_indicator.setdefault(candidate.indicator_id, []).append(candidate)
    chosen = {i.pk: choose_target(by_indicator.get(i.pk, []), on) for i in indicators}
    target_periods = sorted({t.period for t in chosen.values() if t is not None})
    figures = (
        rollups.table(indicators, [unit], target_periods, include_submitted=include_submitted, as_of=on)
        if target_periods
        else {}
    )
    tolerance = settings.STATUS_AT_RISK_TOLERANCE
    no_target = Assessment(Status.NO_DATA, None, None)
    results = []
    for indicator in indicators:
        target = chosen[indicator.pk]
        if target is None:
            results.append(Evaluation(indicator, None, rollups.EMPTY, no_target))
            continue
        period = target.period
        figure = figures.get((indicator.pk, unit.pk, period), rollups.EMPTY)
        measured = min(on, figure.covers_until) if figure.covers_until else on
        assessment = assess(
            target=target.value,
            actual=figure.value,
            higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
            elapsed=period.elapsed_share(measured),
            period_over=on >= period.last_day,
            data_reach_end=bool(figure.covers_until and figure.covers_until >= period.last_day),
            cumulative=indicator.time_aggregation == Indicator.TimeAggregation.FLOW,
            tolerance=tolerance,
        )
        results.append(Evaluation(indicator, target, figure, assessment))
    return results


@dataclass(frozen=True)
class StatusCounts:
    """How many indicators stand at each status, as a report states them."""

    by_status: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(n for s, n in self.by_status.items() if s.done)

    @property
    def in_progress(self) -> int:
        return sum(n for s, n in self.by_status.items() if s.in_progress)

    def rows(self) -> list[tuple[Status, int]]:
        return [(s, self.by_status.get(s, 0)) for s in ORDER]


def count(evaluations: Iterable[Evaluation]) -> StatusCounts:
    return StatusCounts(dict(Counter(e.status for e in evaluations)))
