"""Changes to the tree that must be refused, with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tiendo.audit.models import AuditEntry
from tiendo.orgs import services
from tiendo.orgs.models import OrgUnit, ReorgEvent, ReorgLink, UnitKind, UnitVersion
from tiendo.testing import FOUNDED, REFORM, build_small_tree


def counts() -> tuple[int, ...]:
    return (
        OrgUnit.objects.count(),
        UnitVersion.objects.count(),
        ReorgEvent.objects.count(),
        ReorgLink.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(call, *expected: str) -> str:
    before = counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert counts() == before, "a refused change must write nothing"
    text = " ".join(info.value.messages)
    for fragment in expected:
        assert fragment in text
    return text


@pytest.mark.django_db
def test_moving_a_unit_under_its_own_descendant_is_refused_as_a_cycle():
    tree = build_small_tree(reorganised=False)
    refused(
        lambda: services.move_unit(None, tree.ward_a1, date=dt.date(2020, 1, 1), new_parent=tree.tdp_a1_1),
        "vòng lặp",
    )


@pytest.mark.django_db
def test_a_district_cannot_be_moved_under_its_own_ward():
    tree = build_small_tree(reorganised=False)
    refused(lambda: services.move_unit(None, tree.district, date=dt.date(2020, 1, 1), new_parent=tree.ward_a1))


@pytest.mark.django_db
def test_overlapping_validity_intervals_of_one_unit_are_refused():
    tree = build_small_tree(reorganised=False)
    services.rename_unit(None, tree.ward_a1, date=dt.date(2015, 1, 1), name="Phường A1 mới")
    first = tree.ward_a1.versions.order_by("valid_from").first()
    refused(
        lambda: services.correct_version(
            None, first, name=first.name, code=first.code, valid_from=first.valid_from,
            valid_to=dt.date(2016, 1, 1), reason="nhập sai ngày",
        ),
        "trùng",
    )


@pytest.mark.django_db
def test_merge_into_a_unit_that_does_not_exist_on_that_date_is_refused():
    tree = build_small_tree()
    refused(
        lambda: services.merge_units(None, [tree.ward_a2], date=dt.date(2020, 1, 1), into=tree.new_ward),
        "không tồn tại",
        "1/7/2025",
    )


@pytest.mark.django_db
def test_a_code_held_by_another_unit_is_refused():
    tree = build_small_tree(reorganised=False)
    refused(
        lambda: services.create_unit(
            None, kind=UnitKind.WARD, name="Phường trùng mã", parent=tree.district, valid_from=dt.date(2010, 1, 1), code="P002"
        ),
        "Mã “P002”",
        "Phường A2",
    )
    refused(lambda: services.rename_unit(None, tree.ward_a1, date=dt.date(2010, 1, 1), code="P002"), "Mã “P002”")


@pytest.mark.django_db
def test_an_event_dated_before_the_unit_existed_is_refused():
    tree = build_small_tree(reorganised=False)
    refused(
        lambda: services.rename_unit(None, tree.ward_a1, date=FOUNDED - dt.timedelta(days=1), name="Tên khác"),
        "trước khi đơn vị tồn tại",
    )
    refused(
        lambda: services.split_unit(
            None,
            tree.ward_a1,
            date=dt.date(1999, 1, 1),
            parts=[services.Transfer(tree.ward_a1, tree.ward_a2), services.Transfer(tree.ward_a1, tree.district)],
        ),
        "trước khi đơn vị tồn tại",
    )


@pytest.mark.django_db
def test_ending_a_unit_that_still_has_children_is_refused():
    tree = build_small_tree(reorganised=False)
    refused(
        lambda: services.merge_units(None, [tree.ward_a1], date=REFORM, into=tree.ward_a2),
        "vẫn còn đơn vị trực thuộc",
        "Tổ dân phố A1-1",
    )


@pytest.mark.django_db
def test_a_ward_cannot_hang_under_a_residential_group():
    tree = build_small_tree(reorganised=False)
    refused(
        lambda: services.create_unit(
            None, kind=UnitKind.WARD, name="Phường lạ", parent=tree.tdp_a1_1, valid_from=dt.date(2010, 1, 1)
        ),
        "không thể trực thuộc",
    )


@pytest.mark.django_db
def test_shares_above_the_whole_are_refused():
    tree = build_small_tree(reorganised=False)
    refused(
        lambda: services.reorganise(
            None,
            kind="split",
            date=dt.date(2020, 1, 1),
            transfers=[
                services.Transfer(tree.ward_a1, tree.ward_a2, share=0.7),
                services.Transfer(tree.ward_a1, tree.district, share=0.6),
            ],
        ),
        "vượt quá 1",
    )


@pytest.mark.django_db
def test_services_recheck_scope_on_the_date_of_the_change(tree, personas):
    tree_tdp = tree.tdp_a1_1
    admin = personas["district_admin"]
    # After the reform the group sits under Phường Mới, outside the old district's subtree.
    refused(
        lambda: services.rename_unit(admin, tree_tdp, date=dt.date(2026, 1, 1), name="Tổ dân phố đổi tên"),
        "không có quyền quản trị",
    )
    # Before the reform the wards were the district's to manage.
    services.rename_unit(admin, tree.ward_a2, date=dt.date(2020, 1, 1), name="Phường A2 (2020)")


@pytest.mark.django_db
def test_only_system_administrators_found_a_top_level_unit(tree, personas):
    refused(
        lambda: services.create_unit(
            personas["district_admin"], kind=UnitKind.CITY, name="Tỉnh mới", valid_from=dt.date(2020, 1, 1)
        ),
        "quản trị hệ thống",
    )
    services.create_unit(personas["system_admin"], kind=UnitKind.CITY, name="Tỉnh mới", valid_from=dt.date(2020, 1, 1))


@pytest.mark.django_db
def test_a_unit_cannot_outlive_its_parent():
    tree = build_small_tree()
    refused(
        lambda: services.create_unit(
            None, kind=UnitKind.RESIDENTIAL_GROUP, name="Tổ mới", parent=tree.ward_a1, valid_from=dt.date(2020, 1, 1)
        ),
        "không thể tồn tại lâu hơn cấp trên",
    )
