"""Task reminders: one digest per person and run, each rule once per task and person,
through the reminder job (``tiendo.reporting.reminders.run``) and on their own.

The job is run "on" ``DAY`` by passing ``today``; tasks are led by the units of the
present tree (Phường Mới, Phường B, under the city), with ``TASK_DUE_SOON_DAYS`` = 3.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tiendo.accounts.models import Role
from tiendo.lib.vn import format_date
from tiendo.reporting import reminders as job
from tiendo.reporting.models import JobRun, Notification
from tiendo.tasks import reminders, services
from tiendo.tasks.models import Task, TaskReminder
from tiendo.testing import make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def soon_days(settings):
    settings.TASK_DUE_SOON_DAYS = 3


@pytest.fixture
def people(tree, personas):
    return {
        "moi1": make_user("moi.bc1", Role.REPORTER, tree.new_ward, email="moi1@example.vn"),
        "moi2": make_user("moi.bc2", Role.REPORTER, tree.new_ward, email="moi2@example.vn"),
        "b": make_user("b.bc", Role.REPORTER, tree.ward_b, email="b@example.vn"),
    }


def task(tree, unit, deadline: dt.date, title: str = "Nhiệm vụ", **extra) -> Task:
    return services.create_task(
        None, title=title, expected_output="Báo cáo", assigned_by=tree.city, lead_unit=unit, deadline=deadline, **extra
    )


def digests() -> list[Notification]:
    return list(Notification.objects.filter(key__startswith="task_digest:").order_by("recipient_id", "pk"))


def test_one_digest_per_person_and_running_twice_sends_nothing_more(tree, people, mailoutbox):
    task(tree, tree.new_ward, days(-2), "Sửa trụ sở")
    task(tree, tree.new_ward, DAY, "Báo cáo dân số")
    task(tree, tree.new_ward, days(2), "Kế hoạch hè")
    task(tree, tree.new_ward, days(3), "Tổng kết phong trào")
    task(tree, tree.new_ward, days(4), "Chưa đến lúc nhắc")  # outside the 3-day window
    task(tree, tree.ward_b, days(1), "Rà soát hộ nghèo")

    first = job.run(today=DAY)
    assert first.task_digests == 3
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("b@example.vn", "Nhiệm vụ cần chú ý: 1 sắp đến hạn"),
        ("moi1@example.vn", "Nhiệm vụ cần chú ý: 1 quá hạn, 1 đến hạn hôm nay, 2 sắp đến hạn"),
        ("moi2@example.vn", "Nhiệm vụ cần chú ý: 1 quá hạn, 1 đến hạn hôm nay, 2 sắp đến hạn"),
    ]
    body = next(m.body for m in mailoutbox if m.to == ["moi1@example.vn"])
    assert "Sửa trụ sở. Thời hạn: 8/3/2026. Đơn vị chủ trì: Phường Mới. Đã quá hạn 2 ngày." in body
    assert f"Báo cáo dân số. Thời hạn: {format_date(DAY)}." in body
    assert "Kế hoạch hè" in body and "Tổng kết phong trào" in body and "Chưa đến lúc nhắc" not in body
    assert body.index("Quá hạn") < body.index("Đến hạn hôm nay") < body.index("Sắp đến hạn")
    assert body.rstrip().endswith("/nhiem-vu/")
    assert all(n.kind == Notification.Kind.TASKS and n.url == "/nhiem-vu/" for n in digests())
    assert TaskReminder.objects.count() == 4 * 2 + 1

    mailoutbox.clear()
    second = job.run(today=DAY)
    assert (second.task_digests, second.emails) == (0, 0)
    assert mailoutbox == []
    assert len(digests()) == 3
    assert "Nhiệm vụ: tạo 0 kỳ định kỳ mới, gửi 0 thông báo tổng hợp." in JobRun.objects.latest("pk").log


def test_a_new_rule_on_a_later_day_sends_a_new_digest_with_only_that_rule(tree, people, mailoutbox):
    due_today = task(tree, tree.ward_b, DAY, "Báo cáo dân số")
    task(tree, tree.ward_b, days(3), "Kế hoạch hè")
    job.run(today=DAY)
    assert [m.subject for m in mailoutbox] == ["Nhiệm vụ cần chú ý: 1 đến hạn hôm nay, 1 sắp đến hạn"]

    mailoutbox.clear()
    job.run(today=days(1))  # the first task is now overdue; the second was already reminded as "soon"
    assert [m.subject for m in mailoutbox] == ["Nhiệm vụ cần chú ý: 1 quá hạn"]
    assert "Báo cáo dân số" in mailoutbox[0].body and "Kế hoạch hè" not in mailoutbox[0].body

    mailoutbox.clear()
    job.run(today=days(2))  # overdue is said once, not every day
    assert mailoutbox == []
    job.run(today=days(3))
    assert [m.subject for m in mailoutbox] == ["Nhiệm vụ cần chú ý: 1 đến hạn hôm nay"]
    assert set(TaskReminder.objects.filter(task=due_today).values_list("rule", flat=True)) == {"due", "overdue"}


def test_a_task_assigned_inside_the_window_is_reminded_at_once_and_the_same_day_again_for_a_new_task(
    tree, people, mailoutbox
):
    task(tree, tree.ward_b, days(1), "Gấp")
    assert reminders.remind_tasks(DAY) == 1
    task(tree, tree.ward_b, days(2), "Giao thêm chiều nay")
    assert reminders.remind_tasks(DAY) == 1  # a second digest the same day, with only the new task
    assert reminders.remind_tasks(DAY) == 0
    later = digests()[-1]
    assert "Giao thêm chiều nay" in later.body and "Gấp" not in later.body


def test_confirmed_tasks_ended_units_and_old_backlog_are_skipped(tree, personas, people):
    done = task(tree, tree.ward_b, DAY, "Đã xong")
    Task.objects.filter(pk=done.pk).update(completed_on=DAY, confirmed_at=timezone.now())
    Task.objects.create(  # ward A1 ended on 1/7/2025; services refuse new tasks for it
        title="Của phường cũ",
        expected_output="Báo cáo",
        assigned_by=tree.district,
        lead_unit=tree.ward_a1,
        deadline=DAY,
    )
    task(tree, tree.ward_b, DAY - reminders.HORIZON - dt.timedelta(days=1), "Tồn đọng từ lâu")
    assert reminders.remind_tasks(DAY) == 0
    assert not Notification.objects.exists()


def test_a_unit_without_reporters_is_reminded_through_its_nearest_ancestor(tree, personas):
    city = make_user("tp.bc", Role.REPORTER, tree.city)
    task(tree, tree.ward_b, DAY)  # Phường B has no reporter here
    assert reminders.remind_tasks(DAY) == 1
    assert [n.recipient for n in digests()] == [city]


def test_soon_turned_off(tree, people, settings):
    settings.TASK_DUE_SOON_DAYS = 0
    task(tree, tree.ward_b, days(1))
    assert reminders.remind_tasks(DAY) == 0


def test_the_job_creates_next_months_occurrences_of_recurring_tasks_once(tree, people):
    series = task(tree, tree.ward_b, days(-20), "Báo cáo tháng", recurrence=Task.Recurrence.MONTHLY)
    first = job.run(today=DAY)  # up to 10/4/2026: the occurrence due 18/3/2026
    assert first.task_occurrences == 1
    assert list(series.occurrences.values_list("deadline", flat=True)) == [dt.date(2026, 3, 18)]
    assert job.run(today=DAY).task_occurrences == 0
    assert "Nhiệm vụ: tạo 1 kỳ định kỳ mới" in JobRun.objects.order_by("pk").first().log
