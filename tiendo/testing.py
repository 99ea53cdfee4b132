"""Builders shared by the tests: a small tree and the personas who use it.

The small tree (dates as in Long Biên, names shortened):

    Thành phố (city, 2003–)
    └── Quận A (district, 2003 – 1/7/2025)
        ├── Phường A1 (ward, 2003 – 1/7/2025) ── TDP A1-1, TDP A1-2
        ├── Phường A2 (ward, 2003 – 1/7/2025) ── TDP A2-1
        └── Phòng Nội vụ (agency of the district)
    Phường Mới (ward under the city from 1/7/2025): A1 and A2 split into it and B
    Phường B (ward under the city from 1/7/2025)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from tiendo.accounts.models import Role, RoleAssignment
from tiendo.browsing import TEST_PASSWORD
from tiendo.orgs import services
from tiendo.orgs.models import OrgUnit, UnitKind

FOUNDED = dt.date(2003, 11, 6)
REFORM = dt.date(2025, 7, 1)


@dataclass
class SmallTree:
    city: OrgUnit
    district: OrgUnit
    ward_a1: OrgUnit
    ward_a2: OrgUnit
    tdp_a1_1: OrgUnit
    tdp_a1_2: OrgUnit
    tdp_a2_1: OrgUnit
    agency: OrgUnit
    new_ward: OrgUnit | None = None
    ward_b: OrgUnit | None = None


def build_small_tree(*, reorganised: bool = True) -> SmallTree:
    def unit(kind: str, name: str, parent: OrgUnit | None, code: str = "") -> OrgUnit:
        return services.create_unit(None, kind=kind, name=name, parent=parent, valid_from=FOUNDED, code=code)

    city = unit(UnitKind.CITY, "Thành phố Thử", None, "T01")
    district = unit(UnitKind.DISTRICT, "Quận A", city, "Q01")
    a1 = unit(UnitKind.WARD, "Phường A1", district, "P001")
    a2 = unit(UnitKind.WARD, "Phường A2", district, "P002")
    tree = SmallTree(
        city=city,
        district=district,
        ward_a1=a1,
        ward_a2=a2,
        tdp_a1_1=unit(UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố A1-1", a1),
        tdp_a1_2=unit(UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố A1-2", a1),
        tdp_a2_1=unit(UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố A2-1", a2),
        agency=unit(UnitKind.AGENCY, "Phòng Nội vụ quận A", district),
    )
    if reorganised:
        new_ward = services.NewUnit(UnitKind.WARD, "Phường Mới", city, code="P001")
        ward_b = services.NewUnit(UnitKind.WARD, "Phường B", city, code="P900")
        services.reorganise(
            None,
            kind="reorganise",
            date=REFORM,
            new_units=[new_ward, ward_b],
            child_moves=[(tree.tdp_a1_1, new_ward), (tree.tdp_a1_2, ward_b), (tree.tdp_a2_1, new_ward)],
            ending=[a1, a2, tree.agency, district],
            transfers=[
                services.Transfer(a1, new_ward, population=3000),
                services.Transfer(a1, ward_b, population=1000),
                services.Transfer(a2, new_ward, share=Decimal(1)),
                services.Transfer(district, new_ward),
                services.Transfer(district, ward_b),
            ],
            legal_basis="Nghị quyết thử",
        )
        tree.new_ward = new_ward.created
        tree.ward_b = ward_b.created
    return tree


def make_user(username: str, role: str | None = None, unit: OrgUnit | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=TEST_PASSWORD, **extra)
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, unit=None if role == Role.SYSTEM_ADMIN else unit)
    return user


def grow(parent: OrgUnit, wards: int, groups: int, *, until: dt.date | None = None) -> None:
    """Add ``wards`` wards with ``groups`` residential groups each under ``parent``,
    ending with it (``until``): a bigger tree for query-count tests."""
    for w in range(wards):
        ward = services.create_unit(
            None, kind=UnitKind.WARD, name=f"Phường thêm {w}", parent=parent, valid_from=FOUNDED, valid_to=until
        )
        for g in range(groups):
            services.create_unit(
                None,
                kind=UnitKind.RESIDENTIAL_GROUP,
                name=f"TDP {w}-{g}",
                parent=ward,
                valid_from=FOUNDED,
                valid_to=until,
            )


@dataclass
class ReportingSetup:
    """A quarterly data set of three ward indicators with one rule, and the round of
    quarter III/2024 in which wards A1 and A2 report to district A."""

    data_set: Any
    households: Any  # TONG_HO: households in the ward
    cultured: Any  # GD_VANHOA: households recognised as "gia đình văn hóa"
    rate: Any  # TL_THU_NS: budget collection, % of the plan
    round: Any
    a1: Any  # the submissions
    a2: Any


def build_reporting(
    tree: SmallTree,
    period_code: str = "2024-Q3",
    *,
    units: list[OrgUnit] | None = None,
    reviewing_unit: OrgUnit | None = None,
    opens_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> ReportingSetup:
    """By default wards A1 and A2 report quarter III/2024 to district A (``a1``, ``a2``
    are their submissions); ``units`` and ``reviewing_unit`` choose others (then
    ``a1``/``a2`` are the first two units' submissions)."""
    from tiendo.indicators.models import Indicator
    from tiendo.lib import periods
    from tiendo.reporting import services as reporting
    from tiendo.reporting.models import DataSet, DataSetIndicator, ValidationRule

    quarterly = periods.PeriodKind.QUARTER.value
    households = Indicator.objects.create(
        code="TONG_HO", name="Tổng số hộ gia đình", unit_of_measure="hộ", frequency=quarterly,
        time_aggregation=Indicator.TimeAggregation.STOCK, min_value=Decimal(0),
        definition="Số hộ đang cư trú trên địa bàn.", how_to_count="Theo sổ hộ khẩu của công an phường.",
    )
    cultured = Indicator.objects.create(
        code="GD_VANHOA", name="Số hộ đạt danh hiệu gia đình văn hóa", unit_of_measure="hộ", frequency=quarterly,
        time_aggregation=Indicator.TimeAggregation.STOCK, min_value=Decimal(0),
    )
    rate = Indicator.objects.create(
        code="TL_THU_NS", name="Tỷ lệ thu ngân sách so với dự toán", unit_of_measure="%", frequency=quarterly,
        value_type=Indicator.ValueType.PERCENT, unit_aggregation=Indicator.UnitAggregation.AVERAGE,
        time_aggregation=Indicator.TimeAggregation.STOCK, decimals=1,
    )
    data_set = DataSet.objects.create(code="TIEN_DO_QUY", name="Báo cáo tiến độ hằng quý", period_kind=quarterly)
    for order, indicator in enumerate([households, cultured, rate]):
        DataSetIndicator.objects.create(data_set=data_set, indicator=indicator, order=order, required=indicator is not rate)
    ValidationRule.objects.create(
        data_set=data_set, expression="GD_VANHOA <= TONG_HO", message="Số hộ văn hóa không thể nhiều hơn tổng số hộ."
    )
    period = periods.parse(period_code)
    units = units or [tree.ward_a1, tree.ward_a2]
    round_ = reporting.open_round(
        None, data_set=data_set, period=period, reviewing_unit=reviewing_unit or tree.district, units=units,
        opens_on=opens_on or period.last_day - dt.timedelta(days=10), due_on=due_on or period.end + dt.timedelta(days=9),
    )
    submissions = {s.unit_id: s for s in round_.submissions.all()}
    return ReportingSetup(
        data_set, households, cultured, rate, round_, submissions[units[0].pk], submissions[units[1].pk]
    )
