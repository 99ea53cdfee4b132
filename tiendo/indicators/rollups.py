"""Rollups: an indicator's value for a unit's subtree and a period, computed in SQL.

One query answers a whole table (indicators × units × periods). The rules it follows:

* A row counts for a unit (the *subject*) when the row's own unit stood inside the
  subject's subtree at the time of the row (its version on the row's first day, or
  on its own first day when the unit began during the row's period); so an old
  ward's figures count for the old district and for the city, and a ward founded
  in July counts its figure for the year.
* A row of a unit that is not in the subtree counts through ``UnitLineage`` when the
  unit had ended by the subject's reference day and passed (a share of) itself to a
  unit that is in the subject's subtree on that day (the last day of the period, or the subject's nearest
  day of existence): the new Phúc Lợi's 2022 figure is old Phúc Lợi's, plus 73% of
  Sài Đồng's.
* Over time, per unit, a *flow* sums its periods; a *stock* takes the figures of the
  latest period that has any figure for the subject.
* Over units: sum, average (weighted by share), weighted average by another
  indicator, ratio of the sums of a numerator and a denominator indicator, min and
  max and the count of units meeting a threshold (over the units counted whole), or
  *none* (only the subject's own figure).
* Only current rows of the indicator's reporting frequency count; approved ones by
  default, submitted ones too on request; with ``as_of`` only periods begun by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from tiendo.indicators.models import DataValue, Indicator
from tiendo.lib.periods import Period
from tiendo.orgs.models import OrgUnit, UnitLineage, UnitVersion, path_upper_bound

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figure:
    """An indicator's rolled-up value for one subject and one period."""

    value: Decimal | None
    units_reporting: int = 0
    units_meeting: int | None = None
    covers_until: dt.date | None = None

    @property
    def has_value(self) -> bool:
        return self.value is not None


EMPTY = Figure(None)


@dataclass(frozen=True)
class _Aggregate:
    total: Decimal | None
    share_total: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    units: int
    meeting: int
    weighted_total: Decimal | None
    weight_total: Decimal | None
    own: Decimal | None
    covers_until: dt.date | None


def _dec(value: object) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value))


def _minimal_prefixes(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _reference_version(versions: list[UnitVersion], day: dt.date) -> UnitVersion:
    """The subject's version on ``day``, or on its nearest day of existence."""
    for version in versions:
        if version.contains(day):
            return version
    before = [v for v in versions if v.valid_from <= day]
    return before[-1] if before else versions[0]


def _needed(indicators: Sequence[Indicator]) -> dict[int, Indicator]:
    """The requested indicators and those they are computed from."""
    needed = {i.pk: i for i in indicators}
    extra_ids = {
        part_id
        for i in indicators
        for part_id in (i.numerator_id, i.denominator_id, i.weight_id)
        if part_id and part_id not in needed
    }
    if extra_ids:
        needed.update({i.pk: i for i in Indicator.objects.filter(pk__in=extra_ids)})
    return needed


def _values(rows: list[tuple], columns: int) -> tuple[str, list[Any]]:
    placeholders = ", ".join("(" + ", ".join(["%s"] * columns) + ")" for _ in rows)
    return placeholders, [item for row in rows for item in row]


def _query(
    indicator_ids: list[int],
    subjects: Sequence[OrgUnit],
    period_list: Sequence[Period],
    states: list[str],
    as_of: dt.date | None,
) -> dict[tuple[int, int, int], _Aggregate]:
    versions: dict[int, list[UnitVersion]] = {}
    for version in UnitVersion.objects.filter(unit__in=subjects).order_by("valid_from"):
        versions.setdefault(version.unit_id, []).append(version)

    subject_paths = [
        (unit_id, path, path_upper_bound(path))
        for unit_id, unit_versions in versions.items()
        for path in _minimal_prefixes(v.path for v in unit_versions)
    ]
    subject_refs = []
    for unit_id, unit_versions in versions.items():
        for index, period in enumerate(period_list):
            ref = _reference_version(unit_versions, period.last_day)
            day = min(max(period.last_day, ref.valid_from), (ref.valid_to or dt.date.max) - dt.timedelta(days=1))
            subject_refs.append((unit_id, index, day, ref.path, path_upper_bound(ref.path)))
    period_rows = [(index, p.start, p.end) for index, p in enumerate(period_list)]
    if not subject_paths or not period_rows or not indicator_ids:
        return {}

    paths_sql, paths_params = _values(subject_paths, 3)
    refs_sql, refs_params = _values(subject_refs, 5)
    periods_sql, periods_params = _values(period_rows, 3)
    dv = DataValue._meta.db_table
    uv = UnitVersion._meta.db_table
    ou = OrgUnit._meta.db_table
    lineage = UnitLineage._meta.db_table
    ind = Indicator._meta.db_table
    id_marks = ", ".join(["%s"] * len(indicator_ids))
    state_marks = ", ".join(["%s"] * len(states))
    as_of_sql = "AND dv.period_start <= %s" if as_of else ""

    sql = f"""
    WITH subj_paths(subject_id, lo, hi) AS (VALUES {paths_sql}),
    subj_ref(subject_id, pidx, ref, lo, hi) AS (VALUES {refs_sql}),
    per(pidx, pstart, pend) AS (VALUES {periods_sql}),
    rows_in AS (
        SELECT dv.id, dv.indicator_id, dv.unit_id, dv.period_start, dv.value, dv.covers_until, per.pidx,
            CASE WHEN u.valid_from > dv.period_start THEN u.valid_from ELSE dv.period_start END AS day
        FROM {dv} dv
        JOIN {ind} i ON i.id = dv.indicator_id
        JOIN per ON dv.period_start >= per.pstart AND dv.period_end <= per.pend
        JOIN {ou} u ON u.id = dv.unit_id
        WHERE dv.indicator_id IN ({id_marks}) AND dv.is_current = %s AND dv.state IN ({state_marks})
          AND dv.period_kind = i.frequency {as_of_sql}
    ),
    direct AS (
        SELECT DISTINCT r.id, sp.subject_id
        FROM rows_in r
        JOIN {uv} v ON v.unit_id = r.unit_id AND v.valid_from <= r.day AND (v.valid_to IS NULL OR v.valid_to > r.day)
        JOIN subj_paths sp ON v.path >= sp.lo AND v.path < sp.hi
    ),
    lin AS (
        SELECT DISTINCT l.predecessor_id, l.successor_id, l.share, sr.subject_id, sr.pidx
        FROM {lineage} l
        JOIN {ou} pu ON pu.id = l.predecessor_id AND pu.valid_to IS NOT NULL
        JOIN {uv} sv ON sv.unit_id = l.successor_id
        JOIN subj_ref sr ON sv.path >= sr.lo AND sv.path < sr.hi AND sv.valid_from <= sr.ref
             AND (sv.valid_to IS NULL OR sv.valid_to > sr.ref) AND pu.valid_to <= sr.ref
    ),
    lin_sum AS (
        -- Shares and values are stored with six decimals, so their sums are exact in
        -- PostgreSQL; SQLite adds in binary floating point, where 0.7 + 0.2 + 0.1 falls
        -- short of 1 (the unit would not count whole) and 0.1 + 0.2 exceeds a threshold
        -- of 0.3. Rounding the sums back to six decimals gives both databases one answer.
        SELECT predecessor_id, subject_id, pidx, ROUND(SUM(share), 6) AS share
        FROM lin GROUP BY predecessor_id, subject_id, pidx
    ),
    contrib AS (
        SELECT r.indicator_id, r.pidx, d.subject_id, r.unit_id, r.period_start, r.value, r.covers_until, 1 AS share
        FROM rows_in r JOIN direct d ON d.id = r.id
        UNION ALL
        SELECT r.indicator_id, r.pidx, ls.subject_id, r.unit_id, r.period_start, r.value, r.covers_until, ls.share
        FROM rows_in r JOIN lin_sum ls ON ls.predecessor_id = r.unit_id AND ls.pidx = r.pidx
        -- Counted directly already? Asked of the (small, indexed) version table rather
        -- than of the ``direct`` rows, whose size the planner cannot estimate.
        WHERE NOT EXISTS (
            SELECT 1 FROM {uv} v JOIN subj_paths sp ON sp.subject_id = ls.subject_id
                AND v.path >= sp.lo AND v.path < sp.hi
            WHERE v.unit_id = r.unit_id AND v.valid_from <= r.day AND (v.valid_to IS NULL OR v.valid_to > r.day)
        )
    ),
    latest AS (
        SELECT indicator_id, pidx, subject_id, MAX(period_start) AS last_start
        FROM contrib GROUP BY indicator_id, pidx, subject_id
    ),
    unit_vals AS (
        SELECT c.indicator_id, c.pidx, c.subject_id, c.unit_id, MAX(c.share) AS share,
            CASE WHEN i.time_aggregation = 'stock'
                 THEN SUM(CASE WHEN c.period_start = lt.last_start THEN c.value * c.share END)
                 ELSE SUM(c.value * c.share) END AS weighted,
            ROUND(CASE WHEN i.time_aggregation = 'stock'
                 THEN SUM(CASE WHEN c.period_start = lt.last_start THEN c.value END)
                 ELSE SUM(c.value) END, 6) AS raw,
            MAX(c.covers_until) AS covers_until
        FROM contrib c
        JOIN latest lt ON lt.indicator_id = c.indicator_id AND lt.pidx = c.pidx AND lt.subject_id = c.subject_id
        JOIN {ind} i ON i.id = c.indicator_id
        GROUP BY c.indicator_id, c.pidx, c.subject_id, c.unit_id, i.time_aggregation
    )
    SELECT u.indicator_id, u.pidx, u.subject_id,
        SUM(u.weighted),
        SUM(u.share),
        MIN(CASE WHEN u.share = 1 THEN u.raw END),
        MAX(CASE WHEN u.share = 1 THEN u.raw END),
        SUM(CASE WHEN u.share = 1 THEN 1 ELSE 0 END),
        SUM(CASE WHEN u.share = 1 AND ((i.threshold_comparison = 'gte' AND u.raw >= i.threshold)
                                    OR (i.threshold_comparison = 'lte' AND u.raw <= i.threshold)) THEN 1 ELSE 0 END),
        SUM(u.raw * w.weighted),
        SUM(w.weighted),
        SUM(CASE WHEN u.unit_id = u.subject_id THEN u.raw END),
        MAX(u.covers_until)
    FROM unit_vals u
    JOIN {ind} i ON i.id = u.indicator_id
    LEFT JOIN unit_vals w ON w.indicator_id = i.weight_id AND w.pidx = u.pidx
         AND w.subject_id = u.subject_id AND w.unit_id = u.unit_id
    WHERE u.raw IS NOT NULL
    GROUP BY u.indicator_id, u.pidx, u.subject_id
    """  # noqa: S608 - table names come from model metadata; every value is a parameter
    params: list[Any] = [
        *paths_params,
        *refs_params,
        *periods_params,
        *indicator_ids,
        True,
        *states,
        *([as_of] if as_of else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        (row[0], row[2], row[1]): _Aggregate(
            total=_dec(row[3]),
            share_total=_dec(row[4]),
            minimum=_dec(row[5]),
            maximum=_dec(row[6]),
            units=int(row[7] or 0),
            meeting=int(row[8] or 0),
            weighted_total=_dec(row[9]),
            weight_total=_dec(row[10]),
            own=_dec(row[11]),
            covers_until=_date(row[12]),
        )
        for row in rows
    }


def _figure(indicator: Indicator, key: tuple[int, int], aggregates: dict, index: int) -> Figure:
    subject_id, pidx = key
    agg: _Aggregate | None = aggregates.get((indicator.pk, subject_id, pidx))
    kind = indicator.unit_aggregation
    if kind == Indicator.UnitAggregation.RATIO_OF_SUMS:
        numerator = aggregates.get((indicator.numerator_id, subject_id, pidx))
        denominator = aggregates.get((indicator.denominator_id, subject_id, pidx))
        if numerator and denominator and numerator.total is not None and denominator.total:
            ratio = numerator.total / denominator.total
            if indicator.value_type == Indicator.ValueType.PERCENT:
                ratio *= HUNDRED
            covers = min(d for d in (numerator.covers_until, denominator.covers_until) if d)
            return Figure(ratio, min(numerator.units, denominator.units), None, covers)
        # Without parts, a ratio indicator can still carry its own entered figure.
        return Figure(agg.own, agg.units, None, agg.covers_until) if agg and agg.own is not None else EMPTY
    if agg is None:
        return EMPTY
    value: Decimal | None
    meeting = None
    if kind == Indicator.UnitAggregation.SUM:
        value = agg.total
    elif kind == Indicator.UnitAggregation.AVERAGE:
        value = agg.total / agg.share_total if agg.total is not None and agg.share_total else None
    elif kind == Indicator.UnitAggregation.WEIGHTED_AVERAGE:
        value = agg.weighted_total / agg.weight_total if agg.weighted_total is not None and agg.weight_total else None
    elif kind == Indicator.UnitAggregation.MIN:
        value = agg.minimum
    elif kind == Indicator.UnitAggregation.MAX:
        value = agg.maximum
    elif kind == Indicator.UnitAggregation.COUNT_MEETING:
        value, meeting = Decimal(agg.meeting), agg.meeting
    else:
        value = agg.own
    return Figure(value, agg.units, meeting, agg.covers_until)


def table(
    indicators: Sequence[Indicator],
    units: Sequence[OrgUnit],
    periods: Sequence[Period],
    *,
    include_submitted: bool = False,
    as_of: dt.date | None = None,
) -> dict[tuple[int, int, Period], Figure]:
    """Figures for every (indicator, unit, period), keyed by (indicator id, unit id, period)."""
    needed = _needed(indicators)
    states = [DataValue.State.APPROVED, DataValue.State.SUBMITTED] if include_submitted else [DataValue.State.APPROVED]
    aggregates = _query(sorted(needed), units, periods, [str(s) for s in states], as_of)
    return {
        (indicator.pk, unit.pk, period): _figure(indicator, (unit.pk, index), aggregates, index)
        for indicator in indicators
        for unit in units
        for index, period in enumerate(periods)
    }


def value(
    indicator: Indicator,
    unit: OrgUnit,
    period: Period,
    *,
    include_submitted: bool = False,
    as_of: dt.date | None = None,
) -> Figure:
    """One indicator's figure for a unit's subtree and a period."""
    return table([indicator], [unit], [period], include_submitted=include_submitted, as_of=as_of)[
        (indicator.pk, unit.pk, period)
    ]
