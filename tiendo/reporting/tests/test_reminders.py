"""The reminder job and the reviewing office's reminder.

The round of the small tree (quarter III/2024) opens on 20/9/2024, is due on
10/10/2024 and reminds 3 days before; wards A1 and A2 report to district A. The job
is run "on" a day by passing ``today``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.reporting import reminders, services
from tiendo.reporting.management.commands import run_jobs
from tiendo.reporting.models import JobRun, Notification, Round, Schedule
from tiendo.testing import build_reporting, make_user

pytestmark = pytest.mark.django_db

OPENS = dt.date(2024, 9, 20)
DUE = dt.date(2024, 10, 10)


@pytest.fixture
def setup(tree, personas):
    for name in ("ward_reporter", "other_ward_reporter", "district_reviewer"):
        user = personas[name]
        user.email = f"{user.username}@example.vn"
        user.save()
    return build_reporting(tree, opens_on=OPENS, due_on=DUE)


def sent_to(mailoutbox) -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def submit_a1(setup, reporter) -> None:
    entries = [
        services.Entry(setup.a1, setup.households, Decimal(1200)),
        services.Entry(setup.a1, setup.cultured, Decimal(1000)),
    ]
    services.save_figures(reporter, entries)
    services.submit(reporter, setup.a1)


# --- The job ----------------------------------------------------------------------------


def test_running_twice_sends_one_mail_per_rule_and_recipient(setup, mailoutbox):
    first = reminders.run(today=OPENS)
    assert (first.opened, first.due_soon, first.overdue, first.emails) == (2, 0, 0, 2)
    assert sent_to(mailoutbox) == [
        ("a1.baocao@example.vn", "Đã mở đợt báo cáo: Báo cáo tiến độ hằng quý – quý III/2024 (Phường A1)"),
        ("a2.baocao@example.vn", "Đã mở đợt báo cáo: Báo cáo tiến độ hằng quý – quý III/2024 (Phường A2)"),
    ]
    second = reminders.run(today=OPENS)
    assert (second.opened, second.emails) == (0, 0)
    assert len(mailoutbox) == 2
    # A later day of the same stretch (open, not yet due soon) leaves nothing new either.
    reminders.run(today=OPENS + dt.timedelta(days=5))
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(kind=Notification.Kind.OPENED).count() == 2


def test_the_message_names_round_unit_due_date_and_links_to_the_form(setup, mailoutbox, settings):
    settings.SITE_URL = "https://tiendo.example.vn"
    reminders.run(today=OPENS)
    message = next(m for m in mailoutbox if m.to == ["a1.baocao@example.vn"])
    assert "Đơn vị: Phường A1." in message.body
    assert "Hạn nộp: 10/10/2024." in message.body
    form = reverse("reporting:form", args=[setup.round.pk, setup.a1.unit_id])
    assert f"https://tiendo.example.vn{form}" in message.body
    notification = Notification.objects.get(recipient__username="a1.baocao", key=f"opened:{setup.a1.pk}")
    assert notification.url == form and notification.submission == setup.a1


def test_nothing_before_the_round_opens(setup, mailoutbox):
    summary = reminders.run(today=OPENS - dt.timedelta(days=1))
    assert (summary.opened, summary.due_soon, summary.overdue) == (0, 0, 0)
    assert mailoutbox == []


def test_due_soon_within_the_reminder_days_then_overdue_once(setup, mailoutbox):
    reminders.run(today=OPENS)
    assert len(mailoutbox) == 2
    # 4 days before: not yet; 3 days before: due soon, once.
    assert reminders.run(today=DUE - dt.timedelta(days=4)).due_soon == 0
    assert reminders.run(today=DUE - dt.timedelta(days=3)).due_soon == 2
    assert reminders.run(today=DUE).due_soon == 0
    assert len(mailoutbox) == 4
    assert all(m.subject.startswith("Sắp đến hạn nộp: ") for m in mailoutbox[2:])
    assert "Còn 3 ngày đến hạn." in mailoutbox[2].body
    # The due date itself is not late; the day after is, once.
    assert reminders.run(today=DUE).overdue == 0
    assert reminders.run(today=DUE + dt.timedelta(days=1)).overdue == 2
    assert reminders.run(today=DUE + dt.timedelta(days=8)).overdue == 0
    assert len(mailoutbox) == 6
    assert "đã quá hạn 1 ngày" in mailoutbox[4].body


def test_a_round_already_overdue_gets_only_the_overdue_reminder(setup, mailoutbox):
    summary = reminders.run(today=DUE + dt.timedelta(days=3))
    assert (summary.opened, summary.due_soon, summary.overdue) == (0, 0, 2)


def test_no_due_soon_reminder_when_the_round_says_zero_days(setup, mailoutbox):
    Round.objects.filter(pk=setup.round.pk).update(remind_days_before=0)
    reminders.run(today=OPENS)
    assert reminders.run(today=DUE - dt.timedelta(days=1)).due_soon == 0
    assert reminders.run(today=DUE).due_soon == 0


def test_a_unit_that_has_sent_is_not_reminded(setup, personas, mailoutbox):
    submit_a1(setup, personas["ward_reporter"])
    reminders.notifications.send_pending_emails()  # the reviewer's "submitted" message
    mailoutbox.clear()
    summary = reminders.run(today=DUE - dt.timedelta(days=1))
    assert summary.due_soon == 1
    assert [m.to for m in mailoutbox] == [["a2.baocao@example.vn"]]


def test_a_ward_without_reporters_is_reminded_through_the_district_reporters(setup, personas, tree, mailoutbox):
    personas["other_ward_reporter"].role_assignments.all().delete()
    district_reporter = make_user("quan.baocao", Role.REPORTER, tree.district, email="quan.baocao@example.vn")
    reminders.run(today=OPENS)
    assert Notification.objects.filter(recipient=district_reporter, key=f"opened:{setup.a2.pk}").exists()


def test_each_run_is_recorded_with_its_log(setup, mailoutbox):
    reminders.run(today=OPENS)
    run = JobRun.objects.get()
    assert run.name == "reminders" and run.status == JobRun.Status.DONE and run.finished_at is not None
    assert "Thông báo mới: mở đợt 2, sắp đến hạn 0, quá hạn 0." in run.log
    assert "Đã gửi 2 thư điện tử." in run.log


def test_old_finished_runs_are_dropped_failed_ones_kept(setup):
    old = timezone.now() - dt.timedelta(days=reminders.KEEP_DONE_RUNS_DAYS + 1)
    done = JobRun.objects.create(name="reminders", status=JobRun.Status.DONE)
    failed = JobRun.objects.create(name="reminders", status=JobRun.Status.FAILED)
    JobRun.objects.filter(pk__in=[done.pk, failed.pk]).update(started_at=old)
    reminders.run(today=OPENS)
    assert not JobRun.objects.filter(pk=done.pk).exists()
    assert JobRun.objects.filter(pk=failed.pk).exists()


def test_a_failed_run_is_recorded_with_the_traceback_and_raised(setup, monkeypatch):
    def broken() -> int:
        raise RuntimeError("máy chủ thư không trả lời")

    monkeypatch.setattr(reminders.notifications, "send_pending_emails", broken)
    with pytest.raises(RuntimeError):
        reminders.run(today=OPENS)
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED and run.finished_at is not None
    assert "Traceback" in run.log and "máy chủ thư không trả lời" in run.log


# --- Scheduled rounds ---------------------------------------------------------------------


def test_scheduled_rounds_are_opened_once(setup, tree, mailoutbox):
    schedule = Schedule.objects.create(
        data_set=setup.data_set, name="Tiến độ quý", reviewing_unit=tree.district, starts_on=dt.date(2024, 1, 1)
    )
    schedule.units.set([tree.ward_a1, tree.ward_a2])
    # On 25/6/2024 quarter I is long open (and overdue) and quarter II opened on 21/6.
    first = reminders.run(today=dt.date(2024, 6, 25))
    assert first.rounds_opened == 2
    assert sorted(Round.objects.filter(schedule=schedule).values_list("period_start", flat=True)) == [
        dt.date(2024, 1, 1),
        dt.date(2024, 4, 1),
    ]
    q2 = Round.objects.get(schedule=schedule, period_start=dt.date(2024, 4, 1))
    assert (q2.opens_on, q2.due_on) == (dt.date(2024, 6, 21), dt.date(2024, 7, 11))
    # Quarter I fell due on 11/4, more than the reminder horizon ago: no automatic reminder for it.
    assert (first.opened, first.overdue) == (2, 0)
    again = reminders.run(today=dt.date(2024, 6, 25))
    assert again.rounds_opened == 0 and again.opened == 0 and again.overdue == 0
    assert Round.objects.filter(schedule=schedule).count() == 2
    # Quarter III's round exists already (opened by hand in the setup): not opened twice.
    reminders.run(today=dt.date(2024, 9, 25))
    assert Round.objects.filter(data_set=setup.data_set, period_start=dt.date(2024, 7, 1)).count() == 1


def test_no_automatic_reminder_for_ended_units_or_long_past_rounds(setup, tree, mailoutbox):
    long_after = setup.round.due_on + reminders.REMINDER_HORIZON + dt.timedelta(days=1)
    assert reminders.run(today=long_after).overdue == 0
    assert reminders.run(today=setup.round.due_on + dt.timedelta(days=1)).overdue == 2
    setup.a2.unit.valid_to = setup.round.due_on  # the ward ended: nobody to remind
    setup.a2.unit.save()
    Notification.objects.all().delete()
    assert reminders.run(today=setup.round.due_on + dt.timedelta(days=1)).overdue == 1


def test_a_schedule_that_cannot_open_its_round_does_not_stop_the_reminders(setup, tree, mailoutbox):
    schedule = Schedule.objects.create(
        data_set=setup.data_set, name="Sai", reviewing_unit=tree.ward_a1, starts_on=dt.date(2024, 1, 1)
    )
    schedule.units.set([tree.ward_a2])  # A2 is not under A1
    with pytest.raises(ValidationError):
        reminders.run(today=OPENS)
    assert len(mailoutbox) == 2  # the round's reminders still went out
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED
    assert "Không mở được đợt báo cáo theo lịch" in run.log


# --- The command ------------------------------------------------------------------------------


def test_run_jobs_does_one_pass(setup, mailoutbox, capsys):
    call_command("run_jobs", "--date", "20/9/2024")
    assert JobRun.objects.get().status == JobRun.Status.DONE
    assert len(mailoutbox) == 2
    assert "Đã gửi 2 thư điện tử." in capsys.readouterr().out


class StopLoop(BaseException):
    pass


def test_run_jobs_loop_goes_on_after_a_failed_pass(setup, monkeypatch):
    calls: list[str] = []

    def run(today=None, now=None):
        calls.append("run")
        if len(calls) == 1:
            raise RuntimeError("lỗi một lần")
        return reminders.Summary(lines=["ok"])

    sleeps: list[int] = []

    def sleep(seconds: int) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise StopLoop

    monkeypatch.setattr(run_jobs.reminders, "run", run)
    monkeypatch.setattr(run_jobs.time, "sleep", sleep)
    with pytest.raises(StopLoop):
        call_command("run_jobs", "--loop", "60")
    assert calls == ["run", "run", "run"] and sleeps == [60, 60, 60]


def test_run_jobs_refuses_a_tiny_interval_and_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_jobs", "--loop", "1")
    with pytest.raises(CommandError):
        call_command("run_jobs", "--date", "31/2/2024")


# --- The reviewing office's reminder --------------------------------------------------------------


def test_manual_reminder_once_a_day_per_recipient_and_audited(setup, personas, mailoutbox):
    reviewer = personas["district_reviewer"]
    day = DUE + dt.timedelta(days=2)
    assert reminders.remind_late(reviewer, setup.round, today=day) == 2
    assert reminders.remind_late(reviewer, setup.round, today=day) == 0
    assert reminders.remind_late(reviewer, setup.round, today=day + dt.timedelta(days=1)) == 2
    keys = set(Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list("key", flat=True))
    assert f"manual:{setup.a1.pk}:2024-10-12" in keys and f"manual:{setup.a2.pk}:2024-10-13" in keys
    entries = AuditEntry.objects.filter(object_id=str(setup.round.pk), content_type__model="round", actor=reviewer)
    assert entries.count() == 2
    assert "Nhắc nộp báo cáo: 2 người" in entries.first().reason


def test_manual_reminder_skips_units_that_have_sent(setup, personas):
    submit_a1(setup, personas["ward_reporter"])
    assert reminders.remind_late(personas["district_reviewer"], setup.round, today=DUE) == 1
    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER, submission=setup.a1).exists()


def test_manual_reminder_leaves_out_units_that_have_ended(setup, personas):
    assert reminders.remind_late(personas["district_reviewer"], setup.round, today=DUE) == 2
    assert reminders.remind_late(personas["district_reviewer"], setup.round, today=date_after_reform()) == 0


def date_after_reform() -> dt.date:
    from tiendo.testing import REFORM

    return REFORM + dt.timedelta(days=1)


def test_manual_reminder_refused_to_a_non_reviewer_and_before_opening(setup, personas):
    with pytest.raises(ValidationError):
        reminders.remind_late(personas["ward_reporter"], setup.round, today=DUE)
    with pytest.raises(ValidationError):
        reminders.remind_late(personas["district_reviewer"], setup.round, today=OPENS - dt.timedelta(days=1))
    assert not Notification.objects.exists()


def remind_url(setup) -> str:
    return reverse("reporting:remind", args=[setup.round.pk])


def test_remind_button_sends_and_says_how_many(tree, personas, client, mailoutbox):
    # Today's wards (the test tree's old wards ended in 2025, and ended units are not reminded).
    current = build_reporting(tree, "2025-Q4", units=[tree.new_ward, tree.ward_b], reviewing_unit=tree.city)
    make_user("moi.baocao", Role.REPORTER, tree.new_ward, email="moi@example.vn")
    make_user("b.baocao", Role.REPORTER, tree.ward_b, email="b@example.vn")
    client.force_login(make_user("tp.tonghop", Role.REVIEWER, tree.city))
    response = client.post(remind_url(current))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:round", args=[current.round.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã gửi nhắc nhở đến 2 người."]
    again = client.post(remind_url(current))
    assert "Không gửi thêm nhắc nhở nào" in [str(m) for m in get_messages(again.wsgi_request)][-1]
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [("ward_reporter", 403), ("district_viewer", 403), ("other_district_reviewer", 404), ("outsider", 404)],
)
def test_remind_button_scope(setup, personas, tree, client, who, status):
    personas["other_district_reviewer"] = make_user("moi.tonghop", Role.REVIEWER, tree.new_ward)
    client.force_login(personas[who])
    assert client.post(remind_url(setup)).status_code == status
    assert not Notification.objects.exists()


def test_remind_needs_post_and_a_login(setup, personas, client):
    assert client.post(remind_url(setup)).status_code == 302  # to the login page
    client.force_login(personas["district_reviewer"])
    assert client.get(remind_url(setup)).status_code == 405
