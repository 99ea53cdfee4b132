"""The notifications page, opening and marking notifications read, and the unread
count in every page's header."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from tiendo.reporting import notifications
from tiendo.reporting.context_processors import notifications as unread_context
from tiendo.reporting.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/bao-cao/thong-bao/"


def leave(user, key: str, subject: str, url: str = "/don-vi/") -> Notification:
    notifications.notify([user], kind=Notification.Kind.OPENED, key=key, subject=subject, url=url)
    return Notification.objects.get(recipient=user, key=key)


@pytest.fixture
def mine(personas):
    reporter = personas["ward_reporter"]
    return [leave(reporter, f"k{i}", f"Thông báo số {i}") for i in range(3)]


def test_the_page_lists_my_notifications_newest_first_unread_highlighted(personas, mine, client):
    leave(personas["other_ward_reporter"], "k-other", "Thông báo của người khác")
    Notification.objects.filter(pk=mine[0].pk).update(read_at=mine[0].created_at)
    client.force_login(personas["ward_reporter"])
    response = client.get(reverse("reporting:notifications"))
    assert reverse("reporting:notifications") == LIST
    html = response.content.decode()
    assert "Thông báo của người khác" not in html
    positions = [html.index(f"Thông báo số {i}") for i in (2, 1, 0)]
    assert positions == sorted(positions)
    assert html.count('class="is-current" data-testid="notification"') == 2
    assert "2 thông báo chưa đọc" in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(personas, mine, client):
    client.force_login(personas["ward_reporter"])
    response = client.get(reverse("reporting:notification", args=[mine[1].pk]))
    assert response.status_code == 302 and response["Location"] == "/don-vi/"
    mine[1].refresh_from_db()
    assert mine[1].read_at is not None
    assert notifications.unread_count(personas["ward_reporter"]) == 2


def test_a_notification_pointing_elsewhere_goes_to_the_list(personas, client):
    note = leave(personas["ward_reporter"], "k-ext", "Ngoài", url="https://evil.example/")
    client.force_login(personas["ward_reporter"])
    response = client.get(reverse("reporting:notification", args=[note.pk]))
    assert response["Location"] == LIST


def test_another_users_notification_is_not_found(personas, mine, client):
    client.force_login(personas["other_ward_reporter"])
    assert client.get(reverse("reporting:notification", args=[mine[0].pk])).status_code == 404
    assert client.post(reverse("reporting:notifications_read"), {"pk": mine[0].pk}).status_code == 404
    assert client.post(reverse("reporting:notifications_read"), {"pk": "x"}).status_code == 404
    client.post(reverse("reporting:notifications_read"))  # "all": only the user's own
    assert notifications.unread_count(personas["ward_reporter"]) == 3


def test_mark_one_then_all_read(personas, mine, client):
    client.force_login(personas["ward_reporter"])
    response = client.post(reverse("reporting:notifications_read"), {"pk": mine[2].pk})
    assert response.status_code == 302 and response["Location"] == LIST
    assert notifications.unread_count(personas["ward_reporter"]) == 2
    client.post(reverse("reporting:notifications_read"))
    assert notifications.unread_count(personas["ward_reporter"]) == 0
    assert client.get(reverse("reporting:notifications_read")).status_code == 405


def test_the_header_shows_the_unread_count(personas, mine, client):
    client.force_login(personas["ward_reporter"])
    html = client.get(reverse("web:home")).content.decode()
    assert 'href="/bao-cao/thong-bao/"' in html
    assert '<strong data-testid="unread-count">3</strong>' in html
    assert 'href="/bao-cao/"' in html  # the "Báo cáo" link
    client.force_login(personas["other_ward_reporter"])
    html = client.get(reverse("web:home")).content.decode()
    assert "unread-count" not in html


def test_the_unread_count_is_one_query_and_none_for_visitors(personas, mine, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = personas["ward_reporter"]
    context = unread_context(request)
    with django_assert_num_queries(1):
        assert int(str(context["unread_notifications"])) == 3
        assert bool(context["unread_notifications"])  # evaluated once
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_context(request)["unread_notifications"] == 0


def test_the_page_needs_a_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
