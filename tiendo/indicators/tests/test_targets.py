"""Targets cascade: wards' targets add up to the district's, years to the term's."""

from __future__ import annotations

from decimal import Decimal

from tiendo.indicators import services
from tiendo.indicators.models import Indicator
from tiendo.indicators.targets import allocate, check_allocation
from tiendo.lib import periods

TERM = periods.term(2020, 2025)


def test_a_sum_allocation_that_adds_up_passes_and_one_that_does_not_warns(tree):
    planted = Indicator.objects.create(code="CAY", name="Cây trồng mới", frequency="year")
    district = services.set_target(None, indicator=planted, unit=tree.district, period=TERM, value=830)
    check = allocate(None, district, {tree.ward_a1: Decimal(300), tree.ward_a2: Decimal(530)})
    assert check.ok and check.combined == 830
    services.set_target(None, indicator=planted, unit=tree.ward_a2, period=TERM, value=500, allocated_from=district)
    check = check_allocation(district)
    assert not check.ok
    assert "tổng: 800,00" in check.message and "830" in check.message


def test_rates_are_checked_by_the_weighted_mean(tree):
    households = Indicator.objects.create(code="SO_HO", name="Số hộ", frequency="year")
    cultured = Indicator.objects.create(code="HO_VH", name="Hộ văn hóa", frequency="year")
    rate = Indicator.objects.create(
        code="TL_VH", name="Tỷ lệ gia đình văn hóa", value_type="percent", frequency="year",
        unit_aggregation="ratio_of_sums", numerator=cultured, denominator=households,
    )
    year = periods.year(2022)
    services.record_value(None, indicator=households, unit=tree.ward_a1, period=year, value=3000, state="approved")
    services.record_value(None, indicator=households, unit=tree.ward_a2, period=year, value=1000, state="approved")
    district = services.set_target(None, indicator=rate, unit=tree.district, period=year, value=Decimal("92.5"))
    # (90 × 3000 + 100 × 1000) / 4000 = 92,5: adds up, although the plain mean would be 95.
    check = allocate(None, district, {tree.ward_a1: Decimal(90), tree.ward_a2: Decimal(100)})
    assert check.ok and "bình quân gia quyền" in check.method


def test_a_term_target_broken_down_by_year(tree):
    gardens = Indicator.objects.create(code="VUON_HOA", name="Vườn hoa mới", frequency="year")
    term = services.set_target(None, indicator=gardens, unit=tree.district, period=TERM, value=10)
    for year, value in zip(range(2020, 2026), [1, 2, 2, 2, 2, 1], strict=True):
        services.set_target(
            None, indicator=gardens, unit=tree.district, period=periods.year(year), value=value, allocated_from=term
        )
    check = check_allocation(term)
    assert check.ok and check.combined == 10
