"""Data for the exchange tests: the small tree with more history, and every kind of
row the format carries, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models

from tiendo.audit.models import AuditEntry
from tiendo.indicators import services as values
from tiendo.indicators.models import DataValue, Indicator, Source, Target
from tiendo.lib import periods
from tiendo.orgs import services as orgs
from tiendo.orgs.models import OrgUnit, ReorgEvent, ReorgLink, UnitKind, UnitLineage, UnitVersion
from tiendo.plans.models import BoardMember, Plan, PlanItem, Priority, Program, Resolution, Theme
from tiendo.testing import FOUNDED, REFORM, SmallTree, build_small_tree

DOMAIN: list[type[models.Model]] = [
    OrgUnit, UnitVersion, ReorgEvent, ReorgLink, UnitLineage, Resolution, Priority, Program, BoardMember, Theme,
    Plan, PlanItem, Source, Indicator, Target, DataValue, AuditEntry,
]


def counts() -> dict[str, int]:
    """Rows of every model the exchange touches, and of the audit log."""
    return {model.__name__: model._default_manager.count() for model in DOMAIN}


def wipe() -> None:
    """Delete every row of the domain (accounts stay), so an import starts from nothing."""
    DataValue.objects.update(replaces=None)
    DataValue.objects.all().delete()
    Target.objects.update(allocated_from=None)
    Target.objects.all().delete()
    PlanItem.objects.all().delete()
    Plan.objects.all().delete()
    BoardMember.objects.all().delete()
    Theme.objects.all().delete()
    Indicator.objects.exclude(numerator=None, denominator=None, weight=None).delete()  # computed ones first
    Indicator.objects.all().delete()
    Program.objects.all().delete()
    Priority.objects.all().delete()
    Resolution.objects.all().delete()
    Source.objects.all().delete()
    UnitLineage.objects.all().delete()
    ReorgLink.objects.all().delete()
    UnitVersion.objects.all().delete()
    ReorgEvent.objects.all().delete()
    OrgUnit.objects.all().delete()
    AuditEntry.objects.all().delete()
    assert not any(counts().values())


@dataclass
class Data:
    tree: SmallTree
    reporter: User
    indicators: dict[str, Indicator]
    program: Program


def _indicator(code: str, **fields: Any) -> Indicator:
    fields.setdefault("name", f"Chỉ tiêu {code}")
    fields.setdefault("frequency", periods.PeriodKind.YEAR.value)
    return Indicator.objects.create(code=code, **fields)


@pytest.fixture
def data(db: None) -> Data:
    """The small tree (with its 2025 reorganisation), a rename, a move that carries a
    ward's residential groups, units ended with and without an event; a resolution
    with priorities, programs with a board, a theme, plans with items, sources,
    indicators of every value type and aggregation, cascading targets, and values
    with history, sources, estimates, dates and an account."""
    tree = build_small_tree()
    reporter = User.objects.create_user("a1.baocao", password="mat-khau-thu-nghiem-1")
    orgs.rename_unit(None, tree.ward_a2, date=dt.date(2015, 1, 1), name="Phường A2 mới", code="P002B",
                     legal_basis="Quyết định đổi tên", note="đổi tên và mã")
    orgs.move_unit(None, tree.ward_a1, date=dt.date(2020, 3, 1), new_parent=tree.city, legal_basis="Chuyển thử")
    orgs.create_unit(None, kind=UnitKind.WARD, name="Phường C", parent=tree.district, valid_from=dt.date(2010, 1, 1),
                     valid_to=REFORM, note="kết thúc cùng quận", assumption="ngày bắt đầu giả định")
    orgs.create_unit(None, kind=UnitKind.RESIDENTIAL_GROUP, name="Tổ dân phố cũ", parent=tree.ward_a1,
                     valid_from=FOUNDED, valid_to=dt.date(2010, 1, 1))
    assert tree.new_ward is not None and tree.ward_b is not None

    resolution = Resolution.objects.create(
        title="Nghị quyết Đại hội Đảng bộ quận A lần thứ V", issuer=tree.district, congress_number=5,
        term_start=2020, term_end=2025, adopted_on=dt.date(2020, 9, 20), summary="Tóm tắt\nhai dòng",
    )
    first = Priority.objects.create(resolution=resolution, number=1, title="Chỉnh trang đô thị")
    Priority.objects.create(resolution=resolution, number=2, title="Cải cách hành chính")
    program = Program.objects.create(resolution=resolution, number="02-CTr/QU", title="Chương trình đô thị",
                                     lead_unit=tree.district, priority=first, order=2)
    other = Program.objects.create(resolution=resolution, number="01-CTr/QU", title="Chương trình xây dựng Đảng",
                                   lead_unit=tree.district, order=1)
    BoardMember.objects.create(program=program, full_name="Nguyễn Văn A", position="Bí thư",
                               role=BoardMember.Role.HEAD, user=reporter, order=1)
    BoardMember.objects.create(program=program, full_name="Trần Thị B", role=BoardMember.Role.MEMBER, order=2)
    theme = Theme.objects.create(year=2022, title="Năm văn minh đô thị", issuer=tree.district)
    theme.programs.set([program, other])
    plan = Plan.objects.create(title="Kế hoạch thực hiện năm 2022", number="15/KH-UBND", unit=tree.district,
                               year=2022, issued_on=dt.date(2022, 1, 10), program=program)
    theme_plan = Plan.objects.create(title="Kế hoạch chủ đề năm", unit=tree.ward_a1, year=2022, theme=theme)
    article = Source.objects.create(kind=Source.Kind.ARTICLE, title="Bài báo thử", publisher="Báo Thử",
                                    published_on=dt.date(2022, 5, 17), url="https://example.vn/bai-bao")
    report = Source.objects.create(kind=Source.Kind.SUBMISSION, title="Báo cáo quý II", reference="12/BC")

    agg = Indicator.UnitAggregation
    indicators = {
        "CAY": _indicator("CAY", name="Số cây xanh trồng mới", unit_of_measure="cây", program=program,
                          priority=first, in_resolution=True, responsible_unit=tree.district, order=1),
        "HS_DO": _indicator("HS_DO", program=program),
        "HS_THI": _indicator("HS_THI", program=program),
        "SO_HO": _indicator("SO_HO", time_aggregation="stock"),
        "DIEM": _indicator("DIEM", unit_aggregation=agg.COUNT_MEETING, threshold=Decimal("85.5"),
                           frequency="quarter", illustrative=True, definition="Điểm chấm", how_to_count="Cộng điểm"),
        "MO_HINH": _indicator("MO_HINH", value_type="boolean", frequency="month"),
        "NGAN_SACH": _indicator("NGAN_SACH", unit_of_measure="đồng", min_value=Decimal(0)),
        "NAM_HOC": _indicator("NAM_HOC", frequency="school_year", direction="lower", threshold_comparison="lte"),
    }
    indicators["TL_DO"] = _indicator(
        "TL_DO", value_type="percent", unit_aggregation=agg.RATIO_OF_SUMS, numerator=indicators["HS_DO"],
        denominator=indicators["HS_THI"], decimals=1, program=program,
    )
    indicators["TL_GD"] = _indicator(
        "TL_GD", value_type="percent", unit_aggregation=agg.WEIGHTED_AVERAGE, weight=indicators["SO_HO"],
        max_value=Decimal(120),
    )
    PlanItem.objects.create(plan=plan, kind=PlanItem.Kind.MODEL, title="15 tuyến phố xanh", order=1,
                            responsible_unit=tree.ward_a1, indicator=indicators["CAY"], target_text="15 tuyến")
    PlanItem.objects.create(plan=plan, title="Tuyên truyền", order=2)
    PlanItem.objects.create(plan=theme_plan, title="Ra quân vệ sinh")

    term = periods.term(2020, 2025)
    y2022 = periods.year(2022)
    whole = values.set_target(None, indicator=indicators["CAY"], unit=tree.district, period=term, value=5000,
                              clause="Nghị quyết, mục 3", source=article, plan=plan)
    for ward, share in ((tree.ward_a1, 3000), (tree.ward_a2, 2000)):
        values.set_target(None, indicator=indicators["CAY"], unit=ward, period=term, value=share,
                          allocated_from=whole, note="phân bổ")
    values.set_target(None, indicator=indicators["TL_DO"], unit=tree.district, period=y2022, value=Decimal("82.5"))

    def put(code: str, unit: OrgUnit, period: periods.Period, value: Any, **extra: Any) -> DataValue:
        return values.record_value(None, indicator=indicators[code], unit=unit, period=period, value=value, **extra)

    approved = DataValue.State.APPROVED
    put("CAY", tree.ward_a1, y2022, 300, state=approved, source=report, entered_by=reporter)
    put("CAY", tree.ward_a2, y2022, 530, note="số sơ bộ")
    put("CAY", tree.ward_a2, y2022, 540, state=DataValue.State.SUBMITTED, note="đã rà soát")
    put("CAY", tree.ward_a2, y2022, Decimal("545.5"), state=approved, reason="Sửa theo biên bản kiểm tra")
    put("CAY", tree.new_ward, periods.year(2025), 120, measured_on=dt.date(2025, 9, 30), is_estimate=True)
    put("HS_DO", tree.ward_a1, y2022, 90, state=approved)
    put("HS_THI", tree.ward_a1, y2022, 100, state=approved)
    put("TL_DO", tree.district, y2022, Decimal("82.35"), state=approved, source=article)
    put("SO_HO", tree.tdp_a1_1, y2022, 1234567)
    put("TL_GD", tree.tdp_a1_1, y2022, Decimal("110.25"))
    put("DIEM", tree.ward_b, periods.quarter(2025, 3), Decimal("86"))
    put("MO_HINH", tree.ward_a1, periods.month(2022, 5), 1)
    put("NGAN_SACH", tree.district, y2022, Decimal("123456789.123456"))
    put("NAM_HOC", tree.ward_a1, periods.school_year(2021), Decimal("0.5"), note="=không phải công thức")
    return Data(tree, reporter, indicators, program)
