"""The task pages: scope (404 outside it), my tasks, the overdue board, search
without diacritics, actions through POST, refusals that write nothing, and query
counts that do not grow with the number of tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.lib.dates import today
from tiendo.tasks import services
from tiendo.tasks.models import Task, TaskUpdate
from tiendo.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return {
        "city": make_user("tp.tonghop", Role.REVIEWER, tree.city),
        "new_ward": make_user("moi.baocao", Role.REPORTER, tree.new_ward),
        "ward_b": make_user("b.baocao", Role.REPORTER, tree.ward_b),
    }


def _task(tree, people, title="Rà soát hộ nghèo", *, days=30, unit=None):
    return services.create_task(
        people["city"], title=title, expected_output="Báo cáo rà soát", assigned_by=tree.city,
        lead_unit=unit or tree.new_ward, deadline=today() + dt.timedelta(days=days),
    )


def test_ward_reporter_cannot_open_other_wards_task(client, tree, people):
    task = _task(tree, people, unit=tree.ward_b)
    client.force_login(people["new_ward"])
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    client.force_login(people["ward_b"])
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 200


def test_my_tasks_lists_the_wards_task(client, tree, people):
    mine = _task(tree, people, "Chỉnh trang vỉa hè")
    _task(tree, people, "Việc của phường B", unit=tree.ward_b)
    client.force_login(people["new_ward"])
    page = client.get(reverse("tasks:mine")).content.decode()
    assert mine.title in page
    assert "Việc của phường B" not in page


def test_overdue_board_shows_days_overdue(client, tree, people):
    task = _task(tree, people, "Giải phóng mặt bằng", days=-5)
    _task(tree, people, "Còn trong hạn", days=20)
    client.force_login(people["city"])
    page = client.get(reverse("tasks:overdue")).content.decode()
    assert "Giải phóng mặt bằng" in page
    assert "Còn trong hạn" not in page
    assert f'data-testid="days-{task.pk}">5 ngày<' in page


def test_search_without_diacritics_finds_the_task(client, tree, people):
    _task(tree, people, "Chi trả phúc lợi xã hội")
    _task(tree, people, "Sửa đường")
    client.force_login(people["city"])
    page = client.get(reverse("tasks:list"), {"q": "PHUC loi"}).content.decode()
    assert "Chi trả phúc lợi xã hội" in page
    assert "Sửa đường" not in page


def test_reporting_progress_updates_the_page(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    url = reverse("tasks:detail", args=[task.pk])
    response = client.post(url, {"action": "progress", "progress": "40", "text": "Đã rà soát 3 tổ dân phố"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="task-progress">40%<' in page
    assert "Đã rà soát 3 tổ dân phố" in page


def test_completion_without_evidence_is_refused_and_writes_nothing(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    response = client.post(reverse("tasks:detail", args=[task.pk]), {"action": "completion", "evidence": " "})
    assert response.status_code == 400
    assert "Cần có minh chứng hoàn thành" in response.content.decode()
    task.refresh_from_db()
    assert task.completed_on is None and task.progress == 0
    assert not TaskUpdate.objects.exists()


def test_reviewer_sees_no_action_forms_of_the_lead_unit(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["city"])
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'value="progress"' not in page
    assert "Chưa hoàn thành trong hạn" in page


@pytest.mark.parametrize("name", ["tasks:list", "tasks:overdue", "tasks:mine", "tasks:by_unit"])
def test_query_count_does_not_grow_with_tasks(client, tree, people, name):
    client.force_login(people["city"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    for i in range(3):
        _task(tree, people, f"Nhiệm vụ {i}", days=-1 - i)
    few = count()
    for i in range(3, 15):
        _task(tree, people, f"Nhiệm vụ {i}", days=-1 - i, unit=tree.ward_b if i % 2 else tree.new_ward)
    assert count() == few
    assert Task.objects.count() == 15
