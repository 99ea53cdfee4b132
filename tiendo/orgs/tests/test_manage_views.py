"""The pages a unit administrator uses to change the tree.

Who may reach them: 404 when the unit is outside what the user may see (as on every
page), 403 when the user sees the unit but holds no right to manage it. Every unit id
in a POST is fetched again through the scoping layer: outside the manage scope is a
404 and nothing is written. Refusals from the services come back on the form with
HTTP 400 and nothing written; every change leaves audit rows.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.orgs import services
from tiendo.orgs.models import OrgUnit, ReorgEvent, ReorgLink, UnitKind, UnitVersion, valid_on_q
from tiendo.testing import REFORM, SmallTree, build_small_tree, grow, make_user

# The small tree's district and wards exist until 1/7/2025; changes are dated before.
DAY = "1/3/2024"
DAY_DATE = dt.date(2024, 3, 1)
MANAGE_PAGES = ["create_child", "rename", "move", "merge", "split"]
MAX_FORM_QUERIES = 11  # session, user, roles, scope paths, the unit, the choices, the page's reads
MAX_UNIT_PAGE_QUERIES = 15 + 6  # the unit page's budget plus the manage scope and the can-manage check, and the "Chỉ tiêu" card (see test_pages.UNIT_PAGE_QUERIES)


@pytest.fixture
def live_tree(db: None) -> SmallTree:
    """The small tree before the 2025 reform: merges and splits in 2024 move children
    that the reform would otherwise have moved already."""
    return build_small_tree(reorganised=False)


@pytest.fixture
def live_admin(live_tree: SmallTree):
    return make_user("quan.quantri", Role.UNIT_ADMIN, live_tree.district)


def counts() -> tuple[int, ...]:
    return (
        OrgUnit.objects.count(),
        UnitVersion.objects.count(),
        ReorgEvent.objects.count(),
        ReorgLink.objects.count(),
        AuditEntry.objects.count(),
    )


def manage_urls(unit: OrgUnit) -> list[str]:
    urls = [reverse(f"orgs:{name}", args=[unit.pk]) for name in MANAGE_PAGES]
    version = unit.versions.order_by("valid_from").first()
    urls.append(reverse("orgs:correct_version", args=[unit.pk, version.pk]))
    return urls


def form_errors(response) -> list[str]:
    """The error texts a form page shows, for readable assertion messages."""
    html = response.content.decode()
    found = re.findall(r'class="field__error"[^>]*>(.*?)</p>', html, re.S)
    found += re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def names_on(unit: OrgUnit, day: dt.date) -> set[str]:
    return set(UnitVersion.objects.filter(valid_on_q(day), parent=unit).values_list("name", flat=True))


def page(client: Client, unit: OrgUnit, day: str = DAY) -> str:
    response = client.get(reverse("orgs:detail", args=[unit.pk]), {"ngay": day})
    assert response.status_code == 200
    return response.content.decode()


# --- The card on the unit page


def test_unit_admin_sees_the_manage_card_with_links(tree: SmallTree, personas, client):
    html = page(login(client, personas["district_admin"]), tree.ward_a1)
    assert "Quản trị" in html
    for url in manage_urls(tree.ward_a1):
        assert url in html


@pytest.mark.parametrize("persona", ["ward_reporter", "district_viewer", "district_reviewer", "city_viewer"])
def test_users_without_the_manage_right_see_no_manage_card(tree: SmallTree, personas, client, persona):
    html = page(login(client, personas[persona]), tree.ward_a1)
    assert reverse("orgs:rename", args=[tree.ward_a1.pk]) not in html
    assert "Thêm đơn vị trực thuộc" not in html


# --- Who may reach the pages


@pytest.mark.parametrize(
    ("persona", "own", "sibling"),
    [
        ("ward_reporter", "ward_a1", "ward_a2"),
        ("other_ward_reporter", "ward_a2", "ward_a1"),
        ("new_ward_viewer", "new_ward", "ward_b"),
    ],
)
def test_reporters_and_viewers_get_403_on_their_own_unit_and_404_on_its_siblings(
    tree: SmallTree, personas, client, persona, own, sibling
):
    login(client, personas[persona])
    before = counts()
    for url in manage_urls(getattr(tree, own)):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"date": DAY, "name": "X"}).status_code == 403, url
    for url in manage_urls(getattr(tree, sibling)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"date": DAY, "name": "X"}).status_code == 404, url
    assert counts() == before


def test_a_user_without_roles_gets_404_everywhere(tree: SmallTree, personas, client):
    login(client, personas["outsider"])
    for url in manage_urls(tree.ward_a1) + manage_urls(tree.city):
        assert client.get(url).status_code == 404, url


def test_a_district_admin_gets_404_outside_the_district(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    for url in manage_urls(tree.new_ward):
        assert client.get(url).status_code == 404, url


def test_anonymous_users_are_sent_to_the_login_page(tree: SmallTree, client):
    response = client.get(reverse("orgs:rename", args=[tree.ward_a1.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_version_of_another_unit_is_404(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    other = tree.ward_a2.versions.get()
    assert client.get(reverse("orgs:correct_version", args=[tree.ward_a1.pk, other.pk])).status_code == 404


def test_only_get_and_post_are_allowed(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    for url in manage_urls(tree.ward_a1):
        assert client.put(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url


def test_posts_need_the_csrf_token(tree: SmallTree, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["district_admin"])
    before = counts()
    response = client.post(
        reverse("orgs:rename", args=[tree.ward_a1.pk]), {"date": DAY, "name": "Phường A1 Mới", "code": "P001"}
    )
    assert response.status_code == 403
    assert counts() == before


# --- The form pages


@pytest.mark.parametrize("size", [(0, 0), (10, 6)])
def test_form_pages_run_a_bounded_number_of_queries(
    size, tree: SmallTree, personas, client, django_assert_max_num_queries
):
    grow(tree.district, *size, until=REFORM)
    login(client, personas["district_admin"])
    for url in manage_urls(tree.ward_a1):
        with django_assert_max_num_queries(MAX_FORM_QUERIES):
            response = client.get(url, {"ngay": DAY})
        assert response.status_code == 200, url
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    if size[0]:
        html = client.get(reverse("orgs:move", args=[tree.tdp_a1_1.pk]), {"ngay": DAY}).content.decode()
        assert "Phường thêm 9" in html


@pytest.mark.parametrize("size", [(0, 0), (10, 6)])
def test_unit_page_with_the_manage_card_runs_a_bounded_number_of_queries(
    size, tree: SmallTree, personas, client, django_assert_max_num_queries
):
    grow(tree.district, *size, until=REFORM)
    login(client, personas["district_admin"])
    with django_assert_max_num_queries(MAX_UNIT_PAGE_QUERIES):
        response = client.get(reverse("orgs:detail", args=[tree.district.pk]), {"ngay": DAY})
    assert "Quản trị" in response.content.decode()


def test_move_form_offers_only_managed_units_of_that_date(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    html = client.get(reverse("orgs:move", args=[tree.tdp_a1_1.pk]), {"ngay": DAY}).content.decode()
    assert f'value="{tree.ward_a2.pk}"' in html
    assert f'value="{tree.new_ward.pk}"' not in html  # outside the district admin's scope
    assert f'value="{tree.city.pk}"' not in html


def test_forms_open_on_the_date_of_the_page(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    html = client.get(reverse("orgs:rename", args=[tree.ward_a1.pk]), {"ngay": DAY}).content.decode()
    assert 'value="1/3/2024"' in html
    assert 'value="Phường A1"' in html


# --- Changes that succeed


def test_district_admin_adds_a_residential_group_that_appears_on_the_ward_page(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    audit_before = AuditEntry.objects.count()
    response = client.post(
        reverse("orgs:create_child", args=[tree.ward_a1.pk]),
        {"kind": UnitKind.RESIDENTIAL_GROUP, "name": "Tổ dân phố A1-3", "code": "", "valid_from": DAY, "valid_to": "1/7/2025"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", args=[tree.ward_a1.pk]) + "?ngay=1%2F3%2F2024"
    html = client.get(response["Location"]).content.decode()
    assert "Tổ dân phố A1-3" in html
    assert "Đã thêm đơn vị “Tổ dân phố A1-3”." in html  # the success message
    assert "Tổ dân phố A1-3" in names_on(tree.ward_a1, DAY_DATE)
    entries = AuditEntry.objects.filter(actor=personas["district_admin"])
    assert entries.count() == AuditEntry.objects.count() - audit_before == 2  # the unit and its version
    assert all(entry.request_id for entry in entries)


def test_create_form_accepts_iso_dates_too(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    response = client.post(
        reverse("orgs:create_child", args=[tree.ward_a1.pk]),
        {"kind": UnitKind.RESIDENTIAL_GROUP, "name": "Tổ dân phố A1-4", "valid_from": "2024-03-01", "valid_to": "2025-07-01"},
    )
    assert response.status_code == 302
    assert OrgUnit.objects.get(versions__name="Tổ dân phố A1-4").valid_from == DAY_DATE


def test_create_form_offers_only_kinds_allowed_under_the_parent(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    html = client.get(reverse("orgs:create_child", args=[tree.ward_a1.pk])).content.decode()
    assert f'value="{UnitKind.RESIDENTIAL_GROUP}"' in html
    assert f'value="{UnitKind.DISTRICT}"' not in html


def test_district_admin_renames_a_ward_and_the_old_name_stays_in_history(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    audit_before = AuditEntry.objects.count()
    response = client.post(
        reverse("orgs:rename", args=[tree.ward_a1.pk]),
        {"date": DAY, "name": "Phường Hoa Sữa", "code": "P001", "legal_basis": "Quyết định 12/QĐ-UBND"},
    )
    assert response.status_code == 302
    versions = list(tree.ward_a1.versions.order_by("valid_from"))
    assert [v.name for v in versions] == ["Phường A1", "Phường Hoa Sữa"]
    assert versions[0].valid_to == DAY_DATE
    html = page(client, tree.ward_a1)
    assert "Phường Hoa Sữa" in html
    assert "Phường A1" in html  # the earlier period, in the table of periods
    assert "Quyết định 12/QĐ-UBND" in html
    assert AuditEntry.objects.count() > audit_before
    assert page(client, tree.ward_a1, "1/1/2020").count("<h1>Phường A1</h1>") == 1


def test_district_admin_moves_a_residential_group_to_the_other_ward(tree: SmallTree, personas, client):
    services.create_unit(
        None,
        kind=UnitKind.RESIDENTIAL_GROUP,
        name="Tổ dân phố A1-9",
        parent=tree.ward_a1,
        valid_from=dt.date(2020, 1, 1),
        valid_to=REFORM,
    )
    tdp = OrgUnit.objects.get(versions__name="Tổ dân phố A1-9")
    login(client, personas["district_admin"])
    response = client.post(reverse("orgs:move", args=[tdp.pk]), {"date": DAY, "new_parent": tree.ward_a2.pk})
    assert response.status_code == 302
    assert "Tổ dân phố A1-9" in names_on(tree.ward_a2, DAY_DATE)
    assert "Tổ dân phố A1-9" in names_on(tree.ward_a1, DAY_DATE - dt.timedelta(days=1))
    assert AuditEntry.objects.filter(actor=personas["district_admin"]).exists()


def test_a_move_that_would_rewrite_later_history_is_refused(tree: SmallTree, personas, client):
    """TDP A1-2 moved to Phường B on 1/7/2025; a move dated before that is refused."""
    login(client, personas["district_admin"])
    before = counts()
    response = client.post(reverse("orgs:move", args=[tree.tdp_a1_2.pk]), {"date": DAY, "new_parent": tree.ward_a2.pk})
    assert response.status_code == 400
    assert "hãy ghi các sự kiện theo thứ tự thời gian" in response.content.decode()
    assert counts() == before


def test_merge_moves_the_children_to_the_receiving_unit_when_asked(live_tree: SmallTree, live_admin, client):
    login(client, live_admin)
    response = client.post(
        reverse("orgs:merge", args=[live_tree.ward_a2.pk]),
        {"date": DAY, "into": live_tree.ward_a1.pk, "move_children": "on", "legal_basis": "NQ thử"},
    )
    assert response.status_code == 302, form_errors(response)
    live_tree.ward_a2.refresh_from_db()
    assert live_tree.ward_a2.valid_to == DAY_DATE
    assert "Tổ dân phố A2-1" in names_on(live_tree.ward_a1, DAY_DATE)
    link = ReorgLink.objects.get(predecessor=live_tree.ward_a2, event__date=DAY_DATE)
    assert link.successor_id == live_tree.ward_a1.pk
    assert AuditEntry.objects.filter(actor=live_admin, object_id=str(link.pk)).exists()


def test_merge_without_moving_the_children_is_refused_on_the_form(live_tree: SmallTree, live_admin, client):
    login(client, live_admin)
    before = counts()
    response = client.post(
        reverse("orgs:merge", args=[live_tree.ward_a2.pk]), {"date": DAY, "into": live_tree.ward_a1.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "vẫn còn đơn vị trực thuộc" in html
    assert "Tổ dân phố A2-1" in html
    assert counts() == before


def test_split_divides_a_ward_by_population(live_tree: SmallTree, live_admin, client):
    ward_c = services.create_unit(
        None, kind=UnitKind.WARD, name="Phường C", parent=live_tree.district, valid_from=dt.date(2020, 1, 1)
    )
    login(client, live_admin)
    data = {
        "kind": "split",
        "date": DAY,
        "children_to": live_tree.ward_a2.pk,
        "nhan-TOTAL_FORMS": "4",
        "nhan-INITIAL_FORMS": "0",
        "nhan-0-successor": live_tree.ward_a2.pk,
        "nhan-0-population": "3.000",
        "nhan-1-successor": ward_c.pk,
        "nhan-1-population": "1.000",
        "nhan-1-area_km2": "0,13",
    }
    response = client.post(reverse("orgs:split", args=[live_tree.ward_a1.pk]), data)
    assert response.status_code == 302, form_errors(response)
    links = {
        link.successor_id: link
        for link in ReorgLink.objects.filter(predecessor=live_tree.ward_a1, event__date=DAY_DATE)
    }
    assert float(links[live_tree.ward_a2.pk].share) == pytest.approx(0.75)
    assert float(links[ward_c.pk].share) == pytest.approx(0.25)
    assert links[ward_c.pk].area_km2 == Decimal("0.13")
    assert names_on(live_tree.ward_a2, DAY_DATE) >= {"Tổ dân phố A1-1", "Tổ dân phố A1-2"}
    event = ReorgEvent.objects.get(date=DAY_DATE)
    assert event.kind == ReorgEvent.Kind.SPLIT
    assert AuditEntry.objects.filter(
        actor=live_admin, object_id=str(event.pk), content_type__model="reorgevent"
    ).exists()
    assert AuditEntry.objects.filter(actor=live_admin, content_type__model="reorglink").count() == 2


def test_dissolution_may_name_a_single_receiving_unit(live_tree: SmallTree, live_admin, client):
    login(client, live_admin)
    data = {
        "kind": "dissolve",
        "date": DAY,
        "children_to": live_tree.ward_a1.pk,
        "nhan-TOTAL_FORMS": "4",
        "nhan-INITIAL_FORMS": "0",
        "nhan-0-successor": live_tree.ward_a1.pk,
        "nhan-0-share": "1",
    }
    response = client.post(reverse("orgs:split", args=[live_tree.ward_a2.pk]), data)
    assert response.status_code == 302, form_errors(response)
    assert ReorgEvent.objects.get(date=DAY_DATE).kind == ReorgEvent.Kind.DISSOLVE
    assert AuditEntry.objects.filter(
        actor=live_admin, content_type__model="orgunit", object_id=str(live_tree.ward_a2.pk)
    ).exists()
    live_tree.ward_a2.refresh_from_db()
    assert live_tree.ward_a2.valid_to == DAY_DATE


def test_a_split_needs_two_receiving_units(live_tree: SmallTree, live_admin, client):
    login(client, live_admin)
    before = counts()
    data = {
        "kind": "split",
        "date": DAY,
        "children_to": live_tree.ward_a1.pk,
        "nhan-TOTAL_FORMS": "4",
        "nhan-INITIAL_FORMS": "0",
        "nhan-0-successor": live_tree.ward_a1.pk,
    }
    response = client.post(reverse("orgs:split", args=[live_tree.ward_a2.pk]), data)
    assert response.status_code == 400
    assert "Chia tách cần ít nhất hai đơn vị nhận." in response.content.decode()
    assert counts() == before


def test_a_recorded_mistake_is_corrected_with_a_reason(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    version = tree.ward_a1.versions.get()
    url = reverse("orgs:correct_version", args=[tree.ward_a1.pk, version.pk])
    data = {"name": "Phường A-1", "code": "P001", "valid_from": "6/11/2003", "valid_to": "1/7/2025"}
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Cần ghi lý do sửa." in response.content.decode()
    assert counts() == before

    response = client.post(url, {**data, "reason": "Gõ nhầm tên"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.name == "Phường A-1"
    entry = AuditEntry.objects.filter(actor=personas["district_admin"]).get()
    assert entry.reason == "Gõ nhầm tên"
    assert entry.before["name"] == "Phường A1"


# --- Refusals: the error on the form, HTTP 400, nothing written


def test_an_impossible_date_is_explained_in_vietnamese_and_nothing_is_written(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    before = counts()
    response = client.post(
        reverse("orgs:rename", args=[tree.ward_a1.pk]), {"date": "31/2/2024", "name": "Phường Hoa Sữa", "code": "P001"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày 31/2/2024 không tồn tại." in html
    assert 'value="31/2/2024"' in html  # what was typed is kept
    assert counts() == before


def test_an_unreadable_date_is_explained(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    response = client.post(
        reverse("orgs:create_child", args=[tree.ward_a1.pk]),
        {"kind": UnitKind.RESIDENTIAL_GROUP, "name": "Tổ mới", "valid_from": "hôm qua"},
    )
    assert response.status_code == 400
    assert "không phải là ngày hợp lệ" in response.content.decode()


def test_moving_a_ward_under_its_own_residential_group_shows_the_cycle_error(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    before = counts()
    response = client.post(reverse("orgs:move", args=[tree.ward_a1.pk]), {"date": DAY, "new_parent": tree.tdp_a1_1.pk})
    assert response.status_code == 400
    assert "vòng lặp" in response.content.decode()
    assert counts() == before


def test_a_duplicate_code_is_shown_on_the_form(tree: SmallTree, personas, client):
    login(client, personas["district_admin"])
    before = counts()
    response = client.post(
        reverse("orgs:create_child", args=[tree.district.pk]),
        {"kind": UnitKind.WARD, "name": "Phường trùng mã", "code": "P002", "valid_from": "1/1/2010"},
    )
    assert response.status_code == 400
    assert "Mã “P002” đang được đơn vị “Phường A2” dùng" in response.content.decode()
    response = client.post(
        reverse("orgs:rename", args=[tree.ward_a1.pk]), {"date": DAY, "name": "Phường A1", "code": "P002"}
    )
    assert response.status_code == 400
    assert "Mã “P002”" in response.content.decode()
    assert counts() == before


def test_moving_under_a_unit_that_does_not_exist_yet_is_refused(tree: SmallTree, personas, client):
    ward_c = services.create_unit(
        None, kind=UnitKind.WARD, name="Phường C", parent=tree.district, valid_from=dt.date(2020, 1, 1), valid_to=REFORM
    )
    login(client, personas["district_admin"])
    before = counts()
    response = client.post(reverse("orgs:move", args=[tree.tdp_a1_1.pk]), {"date": "1/1/2010", "new_parent": ward_c.pk})
    assert response.status_code == 400
    assert "không tồn tại vào ngày 1/1/2010" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("page_name", "unit", "data"),
    [
        ("move", "tdp_a1_1", {"date": DAY, "new_parent": "{new_ward}"}),
        ("merge", "ward_a2", {"date": DAY, "into": "{ward_b}", "move_children": "on"}),
        (
            "split",
            "ward_a2",
            {
                "kind": "split",
                "date": DAY,
                "children_to": "{ward_a1}",
                "nhan-TOTAL_FORMS": "2",
                "nhan-INITIAL_FORMS": "0",
                "nhan-0-successor": "{ward_a1}",
                "nhan-1-successor": "{new_ward}",
            },
        ),
        (
            "split",
            "ward_a2",
            {
                "kind": "dissolve",
                "date": DAY,
                "children_to": "{city}",
                "nhan-TOTAL_FORMS": "1",
                "nhan-INITIAL_FORMS": "0",
            },
        ),
        ("move", "tdp_a1_1", {"date": "31/2/2024", "new_parent": "{new_ward}"}),  # 404 even with another error
        ("move", "tdp_a1_1", {"date": DAY, "new_parent": "999999"}),
        ("move", "tdp_a1_1", {"date": DAY, "new_parent": "không-phải-số"}),
    ],
)
def test_a_crafted_post_naming_a_unit_outside_scope_is_404_and_writes_nothing(
    tree: SmallTree, personas, client, page_name, unit, data
):
    ids = {name: getattr(tree, name).pk for name in ("new_ward", "ward_b", "ward_a1", "city")}
    login(client, personas["district_admin"])
    before = counts()
    posted = {key: value.format(**ids) for key, value in data.items()}
    response = client.post(reverse(f"orgs:{page_name}", args=[getattr(tree, unit).pk]), posted)
    assert response.status_code == 404
    assert counts() == before
