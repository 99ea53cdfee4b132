"""The tree on a date, reorganisations, and the history they leave behind."""

from __future__ import annotations

import datetime as dt

import pytest

from tiendo.orgs.models import OrgUnit, ReorgLink, UnitVersion, valid_on_q
from tiendo.testing import REFORM, build_small_tree


def names_on(day: dt.date) -> set[str]:
    return set(UnitVersion.objects.filter(valid_on_q(day)).values_list("name", flat=True))


def children_on(unit: OrgUnit, day: dt.date) -> set[str]:
    return set(UnitVersion.objects.filter(valid_on_q(day), parent=unit).values_list("name", flat=True))


@pytest.mark.django_db
def test_tree_before_the_reform_has_the_district_and_its_wards():
    tree = build_small_tree()
    day = REFORM - dt.timedelta(days=1)
    assert children_on(tree.city, day) == {"Quận A"}
    assert children_on(tree.district, day) == {"Phường A1", "Phường A2", "Phòng Nội vụ quận A"}
    assert children_on(tree.ward_a1, day) == {"Tổ dân phố A1-1", "Tổ dân phố A1-2"}


@pytest.mark.django_db
def test_tree_after_the_reform_has_the_city_over_the_new_wards():
    tree = build_small_tree()
    assert children_on(tree.city, REFORM) == {"Phường Mới", "Phường B"}
    assert "Quận A" not in names_on(REFORM)
    assert children_on(tree.new_ward, REFORM) == {"Tổ dân phố A1-1", "Tổ dân phố A2-1"}
    assert children_on(tree.ward_b, REFORM) == {"Tổ dân phố A1-2"}


@pytest.mark.django_db
def test_moved_residential_group_keeps_its_identity_and_old_place_in_history():
    tree = build_small_tree()
    versions = list(tree.tdp_a1_1.versions.order_by("valid_from"))
    assert [v.parent_id for v in versions] == [tree.ward_a1.pk, tree.new_ward.pk]
    assert versions[0].valid_to == REFORM
    # Subtree queries on each date follow the path of that date.
    old_ward_path = tree.ward_a1.versions.get().path
    assert versions[0].path.startswith(old_ward_path)
    assert not versions[1].path.startswith(old_ward_path)


@pytest.mark.django_db
def test_old_units_stay_reachable_with_links_and_shares():
    tree = build_small_tree()
    tree.ward_a1.refresh_from_db()
    assert tree.ward_a1.valid_to == REFORM
    links = {link.successor.pk: link for link in ReorgLink.objects.filter(predecessor=tree.ward_a1)}
    assert links[tree.new_ward.pk].share == pytest.approx(0.75)
    assert links[tree.ward_b.pk].share == pytest.approx(0.25)
    # The district's history is linked, its figures not split.
    assert set(ReorgLink.objects.filter(predecessor=tree.district).values_list("share", flat=True)) == {None}


@pytest.mark.django_db
def test_a_code_can_pass_to_a_new_unit_after_the_old_one_ends():
    tree = build_small_tree()
    holders = UnitVersion.objects.filter(code="P001").order_by("valid_from")
    assert [(v.unit_id, v.valid_to) for v in holders] == [(tree.ward_a1.pk, REFORM), (tree.new_ward.pk, None)]
