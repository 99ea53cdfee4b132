"""A resolution with programs, indicators, targets and figures on the small tree.

Built through the services (``record_value``, ``set_target``), as real data would be.
On 30/6/2023 program 02 stands at: GDVH 93,18% against 90% (vượt), CAY 2.600 trees
of 5.000 half-way through the term (đúng tiến độ), TDP 65% against 80% (có nguy cơ,
minh họa), TRUONG 14 of 14 (đạt), MH4 (minh họa, chưa có số liệu).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from tiendo.indicators import services
from tiendo.indicators.models import DataValue, Indicator, Source
from tiendo.lib import periods
from tiendo.orgs import services as org_services
from tiendo.orgs.models import OrgUnit, UnitKind
from tiendo.plans.models import BoardMember, Plan, PlanItem, Priority, Program, Resolution
from tiendo.testing import FOUNDED, REFORM, SmallTree

TERM = periods.term(2020, 2025)
DAY = "30/6/2023"
APPROVED = DataValue.State.APPROVED


@dataclass
class ResolutionData:
    party: OrgUnit
    resolution: Resolution
    programs: dict[str, Program]
    indicators: dict[str, Indicator]
    source: Source
    values: dict[str, DataValue] = field(default_factory=dict)
    wards: list[OrgUnit] = field(default_factory=list)


def page_text(response: Any) -> str:
    """A page as a reader sees it: tags dropped, spaces collapsed, none before punctuation."""
    html = response.content.decode()
    return re.sub(r"\s+([,.:;)])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def indicator(code: str, program: Program | None, **fields: Any) -> Indicator:
    fields.setdefault("frequency", periods.PeriodKind.YEAR.value)
    fields.setdefault("name", f"Chỉ tiêu {code}")
    return Indicator.objects.create(code=code, program=program, **fields)


def put(unit: OrgUnit, ind: Indicator, period: periods.Period, value: Any, actor: Any = None, **extra: Any) -> DataValue:
    extra.setdefault("state", APPROVED)
    return services.record_value(actor, indicator=ind, unit=unit, period=period, value=value, **extra)


def build_resolution(
    tree: SmallTree,
    *,
    reporter: Any = None,
    extra_indicators: int = 0,
    extra_wards: int = 0,
    years: int = 2,
) -> ResolutionData:
    """The resolution of Quận A's Party committee and its programs 01 and 02.

    ``extra_indicators``, ``extra_wards`` and ``years`` (of figures, from 2021) grow it
    for the query-count tests without changing the five indicators described above."""
    district, a1, a2 = tree.district, tree.ward_a1, tree.ward_a2
    party = org_services.create_unit(
        None, kind=UnitKind.PARTY_COMMITTEE, name="Quận ủy A", parent=district, valid_from=FOUNDED, valid_to=REFORM
    )
    resolution = Resolution.objects.create(
        title="Nghị quyết Đại hội Đảng bộ quận A lần thứ VI",
        issuer=party,
        congress_number=6,
        term_start=2020,
        term_end=2025,
        adopted_on=dt.date(2020, 9, 20),
        summary="Xây dựng quận A xanh, sạch, đẹp, văn minh.",
    )
    p1 = Priority.objects.create(resolution=resolution, number=1, title="Phát triển hạ tầng đô thị đồng bộ, hiện đại")
    p2 = Priority.objects.create(resolution=resolution, number=2, title="Xây dựng nếp sống văn minh đô thị")
    ctr01 = Program.objects.create(
        resolution=resolution, number="01-CTr/QU", title="Phát triển hạ tầng đô thị", lead_unit=district, priority=p1, order=1
    )
    ctr02 = Program.objects.create(
        resolution=resolution, number="02-CTr/QU", title="Xây dựng nếp sống văn minh đô thị", lead_unit=district, priority=p2, order=2
    )
    BoardMember.objects.create(program=ctr02, full_name="Nguyễn Văn An", position="Phó Bí thư Quận ủy", role=BoardMember.Role.HEAD)
    BoardMember.objects.create(program=ctr02, full_name="Trần Thị Bình", position="Trưởng ban Tuyên giáo", role=BoardMember.Role.DEPUTY, order=1)
    source = Source.objects.create(
        kind=Source.Kind.ARTICLE,
        title="Quận A sơ kết giữa nhiệm kỳ",
        publisher="Báo Thử",
        published_on=dt.date(2023, 4, 18),
        url="https://bao.example.vn/so-ket",
    )

    households = indicator("HO", None, name="Tổng số hộ gia đình", time_aggregation="stock")
    cultured = indicator("HO_GDVH", None, name="Số hộ gia đình văn hóa", time_aggregation="stock")
    ind = {
        "GDVH": indicator(
            "GDVH", ctr02, name="Tỷ lệ gia đình văn hóa", value_type="percent", unit_aggregation="ratio_of_sums",
            numerator=cultured, denominator=households, time_aggregation="stock", decimals=2, in_resolution=True, unit_of_measure="%",
        ),
        "CAY": indicator("CAY", ctr02, name="Số cây xanh trồng mới", unit_of_measure="cây", in_resolution=True, order=1),
        "TDP": indicator(
            "TDP", ctr02, name="Tỷ lệ tổ dân phố văn minh", value_type="percent", unit_aggregation="average",
            time_aggregation="stock", illustrative=True, order=2,
        ),
        "TRUONG": indicator(
            "TRUONG", ctr02, name="Số trường đạt chuẩn quốc gia", unit_aggregation="none", time_aggregation="stock",
            in_resolution=True, order=3, unit_of_measure="trường",
        ),
        "MH4": indicator("MH4", ctr02, name="Chỉ tiêu văn hóa thứ tư", illustrative=True, order=4),
        "DUONG": indicator("DUONG", ctr01, name="Đường giao thông xây mới", unit_of_measure="km", decimals=1, in_resolution=True),
        "HO": households,
        "HO_GDVH": cultured,
    }
    district_targets = {"GDVH": 90, "CAY": 5000, "TDP": 80, "TRUONG": 14, "MH4": 10, "DUONG": 10}
    targets = {
        code: services.set_target(
            None, indicator=ind[code], unit=district, period=TERM, value=value, clause="Nghị quyết Đại hội", source=source
        )
        for code, value in district_targets.items()
    }
    services.set_target(None, indicator=ind["GDVH"], unit=a1, period=TERM, value=92, allocated_from=targets["GDVH"])
    services.set_target(None, indicator=ind["CAY"], unit=a1, period=TERM, value=2500)

    y2021, y2022 = periods.year(2021), periods.year(2022)
    data = ResolutionData(party, resolution, {"01": ctr01, "02": ctr02}, ind, source)
    first = put(a1, cultured, y2022, 11900, reporter, source=source)
    data.values["a1_cultured_old"] = first
    data.values["a1_cultured"] = put(
        a1, cultured, y2022, 12000, reporter, source=source, note="Theo báo cáo tổng kết năm", reason="Sửa theo báo cáo tổng kết"
    )
    data.values["a2_cultured"] = put(a2, cultured, y2022, 9327, source=source)
    put(a1, households, y2022, 12800, source=source)
    put(a2, households, y2022, 10088, source=source)
    for unit, trees in ((a1, (600, 700)), (a2, (500, 800))):
        data.values[f"cay_2021_{unit.pk}"] = put(unit, ind["CAY"], y2021, trees[0])
        data.values[f"cay_2022_{unit.pk}"] = put(unit, ind["CAY"], y2022, trees[1])
    put(a1, ind["TDP"], y2022, 70)
    put(a2, ind["TDP"], y2022, 60)
    data.values["truong"] = put(district, ind["TRUONG"], y2022, 14)
    data.values["duong"] = put(a1, ind["DUONG"], y2022, 3.5)
    data.values["submitted"] = put(a2, ind["DUONG"], y2022, 1.25, state=DataValue.State.SUBMITTED)

    plan = Plan.objects.create(title="Kế hoạch thực hiện Chương trình 02 năm 2022", number="15-KH/QU", unit=district, year=2022, program=ctr02)
    PlanItem.objects.create(plan=plan, kind=PlanItem.Kind.MODEL, title="Tuyến phố xanh - sạch - đẹp", target_text="15 tuyến", responsible_unit=a1, indicator=ind["CAY"])
    PlanItem.objects.create(plan=plan, title="Tuyên truyền nếp sống văn minh", order=1)
    ward_plan = Plan.objects.create(title="Kế hoạch của phường A2 năm 2022", unit=a2, year=2022, program=ctr02)
    PlanItem.objects.create(plan=ward_plan, title="Ra quân vệ sinh môi trường", responsible_unit=a2)

    _grow(data, tree, ctr02, extra_indicators=extra_indicators, extra_wards=extra_wards, years=years)
    return data


def _grow(data: ResolutionData, tree: SmallTree, program: Program, *, extra_indicators: int, extra_wards: int, years: int) -> None:
    """More wards, indicators and years of figures, for the query-count tests."""
    wards = [tree.ward_a1, tree.ward_a2]
    for w in range(extra_wards):
        ward = org_services.create_unit(
            None, kind=UnitKind.WARD, name=f"Phường thêm {w}", parent=tree.district, valid_from=FOUNDED, valid_to=REFORM
        )
        wards.append(ward)
        data.wards.append(ward)
    extra = [indicator(f"X{n:02d}", program, name=f"Chỉ tiêu thêm {n}", order=10 + n, in_resolution=n % 2 == 0) for n in range(extra_indicators)]
    for ind in extra:
        services.set_target(None, indicator=ind, unit=tree.district, period=TERM, value=100 * len(wards))
    growing = [*extra, data.indicators["CAY"]] if (extra_wards or years > 2) else extra
    for year in range(2021, 2021 + years):
        period = periods.year(year)
        for ind in growing:
            for n, ward in enumerate(wards):
                if ind.code == "CAY" and ward in (tree.ward_a1, tree.ward_a2) and year in (2021, 2022):
                    continue  # already there
                put(ward, ind, period, 10 + n + year % 7)
