"""The scoping layer: every role, guessing URLs and ids outside its subtree, gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can, restrict_units
from tiendo.orgs.models import OrgUnit

# persona -> (units it may see, units it must not see), by the attribute names of SmallTree
MATRIX = {
    "city_viewer": ({"city", "district", "ward_a1", "ward_a2", "tdp_a1_1", "new_ward", "ward_b"}, set()),
    "district_viewer": ({"district", "ward_a1", "ward_a2", "tdp_a1_1", "tdp_a2_1", "agency"}, {"city", "new_ward", "ward_b"}),
    "district_reviewer": ({"district", "ward_a2", "tdp_a2_1"}, {"city", "new_ward"}),
    "district_admin": ({"district", "ward_a1"}, {"city", "ward_b"}),
    "ward_reporter": ({"ward_a1", "tdp_a1_1", "tdp_a1_2"}, {"city", "district", "ward_a2", "tdp_a2_1", "agency", "new_ward", "ward_b"}),
    "other_ward_reporter": ({"ward_a2", "tdp_a2_1"}, {"ward_a1", "tdp_a1_1", "district", "new_ward"}),
    "new_ward_viewer": ({"new_ward", "tdp_a1_1", "tdp_a2_1"}, {"ward_a1", "ward_a2", "district", "city", "ward_b", "tdp_a1_2"}),
    "outsider": (set(), {"city", "district", "ward_a1", "new_ward"}),
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_role_sees_its_subtree_and_gets_404_elsewhere(persona, tree, personas, client):
    visible, hidden = MATRIX[persona]
    client.force_login(personas[persona])
    for name in visible:
        unit = getattr(tree, name)
        assert client.get(reverse("orgs:detail", args=[unit.pk])).status_code == 200, name
    for name in hidden:
        unit = getattr(tree, name)
        for url in (reverse("orgs:detail", args=[unit.pk]), reverse("orgs:history", args=[unit.pk])):
            response = client.get(url)
            assert response.status_code == 404, (persona, name, url)
            assert str(unit) not in response.content.decode()


def test_ids_that_do_not_exist_or_are_not_numbers_give_404(personas, client):
    client.force_login(personas["city_viewer"])
    assert client.get("/don-vi/999999/").status_code == 404
    assert client.get("/don-vi/abc/").status_code == 404
    assert client.get("/don-vi/-1/").status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(tree, client):
    response = client.get(reverse("orgs:detail", args=[tree.ward_a1.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_tree_page_lists_only_units_in_scope(tree, personas, client):
    client.force_login(personas["ward_reporter"])
    page = client.get(reverse("orgs:tree"), {"ngay": "1/1/2020"}).content.decode()
    assert "Phường A1" in page and "Tổ dân phố A1-1" in page
    assert "Phường A2" not in page and "Quận A" not in page


def test_search_does_not_leak_units_outside_scope(tree, personas, client):
    client.force_login(personas["ward_reporter"])
    page = client.get(reverse("orgs:tree"), {"q": "phuong a2", "ngay": "1/1/2020"}).content.decode()
    assert "Phường A2" not in page


def test_unit_page_names_but_does_not_link_predecessors_out_of_scope(tree, personas, client):
    client.force_login(personas["new_ward_viewer"])
    page = client.get(reverse("orgs:detail", args=[tree.new_ward.pk])).content.decode()
    assert "Phường A1" in page  # the history is told…
    assert reverse("orgs:detail", args=[tree.ward_a1.pk]) not in page  # …but the old ward is not opened


def test_actions_are_granted_by_roles(tree, personas):
    reporter = personas["ward_reporter"]
    assert can(reporter, Action.REPORT, tree.tdp_a1_1)
    assert not can(reporter, Action.REVIEW, tree.ward_a1)
    assert not can(reporter, Action.MANAGE, tree.ward_a1)
    assert can(personas["district_admin"], Action.MANAGE, tree.ward_a2)
    assert not can(personas["district_viewer"], Action.MANAGE, tree.ward_a2)
    assert can(personas["system_admin"], Action.MANAGE, tree.city)
    assert restrict_units(OrgUnit.objects.all(), personas["outsider"]).count() == 0


def test_inactive_users_have_no_scope(tree, personas):
    user = personas["city_viewer"]
    user.is_active = False
    assert restrict_units(OrgUnit.objects.all(), user).count() == 0


def test_rows_of_a_unit_are_filtered_by_the_one_layer(tree, personas):
    from tiendo.accounts.scope import restrict_by_unit
    from tiendo.orgs.models import UnitVersion

    versions = UnitVersion.objects.all()
    reporter = personas["ward_reporter"]
    seen = set(restrict_by_unit(versions, reporter).values_list("name", flat=True))
    assert "Phường A1" in seen and "Phường A2" not in seen and "Quận A" not in seen
    with_ancestors = set(restrict_by_unit(versions, reporter, with_ancestors=True).values_list("name", flat=True))
    assert {"Quận A", "Thành phố Thử", "Phường A1"} <= with_ancestors and "Phường A2" not in with_ancestors
    assert restrict_by_unit(versions, personas["system_admin"]).count() == versions.count()
    assert not restrict_by_unit(versions, personas["outsider"]).exists()
