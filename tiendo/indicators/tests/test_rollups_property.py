"""Rollups against a plain-Python reference, on random trees, reorganisations and values.

The reference below is written from the rules in the docstring of
``tiendo.indicators.rollups`` and reads only stored facts (unit versions and their
parents, reorganisation links, data values); it never calls the rollup code. Each
example builds its own tree inside a transaction that is rolled back, so examples
do not see each other's rows.

The rules, as the reference reads them:

* a row counts whole for a subject when the row's unit stood inside the subject's
  subtree at the time of the row: on the row's first day, or on the unit's first day
  when the unit began during the row's period;
* otherwise, if the row's unit had ended by the subject's reference day, it counts
  through lineage: the sum of the (chained) shares the row's unit passed to the units
  inside the subject's subtree on that reference day
  (the period's last day, or the subject's nearest day of existence);
* per unit, a flow sums its rows, a stock takes its row of the latest period that has
  any row for the subject (a unit without one drops out);
* over units: sum, share-weighted average, weighted average by the weight
  indicator (its value per unit times the unit's share), ratio of the sums of
  numerator and denominator (times 100 for a percentage; the ratio indicator's own
  figure when a part is missing or the denominator is zero), min, max and count of
  units meeting the threshold over the units counted whole, or the subject's own
  figure;
* only current rows of the indicator's frequency count, approved ones (plus
  submitted ones on request), and with ``as_of`` only periods begun by then.

The reference computes in exact decimals; figures must agree within 1e-9 (SQLite
sums in binary floating point). ``TIENDO_PROPERTY_EXAMPLES`` sets the number of
examples (100 by default, about 20 s on SQLite). The disagreements the property
found are kept at the end as plain examples.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.indicators import rollups, services
from tiendo.indicators.models import DataValue, Indicator
from tiendo.lib import periods
from tiendo.lib.periods import Period, PeriodKind
from tiendo.orgs import services as orgs
from tiendo.orgs.models import OrgUnit, ReorgLink, UnitKind, UnitVersion

Agg = Indicator.UnitAggregation
Time = Indicator.TimeAggregation
State = DataValue.State

FOUNDED = dt.date(2020, 1, 1)
YEARS = (2023, 2024)
# Reorganisation days: starts of quarters and months, and days inside a month.
EVENT_DAYS = [dt.date(2023, 7, 1), dt.date(2023, 8, 15), dt.date(2024, 1, 1), dt.date(2024, 4, 1), dt.date(2024, 5, 20)]
AS_OF_DAYS = [dt.date(2023, 3, 31), dt.date(2023, 8, 1), dt.date(2024, 2, 10), dt.date(2024, 9, 30)]
ONE = Decimal(1)
SIX_PLACES = Decimal("0.000001")
EXAMPLES = int(os.environ.get("TIENDO_PROPERTY_EXAMPLES", "100"))

PERIODS_OF = {
    PeriodKind.MONTH: [periods.month(y, m) for y in YEARS for m in range(1, 13)],
    PeriodKind.QUARTER: [periods.quarter(y, q) for y in YEARS for q in range(1, 5)],
    PeriodKind.YEAR: [periods.year(y) for y in YEARS],
}
QUERY_PERIODS = (
    PERIODS_OF[PeriodKind.YEAR] * 8
    + PERIODS_OF[PeriodKind.QUARTER]
    + [periods.month(2023, 7), periods.month(2023, 8), periods.month(2024, 1), periods.month(2024, 5)]
)


# --- Building a random world through the services -----------------------------------------


@dataclass
class Ward:
    unit: OrgUnit
    parent: OrgUnit
    valid_from: dt.date
    valid_to: dt.date | None = None
    groups: list[OrgUnit] = field(default_factory=list)

    def alive_before(self, day: dt.date) -> bool:
        """Exists on ``day`` and began before it (a unit cannot end on its first day)."""
        return self.valid_from < day and (self.valid_to is None or day < self.valid_to)


@dataclass
class World:
    city: OrgUnit
    districts: list[OrgUnit]
    wards: list[Ward]
    groups: list[OrgUnit]
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def units(self) -> list[OrgUnit]:
        return [self.city, *self.districts, *(w.unit for w in self.wards), *self.groups]


def _unit(kind: str, name: str, parent: OrgUnit | None) -> OrgUnit:
    return orgs.create_unit(None, kind=kind, name=name, parent=parent, valid_from=FOUNDED)


def build_tree(draw) -> World:
    city = _unit(UnitKind.CITY, "Thành phố", None)
    districts, wards, groups = [], [], []
    for d in range(draw(st.integers(1, 2), label="districts")):
        district = _unit(UnitKind.DISTRICT, f"Quận {d}", city)
        districts.append(district)
        for w in range(draw(st.integers(2, 5), label="wards")):
            ward = Ward(_unit(UnitKind.WARD, f"Phường {d}.{w}", district), district, FOUNDED)
            for g in range(draw(st.integers(0, 2), label="groups")):
                group = _unit(UnitKind.RESIDENTIAL_GROUP, f"TDP {d}.{w}.{g}", ward.unit)
                ward.groups.append(group)
                groups.append(group)
            wards.append(ward)
    return World(city, districts, wards, groups)


def _percent_split(draw, parts: int) -> list[int]:
    """``parts`` positive whole percentages adding up to 100, or to less (a part lost)."""
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=parts - 1, max_size=parts - 1, unique=True)))
    bounds = [0, *cuts, 100]
    shares = [b - a for a, b in itertools.pairwise(bounds)]
    if draw(st.integers(0, 3), label="part lost") == 0:
        shares[-1] = max(1, shares[-1] // 2)
    return shares


def reorganise(draw, world: World) -> None:
    """Zero to two merges or splits of wards, on increasing days."""
    days = sorted(draw(st.lists(st.sampled_from(EVENT_DAYS), max_size=2, unique=True), label="event days"))
    for number, day in enumerate(days):
        live = [w for w in world.wards if w.alive_before(day)]
        parents = [world.city, *world.districts]
        kind = draw(st.sampled_from(["merge", "split"]), label="event")
        if kind == "merge" and len(live) >= 3:
            chosen = draw(st.lists(st.sampled_from(live), min_size=2, max_size=3, unique_by=lambda w: w.unit.pk))
            others = [w for w in live if w not in chosen]
            into_ward: Ward | None = None
            if others and draw(st.booleans(), label="into existing"):
                into_ward = draw(st.sampled_from(others))
                into: OrgUnit | orgs.NewUnit = into_ward.unit
            else:
                into = orgs.NewUnit(UnitKind.WARD, f"Phường hợp nhất {number}", draw(st.sampled_from(parents)))
            moves = [(g, into) for w in chosen for g in w.groups]
            orgs.merge_units(None, [w.unit for w in chosen], date=day, into=into, child_moves=moves)
            target = into_ward or Ward(into.created, into.parent, day)  # type: ignore[union-attr, arg-type]
            if into_ward is None:
                world.wards.append(target)
            for w in chosen:
                w.valid_to = day
                target.groups.extend(w.groups)
                w.groups = []
        else:
            source = draw(st.sampled_from(live), label="split ward")
            count = draw(st.integers(2, 3), label="parts")
            existing = [w for w in live if w is not source]
            successors: list[Ward | orgs.NewUnit] = []
            home = draw(st.sampled_from(parents), label="new wards under")
            for part in range(count):
                free = [w for w in existing if w not in successors]
                if free and draw(st.booleans(), label="to existing"):
                    successors.append(draw(st.sampled_from(free)))
                else:
                    parent = draw(st.sampled_from([home, home, *parents]), label="new ward under")
                    successors.append(orgs.NewUnit(UnitKind.WARD, f"Phường tách {number}.{part}", parent))
            basis = draw(st.sampled_from(["share", "population", "unknown", "partial"]), label="share basis")
            percents = _percent_split(draw, count)
            transfers = []
            for index, successor in enumerate(successors):
                target = successor.unit if isinstance(successor, Ward) else successor
                transfer = orgs.Transfer(source.unit, target)
                if basis == "share":
                    transfer.share = Decimal(percents[index]) / 100
                elif basis == "population" or (basis == "partial" and index):
                    transfer.population = draw(st.integers(1, 9000), label="population")
                transfers.append(transfer)
            homes = [t.successor for t in transfers]
            moves = [(g, draw(st.sampled_from(homes), label="group goes to")) for g in source.groups]
            orgs.split_unit(None, source.unit, date=day, parts=transfers, child_moves=moves)
            source.valid_to = day
            wards_of = {id(t.successor): w for t, w in zip(transfers, successors, strict=True) if isinstance(w, Ward)}
            for successor in successors:
                if isinstance(successor, orgs.NewUnit):
                    ward = Ward(successor.created, successor.parent, day)  # type: ignore[arg-type]
                    world.wards.append(ward)
                    wards_of[id(successor)] = ward
            for group, home in moves:
                wards_of[id(home)].groups.append(group)
            source.groups = []


def _indicator(draw, world: World, code: str, aggregations: list[str], **fields) -> Indicator:
    aggregation = draw(st.sampled_from(aggregations), label=f"{code} aggregation")
    fields.setdefault("time_aggregation", draw(st.sampled_from([Time.FLOW, Time.STOCK]), label=f"{code} time"))
    fields.setdefault(
        "frequency",
        draw(st.sampled_from([PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]), label=f"{code} frequency").value,
    )
    if aggregation == Agg.RATIO_OF_SUMS:
        fields["numerator"] = _indicator(draw, world, f"{code}_TU", SIMPLE)
        fields["denominator"] = _indicator(draw, world, f"{code}_MAU", SIMPLE)
        fields["value_type"] = draw(st.sampled_from([Indicator.ValueType.PERCENT, Indicator.ValueType.RATIO]))
    elif aggregation == Agg.WEIGHTED_AVERAGE:
        fields["weight"] = _indicator(draw, world, f"{code}_TS", SIMPLE)
    elif aggregation == Agg.COUNT_MEETING:
        fields["threshold"] = Decimal(draw(st.integers(0, 400), label="threshold")) / 2
        fields["threshold_comparison"] = draw(st.sampled_from([Indicator.Comparison.AT_LEAST, Indicator.Comparison.AT_MOST]))
    indicator = Indicator.objects.create(code=code, name=code, unit_aggregation=aggregation, **fields)
    world.indicators.append(indicator)
    return indicator


SIMPLE = [Agg.SUM, Agg.AVERAGE, Agg.MIN, Agg.MAX, Agg.COUNT_MEETING, Agg.NONE]
ALL = [*SIMPLE, Agg.WEIGHTED_AVERAGE, Agg.RATIO_OF_SUMS]


def fill_values(draw, world: World) -> None:
    """Figures at one level per indicator (wards, groups, or anywhere), over a few periods.

    Values are in tenths from 0 to 100: not exact in binary, so SQLite's floating-point
    sums are put to the test, and sums land on the thresholds (multiples of 0.5).
    """
    # A seeded generator rather than one draw per figure: the examples stay dense, and
    # the tree, reorganisations and indicators still shrink.
    rnd = random.Random(draw(st.integers(0, 2**32 - 1), label="seed of the figures"))
    spans = {u.pk: (u.valid_from, u.valid_to) for u in OrgUnit.objects.filter(pk__in=[u.pk for u in world.units])}
    # A denominator and a weighted indicator mostly come from the units that report
    # the numerator and the weight.
    partner = {i.denominator_id: i.numerator_id for i in world.indicators if i.denominator_id}
    partner.update({i.pk: i.weight_id for i in world.indicators if i.weight_id})
    reporters_of: dict[int, list[OrgUnit]] = {}
    for indicator in world.indicators:
        level = draw(st.sampled_from(["wards", "wards", "groups", "anywhere"]), label=f"{indicator.code} level")
        pool = {
            "wards": [w.unit for w in world.wards],
            "groups": world.groups or [w.unit for w in world.wards],
            "anywhere": world.units,
        }[level]
        reporters = rnd.sample(pool, k=min(len(pool), rnd.randint(1, 6)))
        if partner.get(indicator.pk) in reporters_of and rnd.random() < 0.8:
            reporters = reporters_of[partner[indicator.pk]]
        reporters_of[indicator.pk] = reporters
        choices = PERIODS_OF[PeriodKind(indicator.frequency)]
        if len(choices) > 8:  # monthly: a window of six to twelve months
            first = rnd.randrange(len(choices) - 6)
            choices = choices[first : first + rnd.randint(6, 12)]
        density = rnd.choice([0.3, 0.6, 0.9])
        for unit in reporters:
            start, end = spans[unit.pk]
            for period in choices:
                exists = start < period.end and (end is None or end > period.start)
                if rnd.random() > density or (not exists and rnd.random() < 0.8):
                    continue
                state = rnd.choice([State.APPROVED] * 6 + [State.SUBMITTED] * 2 + [State.DRAFT])
                for _attempt in range(2 if rnd.random() < 0.1 else 1):  # sometimes corrected
                    try:
                        services.record_value(
                            None,
                            indicator=indicator,
                            unit=unit,
                            period=period,
                            value=Decimal(rnd.randint(0, 1000)) / 10,
                            state=state,
                            reason="sửa số liệu",
                        )
                    except ValidationError:
                        break  # the unit did not exist then, or another level holds the figure


# --- The reference ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    unit: int
    kind: str
    start: dt.date
    end: dt.date
    value: Decimal
    state: str


class Facts:
    """What is stored, read plainly: versions with parents, link shares, current rows."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.versions: dict[int, list[tuple[dt.date, dt.date | None, int | None]]] = defaultdict(list)
        for unit_id, start, end, parent in UnitVersion.objects.values_list("unit_id", "valid_from", "valid_to", "parent_id"):
            self.versions[unit_id].append((start, end, parent))
        self.spans = {pk: (start, end) for pk, start, end in OrgUnit.objects.values_list("pk", "valid_from", "valid_to")}
        edges: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for predecessor, successor, share in ReorgLink.objects.exclude(share=None).values_list(
            "predecessor_id", "successor_id", "share"
        ):
            edges[predecessor].append((successor, Decimal(share)))
        # Every chain of links, the product of its shares, summed per (first, last) unit.
        self.lineage: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

        def walk(origin: int, node: int, share: Decimal) -> None:
            for successor, step in edges.get(node, []):
                if share * step:
                    self.lineage[origin][successor] += share * step
                    walk(origin, successor, share * step)

        for origin in list(edges):
            walk(origin, origin, ONE)
        for successors in self.lineage.values():  # UnitLineage keeps six decimals
            for successor, share in successors.items():
                successors[successor] = share.quantize(SIX_PLACES)
        self.rows: dict[int, list[Row]] = defaultdict(list)
        for indicator_id, unit, kind, start, end, value, state in DataValue.objects.filter(
            indicator__in=indicators, is_current=True
        ).values_list("indicator_id", "unit_id", "period_kind", "period_start", "period_end", "value", "state"):
            self.rows[indicator_id].append(Row(unit, kind, start, end, Decimal(value), state))

    def ancestry(self, unit: int, day: dt.date) -> set[int]:
        """The unit and all units above it on ``day`` (empty if it does not exist then)."""
        chain: set[int] = set()
        current: int | None = unit
        while current is not None:
            version = next((v for v in self.versions[current] if v[0] <= day and (v[1] is None or day < v[1])), None)
            if version is None:
                assert not chain, "a parent ends before its child"
                return chain
            chain.add(current)
            current = version[2]
        return chain

    def reference_day(self, subject: int, period: Period) -> dt.date:
        start, end = self.spans[subject]
        day = period.last_day
        if day < start:
            return start
        if end is not None and day >= end:
            return end - dt.timedelta(days=1)
        return day


@dataclass(frozen=True)
class UnitFigure:
    share: Decimal
    raw: Decimal

    @property
    def weighted(self) -> Decimal:
        return self.raw * self.share


def unit_figures(
    facts: Facts, indicator: Indicator, subject: int, period: Period, states: set[str], as_of: dt.date | None
) -> dict[int, UnitFigure]:
    """Per unit counted for the subject: its share and its value over the period."""
    rows = [
        r
        for r in facts.rows[indicator.pk]
        if r.state in states
        and r.kind == indicator.frequency
        and period.start <= r.start
        and r.end <= period.end
        and (as_of is None or r.start <= as_of)
    ]
    reference_day = facts.reference_day(subject, period)
    counted: list[tuple[Row, Decimal]] = []
    for row in rows:
        row_day = max(row.start, facts.spans[row.unit][0])
        if subject in facts.ancestry(row.unit, row_day):
            counted.append((row, ONE))
            continue
        ended = facts.spans[row.unit][1]
        share = sum(
            (
                s
                for successor, s in facts.lineage.get(row.unit, {}).items()
                if ended is not None and ended <= reference_day and subject in facts.ancestry(successor, reference_day)
            ),
            Decimal(0),
        )
        if share:
            counted.append((row, share))
    if not counted:
        return {}
    latest = max(row.start for row, _ in counted)
    by_unit: dict[int, list[tuple[Row, Decimal]]] = defaultdict(list)
    for row, share in counted:
        by_unit[row.unit].append((row, share))
    figures = {}
    for unit, items in by_unit.items():
        shares = {share for _, share in items}
        assert len(shares) == 1, "the generated worlds never count one unit both whole and by share"
        if indicator.time_aggregation == Time.STOCK:
            items = [(row, share) for row, share in items if row.start == latest]
            if not items:
                continue
        figures[unit] = UnitFigure(shares.pop(), sum((row.value for row, _ in items), Decimal(0)))
    return figures


def reference(
    facts: Facts, indicator: Indicator, subject: int, period: Period, states: set[str], as_of: dt.date | None
) -> tuple[Decimal | None, int | None]:
    """The expected (value, units meeting the threshold) from the documented rules."""
    figures = unit_figures(facts, indicator, subject, period, states, as_of)
    kind = indicator.unit_aggregation
    if kind == Agg.RATIO_OF_SUMS:
        numerator = unit_figures(facts, indicator.numerator, subject, period, states, as_of)
        denominator = unit_figures(facts, indicator.denominator, subject, period, states, as_of)
        below = sum((f.weighted for f in denominator.values()), Decimal(0))
        if numerator and denominator and below:
            ratio = sum((f.weighted for f in numerator.values()), Decimal(0)) / below
            return (ratio * 100 if indicator.value_type == Indicator.ValueType.PERCENT else ratio), None
        return (figures[subject].raw if subject in figures else None), None
    if not figures:
        return None, None
    whole = [f.raw for f in figures.values() if f.share == ONE]
    if kind == Agg.SUM:
        return sum((f.weighted for f in figures.values()), Decimal(0)), None
    if kind == Agg.AVERAGE:
        return sum((f.weighted for f in figures.values()), Decimal(0)) / sum(f.share for f in figures.values()), None
    if kind == Agg.WEIGHTED_AVERAGE:
        weights = unit_figures(facts, indicator.weight, subject, period, states, as_of)
        pairs = [(f.raw, weights[unit].weighted) for unit, f in figures.items() if unit in weights]
        total_weight = sum((w for _, w in pairs), Decimal(0))
        return (sum(v * w for v, w in pairs) / total_weight if total_weight else None), None
    if kind == Agg.MIN:
        return (min(whole) if whole else None), None
    if kind == Agg.MAX:
        return (max(whole) if whole else None), None
    if kind == Agg.COUNT_MEETING:
        if indicator.threshold_comparison == Indicator.Comparison.AT_LEAST:
            meeting = sum(1 for v in whole if v >= indicator.threshold)
        else:
            meeting = sum(1 for v in whole if v <= indicator.threshold)
        return Decimal(meeting), meeting
    return (figures[subject].raw if subject in figures else None), None


def close(expected: Decimal | None, actual: Decimal | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    # SQLite sums in binary floating point; PostgreSQL's numeric and the reference are exact.
    return abs(expected - actual) <= Decimal("1e-9") + Decimal("1e-9") * max(abs(expected), abs(actual))


# --- The property -------------------------------------------------------------------------


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_rollups_follow_the_documented_rules(data):
    with transaction.atomic():
        world = build_tree(data.draw)
        reorganise(data.draw, world)
        for number in range(data.draw(st.integers(1, 3), label="indicators")):
            _indicator(data.draw, world, f"CT{number}", ALL)
        fill_values(data.draw, world)

        # Every unit is a subject (old, new and ended ones): building the world is what
        # costs, asking it more is cheap.
        subjects = world.units
        chosen_periods = data.draw(st.lists(st.sampled_from(QUERY_PERIODS), min_size=1, max_size=5, unique=True))
        include_submitted = data.draw(st.booleans(), label="include submitted")
        as_of = data.draw(st.sampled_from([None, None, None, *AS_OF_DAYS]), label="as of")

        table = rollups.table(
            world.indicators, subjects, chosen_periods, include_submitted=include_submitted, as_of=as_of
        )
        facts = Facts(world.indicators)
        states = {State.APPROVED, State.SUBMITTED} if include_submitted else {State.APPROVED}
        with localcontext() as context:
            context.prec = 40
            for indicator in world.indicators:
                for subject in subjects:
                    for period in chosen_periods:
                        expected, meeting = reference(facts, indicator, subject.pk, period, states, as_of)
                        figure = table[(indicator.pk, subject.pk, period)]
                        where = (
                            f"{indicator.code} ({indicator.unit_aggregation}, {indicator.time_aggregation}, "
                            f"{indicator.frequency}) for unit {subject.pk} ({subject.kind}) in {period.code}"
                        )
                        assert close(expected, figure.value), f"{where}: expected {expected}, rollup {figure.value}"
                        if meeting is not None:
                            assert figure.units_meeting == meeting, where
        transaction.set_rollback(True)


# --- The disagreements the property found, kept as plain examples ---------------------------


@pytest.fixture
def two_districts(db):
    city = _unit(UnitKind.CITY, "Thành phố", None)
    return city, _unit(UnitKind.DISTRICT, "Quận 1", city), _unit(UnitKind.DISTRICT, "Quận 2", city)


def _approve(indicator: Indicator, unit: OrgUnit, period: Period, value: str) -> None:
    services.record_value(None, indicator=indicator, unit=unit, period=period, value=value, state=State.APPROVED)


def test_a_ward_founded_mid_year_counts_its_yearly_figure(two_districts):
    """It has no version on 1 January; its first day places it in the tree."""
    city, district, _other = two_districts
    old = _unit(UnitKind.WARD, "Phường cũ", district)
    new = orgs.NewUnit(UnitKind.WARD, "Phường mới", district)
    orgs.merge_units(None, [old], date=dt.date(2023, 7, 1), into=new)
    planted = Indicator.objects.create(code="CAY", name="Cây", frequency=PeriodKind.YEAR.value)
    _approve(planted, new.created, periods.year(2023), "40")
    for unit in (new.created, district, city):
        assert rollups.value(planted, unit, periods.year(2023)).value == Decimal(40)


def test_shares_adding_up_to_one_count_the_unit_whole_on_every_database(two_districts):
    """Split 70/20/10 into three wards of another district: that district holds all of it."""
    _city, first, second = two_districts
    old = _unit(UnitKind.WARD, "Phường cũ", first)
    parts = [orgs.NewUnit(UnitKind.WARD, f"Phường {n}", second) for n in range(3)]
    shares = ["0.7", "0.2", "0.1"]
    orgs.split_unit(
        None,
        old,
        date=dt.date(2023, 7, 1),
        parts=[orgs.Transfer(old, part, share=Decimal(s)) for part, s in zip(parts, shares, strict=True)],
    )
    highest = Indicator.objects.create(code="MAX", name="Cao nhất", unit_aggregation=Agg.MAX, frequency="quarter")
    _approve(highest, old, periods.quarter(2023, 1), "5")
    assert rollups.value(highest, second, periods.year(2023)).value == Decimal(5)


def test_a_sum_landing_on_the_threshold_meets_it_on_every_database(two_districts):
    """0.1 + 0.2 is 0.3, not 0.30000000000000004."""
    city, district, _other = two_districts
    ward = _unit(UnitKind.WARD, "Phường", district)
    counted = Indicator.objects.create(
        code="DAT",
        name="Đạt",
        unit_aggregation=Agg.COUNT_MEETING,
        frequency="quarter",
        threshold=Decimal("0.3"),
        threshold_comparison=Indicator.Comparison.AT_MOST,
    )
    _approve(counted, ward, periods.quarter(2023, 1), "0.1")
    _approve(counted, ward, periods.quarter(2023, 2), "0.2")
    assert rollups.value(counted, city, periods.year(2023)).units_meeting == 1
