"""Reporting on time: a round's progress and a unit's record, judged as days in Hà Nội.

The round of quarter III/2024 is due on 10/10/2024.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tiendo.lib import periods
from tiendo.reporting import services, timeliness
from tiendo.reporting.models import Submission
from tiendo.testing import build_reporting

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = dt.date(2024, 10, 10)


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree, opens_on=dt.date(2024, 9, 20), due_on=DUE)


def sent(submission: Submission, moment: dt.datetime, state: str = Submission.State.SUBMITTED) -> None:
    Submission.objects.filter(pk=submission.pk).update(first_submitted_at=moment, submitted_at=moment, state=state)


def test_sent_at_23_30_on_the_due_date_is_on_time_and_00_30_the_next_day_is_late(setup):
    # 23:30 in Hà Nội is 16:30 UTC the same day; 00:30 the next day is 17:30 UTC, still
    # the due date in UTC, yet one day late.
    sent(setup.a1, dt.datetime(2024, 10, 10, 23, 30, tzinfo=HANOI))
    sent(setup.a2, dt.datetime(2024, 10, 11, 0, 30, tzinfo=HANOI))
    progress = timeliness.round_progress(setup.round, today=dt.date(2024, 10, 20))
    assert (progress.total, progress.sent, progress.sent_on_time, progress.sent_late) == (2, 2, 1, 1)
    assert progress.summary == "2/2 đơn vị đã nộp, 1 đúng hạn"
    a1, a2 = progress.rows
    assert (a1.unit_name, a1.days_late, a1.on_time, a1.timeliness_text) == ("Phường A1", 0, True, "đúng hạn")
    assert (a2.unit_name, a2.days_late, a2.on_time, a2.timeliness_text) == ("Phường A2", 1, False, "chậm 1 ngày")
    setup.a1.refresh_from_db()
    assert setup.a1.on_time is True  # the model's own reading agrees


def test_progress_counts_states_and_units_late_without_sending(setup):
    sent(setup.a1, dt.datetime(2024, 10, 5, 9, 0, tzinfo=HANOI), Submission.State.APPROVED)
    before_due = timeliness.round_progress(setup.round, today=DUE)
    assert before_due.summary == "1/2 đơn vị đã nộp, 1 đúng hạn"
    assert (before_due.approved, before_due.waiting, before_due.returned, before_due.late_not_sent) == (1, 0, 0, 0)
    assert before_due.not_sent == 1
    after_due = timeliness.round_progress(setup.round, today=DUE + dt.timedelta(days=3))
    assert after_due.late_not_sent == 1
    a2 = next(row for row in after_due.rows if row.submission.pk == setup.a2.pk)
    assert (a2.days_late, a2.overdue_days, a2.timeliness_text) == (None, 3, "chưa nộp, quá hạn 3 ngày")
    Submission.objects.filter(pk=setup.a1.pk).update(state=Submission.State.RETURNED)
    returned = timeliness.round_progress(setup.round, today=DUE)
    assert (returned.returned, returned.sent, returned.approved) == (1, 1, 0)  # sent once stays sent


def test_progress_takes_a_fixed_number_of_queries(setup, tree, django_assert_num_queries):
    with django_assert_num_queries(3):  # the counts, the submissions, their units' versions
        progress = timeliness.round_progress(setup.round, today=DUE)
        [str(row.submission.unit) for row in progress.rows]


def other_round(setup, tree, code: str) -> Submission:
    period = periods.parse(code)
    round_ = services.open_round(
        None,
        data_set=setup.data_set,
        period=period,
        reviewing_unit=tree.district,
        units=[tree.ward_a1, tree.ward_a2],
        opens_on=period.last_day - dt.timedelta(days=10),
        due_on=period.end + dt.timedelta(days=10),
    )
    return round_.submissions.get(unit=tree.ward_a1)


def test_unit_history_judges_every_round_of_the_unit(setup, tree):
    q2 = other_round(setup, tree, "2024-Q2")  # due 11/7/2024
    q4 = other_round(setup, tree, "2024-Q4")  # due 11/1/2025
    sent(q2, dt.datetime(2024, 7, 14, 8, 0, tzinfo=HANOI))  # 3 days late
    sent(setup.a1, dt.datetime(2024, 10, 10, 23, 30, tzinfo=HANOI))  # on time
    history = timeliness.unit_history(tree.ward_a1, today=dt.date(2024, 12, 1))
    assert [row.round.period.code for row in history.rows] == ["2024-Q4", "2024-Q3", "2024-Q2"]
    assert [row.status for row in history.rows] == ["pending", "on_time", "late"]
    assert [row.timeliness_text for row in history.rows] == ["chưa nộp", "đúng hạn", "chậm 3 ngày"]
    assert (history.judged, history.on_time, history.late) == (2, 1, 1)
    assert history.summary == "1/2 kỳ nộp đúng hạn"
    # Once quarter IV is past due without a report, it counts against the unit.
    later = timeliness.unit_history(tree.ward_a1, today=dt.date(2025, 1, 15))
    assert later.summary == "1/3 kỳ nộp đúng hạn"
    assert later.rows[0].timeliness_text == "chưa nộp, quá hạn 4 ngày"
    assert q4.pk == later.rows[0].submission.pk


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_unit_page_shows_the_numbers(setup, tree, personas, client):
    q2 = other_round(setup, tree, "2024-Q2")
    sent(q2, dt.datetime(2024, 7, 14, 8, 0, tzinfo=HANOI))
    sent(setup.a1, dt.datetime(2024, 10, 10, 23, 30, tzinfo=HANOI))
    client.force_login(personas["ward_reporter"])
    response = client.get(reverse("reporting:unit_timeliness", args=[tree.ward_a1.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "1/2 kỳ nộp đúng hạn" in text
    assert "Quý III/2024" in text and "10/10/2024" in text and "23:30 10/10/2024" in text
    assert "đúng hạn" in text and "chậm 3 ngày" in text


@pytest.mark.parametrize(
    ("who", "status"), [("district_reviewer", 200), ("other_ward_reporter", 404), ("outsider", 404)]
)
def test_the_unit_page_is_scoped(setup, tree, personas, client, who, status):
    client.force_login(personas[who])
    assert client.get(reverse("reporting:unit_timeliness", args=[tree.ward_a1.pk])).status_code == status


def test_the_unit_page_of_a_unit_without_rounds(tree, personas, client):
    client.force_login(personas["district_viewer"])
    response = client.get(reverse("reporting:unit_timeliness", args=[tree.agency.pk]))
    assert response.status_code == 200
    assert "chưa phải báo cáo trong đợt nào" in response.content.decode()
