"""Rollups in SQL: flows sum, ratios are ratios of sums, stocks take the latest,
and figures of reorganised units roll into their successors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiendo.indicators import rollups, services
from tiendo.indicators.models import DataValue, Indicator
from tiendo.lib import periods
from tiendo.testing import SmallTree

Agg = Indicator.UnitAggregation


def make(code: str, **fields) -> Indicator:
    fields.setdefault("frequency", periods.PeriodKind.YEAR.value)
    return Indicator.objects.create(code=code, name=code, **fields)


def put(indicator, unit, period, value, state=DataValue.State.APPROVED, reason=""):
    return services.record_value(
        None, indicator=indicator, unit=unit, period=period, value=value, state=state, reason=reason
    )


Y2022 = periods.year(2022)
Y2024 = periods.year(2024)
Y2025 = periods.year(2025)
Y2026 = periods.year(2026)


@pytest.fixture
def trees(tree: SmallTree) -> SmallTree:
    return tree


def test_flows_of_the_wards_sum_to_the_district(trees):
    planted = make("CAY", unit_aggregation=Agg.SUM)
    put(planted, trees.ward_a1, Y2022, 300)
    put(planted, trees.ward_a2, Y2022, 530)
    assert rollups.value(planted, trees.district, Y2022).value == Decimal(830)
    assert rollups.value(planted, trees.ward_a1, Y2022).value == Decimal(300)
    assert rollups.value(planted, trees.city, Y2022).value == Decimal(830)


def test_monthly_flows_roll_up_to_quarter_and_year(trees):
    monthly = make("LOP", unit_aggregation=Agg.SUM, frequency="month")
    for number in range(1, 13):
        put(monthly, trees.ward_a1, periods.month(2022, number), number)
    assert rollups.value(monthly, trees.ward_a1, periods.quarter(2022, 2)).value == Decimal(4 + 5 + 6)
    assert rollups.value(monthly, trees.district, Y2022).value == Decimal(78)


def test_stocks_take_the_latest_period(trees):
    members = make("HOI_VIEN", unit_aggregation=Agg.SUM, time_aggregation="stock", frequency="quarter")
    put(members, trees.ward_a1, periods.quarter(2022, 1), 100)
    put(members, trees.ward_a1, periods.quarter(2022, 3), 140)
    put(members, trees.ward_a2, periods.quarter(2022, 3), 60)
    assert rollups.value(members, trees.district, Y2022).value == Decimal(200)


def test_ratios_are_ratios_of_sums_not_averages_of_ratios(trees):
    passed = make("HS_DO", unit_aggregation=Agg.SUM)
    sat = make("HS_THI", unit_aggregation=Agg.SUM)
    rate = make("TL_DO", value_type="percent", unit_aggregation=Agg.RATIO_OF_SUMS, numerator=passed, denominator=sat)
    put(passed, trees.ward_a1, Y2022, 90)
    put(sat, trees.ward_a1, Y2022, 100)  # 90%
    put(passed, trees.ward_a2, Y2022, 10)
    put(sat, trees.ward_a2, Y2022, 100)  # 10%
    assert rollups.value(rate, trees.district, Y2022).value == Decimal(50)
    put(sat, trees.ward_a2, Y2022, 300, reason="sửa số thí sinh")  # the average of ratios would be 46,7%
    assert rollups.value(rate, trees.district, Y2022).value.quantize(Decimal("0.01")) == Decimal("25.00")


def test_averages_minimum_maximum_and_units_meeting_a_bar(trees):
    score = make("DIEM", unit_aggregation=Agg.AVERAGE)
    put(score, trees.ward_a1, Y2022, 80)
    put(score, trees.ward_a2, Y2022, 90)
    assert rollups.value(score, trees.district, Y2022).value == Decimal(85)
    for aggregation, expected in ((Agg.MIN, 80), (Agg.MAX, 90)):
        score.unit_aggregation = aggregation
        score.save()
        assert rollups.value(score, trees.district, Y2022).value == Decimal(expected)
    score.unit_aggregation = Agg.COUNT_MEETING
    score.threshold = Decimal(85)
    score.save()
    figure = rollups.value(score, trees.district, Y2022)
    assert (figure.value, figure.units_reporting) == (Decimal(1), 2)


def test_weighted_average_uses_the_weight_indicator(trees):
    households = make("SO_HO", unit_aggregation=Agg.SUM)
    rate = make("TL_GDVH", value_type="percent", unit_aggregation=Agg.WEIGHTED_AVERAGE, weight=households)
    put(households, trees.ward_a1, Y2022, 300)
    put(rate, trees.ward_a1, Y2022, 90)
    put(households, trees.ward_a2, Y2022, 100)
    put(rate, trees.ward_a2, Y2022, 100)
    assert rollups.value(rate, trees.district, Y2022).value == Decimal("92.5")


def test_only_approved_values_count_unless_submitted_ones_are_asked_for(trees):
    count = make("SO", unit_aggregation=Agg.SUM)
    put(count, trees.ward_a1, Y2022, 5)
    put(count, trees.ward_a2, Y2022, 7, state=DataValue.State.SUBMITTED)
    assert rollups.value(count, trees.district, Y2022).value == Decimal(5)
    assert rollups.value(count, trees.district, Y2022, include_submitted=True).value == Decimal(12)


def test_no_data_is_none_not_zero(trees):
    count = make("SO", unit_aggregation=Agg.SUM)
    figure = rollups.value(count, trees.district, Y2022)
    assert figure.value is None and figure.units_reporting == 0


def test_history_of_old_wards_rolls_into_the_new_ward_by_share(trees):
    """A1 passed 75% to Phường Mới and 25% to B; A2 passed everything to Phường Mới."""
    count = make("SO", unit_aggregation=Agg.SUM)
    put(count, trees.ward_a1, Y2024, 400)
    put(count, trees.ward_a2, Y2024, 100)
    assert rollups.value(count, trees.new_ward, Y2024).value == Decimal(400 * 0.75 + 100)
    assert rollups.value(count, trees.ward_b, Y2024).value == Decimal(100)
    # The city counts each old ward once, whole: no double counting through successors.
    assert rollups.value(count, trees.city, Y2024).value == Decimal(500)


def test_a_year_spanning_the_reform_adds_old_and_new_units(trees):
    quarterly = make("SO_Q", unit_aggregation=Agg.SUM, frequency="quarter")
    put(quarterly, trees.ward_a1, periods.quarter(2025, 1), 40)
    put(quarterly, trees.ward_a2, periods.quarter(2025, 2), 10)
    put(quarterly, trees.new_ward, periods.quarter(2025, 3), 7)
    put(quarterly, trees.ward_b, periods.quarter(2025, 4), 3)
    assert rollups.value(quarterly, trees.city, Y2025).value == Decimal(60)
    assert rollups.value(quarterly, trees.new_ward, Y2025).value == Decimal(40 * 0.75 + 10 + 7)
    assert rollups.value(quarterly, trees.district, Y2025).value == Decimal(50)


def test_as_of_leaves_out_periods_not_yet_begun(trees):
    import datetime as dt

    quarterly = make("SO_Q", unit_aggregation=Agg.SUM, frequency="quarter")
    for number in range(1, 5):
        put(quarterly, trees.ward_a1, periods.quarter(2022, number), 10)
    assert rollups.value(quarterly, trees.district, Y2022, as_of=dt.date(2022, 5, 1)).value == Decimal(20)


def test_a_whole_table_is_one_query(trees, django_assert_num_queries):
    indicators = [make(f"I{n}", unit_aggregation=Agg.SUM) for n in range(5)]
    for indicator in indicators:
        put(indicator, trees.ward_a1, Y2022, 1)
        put(indicator, trees.ward_a2, Y2022, 2)
    units = [trees.district, trees.ward_a1, trees.ward_a2]
    with django_assert_num_queries(2):  # the subjects' versions, then the rollup itself
        result = rollups.table(indicators, units, [Y2022, periods.year(2023)])
    assert result[(indicators[0].pk, trees.district.pk, Y2022)].value == Decimal(3)
    assert result[(indicators[4].pk, trees.ward_a2.pk, Y2022)].value == Decimal(2)
    assert result[(indicators[4].pk, trees.ward_a2.pk, periods.year(2023))].value is None


@pytest.mark.django_db
def test_a_dissolved_unit_rolls_into_its_successor_only_once_it_has_ended():
    """Sài Đồng's 2022 figures stay Sài Đồng's while it exists; after the 2024 merge,
    its history is Phúc Lợi's."""
    import datetime as dt

    from tiendo.orgs import services as org_services
    from tiendo.testing import build_small_tree

    tree = build_small_tree(reorganised=False)
    count = make("SO", unit_aggregation=Agg.SUM)
    put(count, tree.ward_a1, Y2022, 10)
    put(count, tree.ward_a2, Y2022, 5)
    put(count, tree.ward_a1, Y2024, 20)
    put(count, tree.ward_a2, Y2024, 7)  # A2 ends on 1/12/2024, its 2024 figure is for January–November
    org_services.merge_units(
        None, [tree.ward_a2], date=dt.date(2024, 12, 1), into=tree.ward_a1,
        child_moves=[(tree.tdp_a2_1, tree.ward_a1)],
    )
    assert rollups.value(count, tree.ward_a1, Y2022).value == Decimal(10)
    assert rollups.value(count, tree.ward_a2, Y2022).value == Decimal(5)
    assert rollups.value(count, tree.ward_a1, Y2024).value == Decimal(27)
    assert rollups.value(count, tree.district, Y2022).value == Decimal(15)
