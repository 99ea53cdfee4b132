"""Directives and tasks through the services: status by Hà Nội days, recurrence,
sub-tasks, completion, extensions, and refusals that write nothing."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tiendo.audit.models import AuditEntry
from tiendo.tasks import services
from tiendo.tasks.models import DeadlineChange, Directive, Task
from tiendo.tasks.status import TaskStatus, task_status

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2024, 3, 1)
DEADLINE = dt.date(2024, 6, 30)


@pytest.fixture
def directive(tree, personas):
    return services.create_directive(
        personas["district_admin"], kind=Directive.Kind.CONCLUSION, number="01-KL/QU", issued_on=ISSUED,
        issuer=tree.district, title="Kết luận của Ban Thường vụ Quận ủy về xây dựng chính quyền đô thị",
    )


@pytest.fixture
def task(tree, personas, directive):
    with mock.patch("tiendo.tasks.services.today", return_value=dt.date(2024, 3, 2)):
        return services.create_task(
            personas["district_reviewer"], title="Rà soát, sắp xếp tổ dân phố", expected_output="Đề án sắp xếp tổ dân phố",
            assigned_by=tree.district, lead_unit=tree.ward_a1, deadline=DEADLINE, directive=directive,
            coordinating_units=[tree.agency],
        )


@pytest.mark.parametrize(
    ("completed_on", "confirmed", "today", "expected"),
    [
        (None, False, dt.date(2024, 6, 1), TaskStatus.IN_TIME),
        (None, False, dt.date(2024, 6, 23), TaskStatus.DUE_SOON),  # 7 days before
        (None, False, DEADLINE, TaskStatus.DUE_SOON),  # the deadline itself is still in time
        (None, False, DEADLINE + dt.timedelta(days=1), TaskStatus.OVERDUE),
        (DEADLINE, True, dt.date(2024, 8, 1), TaskStatus.DONE_ON_TIME),
        (DEADLINE + dt.timedelta(days=1), True, dt.date(2024, 8, 1), TaskStatus.DONE_LATE),
        (DEADLINE, False, DEADLINE + dt.timedelta(days=1), TaskStatus.OVERDUE),  # reported, not confirmed
    ],
)
def test_status_by_day(completed_on, confirmed, today, expected):
    assert task_status(DEADLINE, completed_on, confirmed, today, due_soon_days=7) == expected


def test_a_task_finished_late_in_the_evening_in_ha_noi_is_on_time(task, personas, tree):
    # 23:30 on the deadline in Hà Nội is 16:30 UTC the same day; 00:30 the next day is 17:30 UTC.
    evening = dt.datetime(2024, 6, 30, 16, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=evening):
        done = services.report_completion(personas["ward_reporter"], task, evidence="Đề án số 12/ĐA-UBND")
    assert done.completed_on == DEADLINE
    after_midnight = dt.datetime(2024, 6, 30, 17, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=after_midnight):
        assert timezone.localdate() == DEADLINE + dt.timedelta(days=1)


def test_deadline_before_the_directive_and_missing_lead_unit_are_refused_and_nothing_written(tree, personas, directive):
    before = (Task.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.create_task(
            personas["district_reviewer"], title="Nhiệm vụ", expected_output="", assigned_by=tree.district,
            lead_unit=None, deadline=ISSUED - dt.timedelta(days=1), directive=directive,
        )
    errors = refused.value.message_dict
    assert "trước ngày ban hành văn bản 1/3/2024" in errors["deadline"][0]
    assert errors["lead_unit"] == ["Cần chọn đơn vị chủ trì."]
    assert "sản phẩm" in errors["expected_output"][0]
    assert (Task.objects.count(), AuditEntry.objects.count()) == before


def test_no_new_task_for_a_unit_that_has_ended(tree, personas):
    with pytest.raises(ValidationError, match="không tồn tại ngày"):
        services.create_task(
            personas["district_admin"], title="X", expected_output="Y", assigned_by=tree.district,
            lead_unit=tree.ward_a1, deadline=dt.date(2030, 1, 1),
        )
    # An assignment of 2024, recorded later, is accepted.
    recorded = services.create_task(
        personas["district_admin"], title="X", expected_output="Y", assigned_by=tree.district,
        lead_unit=tree.ward_a1, deadline=dt.date(2024, 12, 31), assigned_on=dt.date(2024, 3, 1),
    )
    assert recorded.lead_unit == tree.ward_a1


def test_a_ward_cannot_assign_for_the_district(tree, personas):
    with pytest.raises(ValidationError):
        services.create_task(
            personas["ward_reporter"], title="X", expected_output="Y", assigned_by=tree.district,
            lead_unit=tree.ward_a2, deadline=DEADLINE,
        )


def test_progress_completion_needs_evidence_and_confirmation_by_the_assigning_level(task, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    with pytest.raises(ValidationError):
        services.report_progress(personas["other_ward_reporter"], task, progress=50, text="Đã họp")
    services.report_progress(reporter, task, progress=40, text="Đã họp các tổ dân phố")
    with pytest.raises(ValidationError) as refused:
        services.report_completion(reporter, task, evidence="  ")
    assert "minh chứng" in refused.value.message_dict["evidence"][0]
    services.report_completion(reporter, task, evidence="Đề án số 12/ĐA-UBND", on=dt.date(2024, 6, 20))
    with pytest.raises(ValidationError):
        services.confirm_completion(reporter, task)  # the ward does not confirm its own task
    services.confirm_completion(reviewer, task)
    task.refresh_from_db()
    assert task_status(task.deadline, task.completed_on, task.is_confirmed, dt.date(2024, 7, 5)) == TaskStatus.DONE_ON_TIME
    assert list(task.updates.values_list("progress", flat=True)) == [40]


def test_sub_tasks_roll_up_into_the_parent(tree, personas):
    from tiendo.accounts.models import Role
    from tiendo.testing import make_user

    city_office = make_user("tp.tonghop", Role.REVIEWER, tree.city)
    parent = services.create_task(
        city_office, title="Chỉnh trang đô thị", expected_output="Báo cáo kết quả",
        assigned_by=tree.city, lead_unit=tree.city, deadline=dt.date(2030, 12, 31),
    )
    a1, a2 = services.split_task(
        city_office, parent, [(tree.new_ward, dt.date(2030, 11, 30)), (tree.ward_b, dt.date(2030, 11, 30))]
    )
    services.report_progress(make_user("moi.bc", Role.REPORTER, tree.new_ward), a1, progress=80, text="Xong 8/10 tuyến")
    services.report_progress(make_user("b.bc", Role.REPORTER, tree.ward_b), a2, progress=20, text="Xong 2/10 tuyến")
    parent.refresh_from_db()
    assert parent.progress == 50
    with pytest.raises(ValidationError, match="không được sau thời hạn"):
        services.split_task(city_office, parent, [(tree.new_ward, dt.date(2031, 1, 1))])


def test_extension_moves_the_deadline_and_keeps_the_old_one(task, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    with pytest.raises(ValidationError):
        services.request_extension(reporter, task, new_deadline=DEADLINE, reason="Chờ số liệu")
    change = services.request_extension(reporter, task, new_deadline=dt.date(2024, 7, 31), reason="Chờ ý kiến của Sở")
    with pytest.raises(ValidationError):
        services.request_extension(reporter, task, new_deadline=dt.date(2024, 8, 31), reason="Lần nữa")
    services.decide_extension(reviewer, change, approve=True)
    task.refresh_from_db()
    assert task.deadline == dt.date(2024, 7, 31)
    assert list(task.deadline_changes.values_list("old_deadline", "state")) == [(DEADLINE, DeadlineChange.State.APPROVED)]


def test_recurring_tasks_create_each_occurrence_once(tree, personas):
    series = services.create_task(
        personas["system_admin"], title="Báo cáo tình hình an ninh trật tự", expected_output="Báo cáo tháng",
        assigned_by=tree.city, lead_unit=tree.new_ward, deadline=dt.date(2024, 1, 31),
        recurrence=Task.Recurrence.MONTHLY, recurs_until=dt.date(2024, 12, 31),
    )
    first = services.create_occurrences(dt.date(2024, 4, 30))
    assert [t.deadline for t in first] == [dt.date(2024, 2, 29), dt.date(2024, 3, 31), dt.date(2024, 4, 30)]
    assert services.create_occurrences(dt.date(2024, 4, 30)) == []
    assert series.occurrences.count() == 3
