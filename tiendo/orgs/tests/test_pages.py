"""The tree browser and the unit page: what a user sees, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.orgs import services
from tiendo.orgs.models import UnitKind
from tiendo.testing import FOUNDED, REFORM, grow, make_user

MAX_QUERIES = 13  # session, user, roles, scope paths, then the page's own reads
# The unit page also lists its indicators ("Chỉ tiêu" card): the indicators, their
# targets, the unit's latest figures and the rollup (at most three), whatever their number.
UNIT_PAGE_QUERIES = MAX_QUERIES + 7  # + the unread-notifications count in the header


@pytest.mark.parametrize("size", [(0, 0), (12, 8)])
def test_tree_page_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    grow(tree.district, *size, until=REFORM)
    client.force_login(personas["city_viewer"])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("orgs:tree"), {"ngay": "1/1/2020"})
    assert response.status_code == 200
    if size[0]:
        assert "TDP 11-7" in response.content.decode()


@pytest.mark.parametrize("size", [(0, 0), (12, 8)])
def test_unit_page_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    grow(tree.district, *size, until=REFORM)
    for n in range(5):
        make_user(f"them.{n}", Role.VIEWER, tree.district)
    client.force_login(personas["city_viewer"])
    with django_assert_max_num_queries(UNIT_PAGE_QUERIES):
        response = client.get(reverse("orgs:detail", args=[tree.district.pk]), {"ngay": "1/1/2020"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [(0, 0), (12, 8)])
def test_search_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    grow(tree.district, *size, until=REFORM)
    client.force_login(personas["city_viewer"])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("orgs:tree"), {"q": "tdp", "ngay": "1/1/2020"})
    assert response.status_code == 200


def test_search_ignores_diacritics_and_case(tree, personas, client):
    services.create_unit(None, kind=UnitKind.PARTY_COMMITTEE, name="Đảng ủy phường A1", parent=tree.ward_a1, valid_from=FOUNDED, valid_to=REFORM)
    client.force_login(personas["city_viewer"])
    for query in ("dang uy", "ĐẢNG ỦY", "đảng ủy phường a1"):
        page = client.get(reverse("orgs:tree"), {"q": query, "ngay": "1/1/2020"}).content.decode()
        assert "Đảng ủy phường A1" in page, query
    page = client.get(reverse("orgs:tree"), {"q": "phuong a1", "ngay": "1/1/2020"}).content.decode()
    assert "Phường A1" in page


def test_search_finds_units_that_no_longer_exist(tree, personas, client):
    client.force_login(personas["city_viewer"])
    page = client.get(reverse("orgs:tree"), {"q": "phuong a2"}).content.decode()
    assert "Khớp ở các thời điểm khác" in page and "Phường A2" in page


def test_unit_page_shows_details_members_and_reorganisation_history(tree, personas, client):
    client.force_login(personas["city_viewer"])
    page = client.get(reverse("orgs:detail", args=[tree.ward_a1.pk])).content.decode()
    assert "Phường A1" in page and "P001" in page
    assert "đã kết thúc từ ngày 1/7/2025" in page
    assert "Phường Mới" in page and "75%" in page and "25%" in page  # successors with shares
    assert "a1.baocao" in page and "Cán bộ báo cáo" in page  # members with roles
    assert "Nghị quyết thử" in page


def test_unit_page_on_a_date_shows_the_children_of_that_date(tree, personas, client):
    client.force_login(personas["city_viewer"])
    before = client.get(reverse("orgs:detail", args=[tree.city.pk]), {"ngay": "30/6/2025"}).content.decode()
    after = client.get(reverse("orgs:detail", args=[tree.city.pk]), {"ngay": "1/7/2025"}).content.decode()
    assert "Quận A" in before and "Phường Mới" not in before
    assert "Phường Mới" in after


def test_a_bad_date_is_explained_and_today_is_shown(tree, personas, client):
    client.force_login(personas["city_viewer"])
    page = client.get(reverse("orgs:tree"), {"ngay": "31/2/2024"}).content.decode()
    assert "Ngày 31/2/2024 không tồn tại" in page
    assert "Đang hiển thị ngày hôm nay" in page


def test_history_page_shows_who_changed_what(tree, personas, client):
    services.rename_unit(personas["district_admin"], tree.ward_a2, date=dt.date(2010, 1, 1), name="Phường A2 đổi tên")
    client.force_login(personas["city_viewer"])
    page = client.get(reverse("orgs:history", args=[tree.ward_a2.pk])).content.decode()
    assert "quan.quantri" in page and "Phường A2 đổi tên" in page and "Sửa" in page


def test_pages_escape_names(tree, personas, client):
    services.create_unit(None, kind=UnitKind.RESIDENTIAL_GROUP, name="<script>alert(1)</script>", parent=tree.ward_a2, valid_from=FOUNDED, valid_to=REFORM)
    client.force_login(personas["city_viewer"])
    page = client.get(reverse("orgs:tree"), {"ngay": "1/1/2020"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_english_is_available_through_the_language_switch(tree, personas, client):
    client.force_login(personas["city_viewer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:home")).content.decode()
    assert 'lang="en"' in page
