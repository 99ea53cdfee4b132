"""Reminders (nhắc nộp báo cáo): the job that opens the rounds schedules call for and
tells each unit what it still owes, and the reminder the reviewing office sends by hand.

Every reminder is a ``Notification`` whose key names the rule and the occasion, so
the job can run every few minutes, on several servers at once, and still leave each
message once per recipient:

- ``opened:<submission>``: the round is open and the unit has not sent its report;
- ``due_soon:<submission>``: the due date is at most ``round.remind_days_before``
  days away (0 turns this reminder off);
- ``overdue:<submission>``: the due date has passed and nothing was sent. Once only,
  not weekly: after that the reviewing office decides when to chase a unit, with the
  manual reminder below, which is audited; a machine repeating itself every week
  teaches people to ignore it;
- ``manual:<submission>:<date>``: the office's reminder, at most once a day.

On one run a unit gets the most pressing of the first three that applies (no
"opened" for a round already overdue). Only reports never sent count: a report sent
back or reopened is the reviewer's conversation with the unit, already notified.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiendo.accounts.models import Role
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.lib.dates import local_date
from tiendo.lib.vn import format_date
from tiendo.reporting import notifications, services
from tiendo.reporting.models import JobRun, Notification, Round, Submission
from tiendo.reviews import services as review_services
from tiendo.tasks import reminders as task_reminders

JOB_NAME = "reminders"
# Runs every few minutes leave ~300 rows a day; finished runs older than this are
# dropped (failed ones are kept, for the administrator to read).
KEEP_DONE_RUNS_DAYS = 30
KEY_CHUNK = 500  # keys per IN (...) list, well under any database's limit


@dataclass
class Summary:
    """What one run of the job did; its ``lines`` are the run's log."""

    job: JobRun | None = None
    rounds_opened: int = 0
    opened: int = 0
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0
    task_occurrences: int = 0
    task_digests: int = 0
    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


def form_url(submission: Submission) -> str:
    return reverse("reporting:form", args=[submission.round_id, submission.unit_id])


@dataclass(frozen=True)
class _Message:
    kind: str
    key: str
    subject: str
    body: str


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _message(submission: Submission, today: dt.date) -> _Message | None:
    """The reminder a never-sent submission calls for today, if any."""
    round_ = submission.round
    if today < round_.opens_on:
        return None
    context = {
        "round": round_,
        "unit": submission.unit,
        "due": format_date(round_.due_on),
        "reviewer": round_.reviewing_unit,
    }
    unit_line = _("Đơn vị: %(unit)s.") % context
    due_line = _("Hạn nộp: %(due)s.") % context
    if today > round_.due_on:
        days = (today - round_.due_on).days
        return _Message(
            Notification.Kind.OVERDUE,
            f"overdue:{submission.pk}",
            _("Quá hạn nộp: %(round)s (%(unit)s)") % context,
            _lines(
                unit_line,
                due_line,
                ngettext(
                    "Đơn vị chưa gửi báo cáo, đã quá hạn %(days)s ngày. Đề nghị nhập và gửi báo cáo ngay.",
                    "Đơn vị chưa gửi báo cáo, đã quá hạn %(days)s ngày. Đề nghị nhập và gửi báo cáo ngay.",
                    days,
                )
                % {"days": days},
            ),
        )
    left = (round_.due_on - today).days
    if round_.remind_days_before and left <= round_.remind_days_before:
        when = (
            _("Hôm nay là hạn cuối.")
            if left == 0
            else ngettext("Còn %(days)s ngày đến hạn.", "Còn %(days)s ngày đến hạn.", left) % {"days": left}
        )
        return _Message(
            Notification.Kind.DUE_SOON,
            f"due_soon:{submission.pk}",
            _("Sắp đến hạn nộp: %(round)s (%(unit)s)") % context,
            _lines(unit_line, due_line, when, _("Đơn vị chưa gửi báo cáo.")),
        )
    return _Message(
        Notification.Kind.OPENED,
        f"opened:{submission.pk}",
        _("Đã mở đợt báo cáo: %(round)s (%(unit)s)") % context,
        _lines(
            unit_line,
            due_line,
            _("Đợt báo cáo đã mở; đơn vị nhập số liệu và gửi lên %(reviewer)s trước hạn.") % context,
        ),
    )


def _existing(keys: list[str]) -> set[tuple[str, int]]:
    """(key, recipient) of the notifications already left under these keys."""
    found: set[tuple[str, int]] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        rows = Notification.objects.filter(key__in=keys[start : start + KEY_CHUNK]).values_list("key", "recipient_id")
        found.update(rows)
    return found


REMINDER_HORIZON = dt.timedelta(days=60)


def never_sent(today: dt.date) -> Iterable[Submission]:
    """The submissions of rounds open on ``today`` whose unit has never sent its report;
    not those of units that no longer exist, nor of rounds due more than
    ``REMINDER_HORIZON`` ago (an old gap is the office's to chase, not the machine's:
    the first run on a new installation must not mail reminders for 2024)."""
    return (
        Submission.objects.filter(
            round__opens_on__lte=today,
            round__due_on__gte=today - REMINDER_HORIZON,
            state=Submission.State.DRAFT,
            first_submitted_at__isnull=True,
        )
        .exclude(unit__valid_to__lte=today)
        .select_related("round__data_set", "round__reviewing_unit", "unit")
        .order_by("round__due_on", "round_id", "pk")
    )


def _remind(summary: Summary, today: dt.date) -> None:
    """Leave the notifications the rules call for today; e-mail waits for the end of the run."""
    due = [(submission, message) for submission in never_sent(today) if (message := _message(submission, today))]
    if not due:
        return
    already = _existing([message.key for _submission, message in due])
    recipients = notifications.holders_many([submission.unit_id for submission, _message in due], Role.REPORTER)
    counts: dict[str, int] = {Notification.Kind.OPENED: 0, Notification.Kind.DUE_SOON: 0, Notification.Kind.OVERDUE: 0}
    with transaction.atomic():
        for submission, message in due:
            users = [user for user in recipients[submission.unit_id] if (message.key, user.pk) not in already]
            if not users:
                continue
            counts[message.kind] += notifications.notify(
                users,
                kind=message.kind,
                key=message.key,
                subject=message.subject,
                body=message.body,
                url=form_url(submission),
                submission=submission,
                send_email=False,
            )
    summary.opened = counts[Notification.Kind.OPENED]
    summary.due_soon = counts[Notification.Kind.DUE_SOON]
    summary.overdue = counts[Notification.Kind.OVERDUE]


def run(today: dt.date | None = None, now: dt.datetime | None = None) -> Summary:
    """One pass of the reminder job: open the rounds schedules call for, remind the
    units that have not sent their reports, create the next month's occurrences of
    recurring tasks and leave each person one digest of their tasks due soon, today or
    overdue (``tiendo.tasks.reminders``), and mail the notifications not mailed yet.

    Running it again the same day leaves nothing new. The run is recorded as a
    ``JobRun`` with its log; on an error the row says so, with the traceback, and the
    error goes on to the caller. A schedule that cannot open its round (say, a unit
    moved away from the reviewing unit) does not stop the reminders: they still go
    out, then the run is marked failed and the refusal raised.
    """
    now = now or timezone.now()
    today = today or local_date(now)
    summary = Summary(job=JobRun.objects.create(name=JOB_NAME))
    summary.say(_("Chạy nhắc nhở cho ngày %(day)s.") % {"day": format_date(today)})
    refused: ValidationError | None = None
    try:
        try:
            opened = services.open_scheduled_rounds(today)
        except ValidationError as error:
            refused = error
            summary.say(_("Không mở được đợt báo cáo theo lịch: %(error)s") % {"error": " ".join(error.messages)})
        else:
            summary.rounds_opened = len(opened)
            for round_ in opened:
                summary.say(
                    _("Mở đợt báo cáo %(round)s (%(units)s đơn vị, hạn nộp %(due)s).")
                    % {"round": round_, "units": round_.submissions.count(), "due": format_date(round_.due_on)}
                )
        _remind(summary, today)
        summary.say(
            _("Thông báo mới: mở đợt %(opened)s, sắp đến hạn %(soon)s, quá hạn %(overdue)s.")
            % {"opened": summary.opened, "soon": summary.due_soon, "overdue": summary.overdue}
        )
        summary.task_occurrences = len(task_reminders.create_next_occurrences(today))
        summary.task_digests = task_reminders.remind_tasks(today)
        summary.say(
            _("Nhiệm vụ: tạo %(occurrences)s kỳ định kỳ mới, gửi %(digests)s thông báo tổng hợp.")
            % {"occurrences": summary.task_occurrences, "digests": summary.task_digests}
        )
        # Review-report files left queued (a web process stopped before its thread ran them).
        exports = review_services.run_pending_exports()
        summary.say(_("Báo cáo tổng hợp: đã xuất %(count)s tệp còn chờ.") % {"count": exports})
        summary.emails = notifications.send_pending_emails()
        summary.say(_("Đã gửi %(count)s thư điện tử.") % {"count": summary.emails})
        JobRun.objects.filter(
            name=JOB_NAME, status=JobRun.Status.DONE, started_at__lt=now - dt.timedelta(days=KEEP_DONE_RUNS_DAYS)
        ).delete()
        if refused is not None:
            raise refused
    except Exception:
        _finish(summary, JobRun.Status.FAILED, traceback.format_exc())
        raise
    _finish(summary, JobRun.Status.DONE)
    return summary


def _finish(summary: Summary, status: str, trace: str = "") -> None:
    job = summary.job
    assert job is not None
    job.status = status
    job.log = "\n".join([*summary.lines, trace.rstrip()] if trace else summary.lines)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "log", "finished_at"])


# --- The reviewing office's reminder ----------------------------------------------------


def owing(round_: Round, today: dt.date | None = None) -> QuerySet[Submission]:
    """The round's submissions not with the reviewer (never sent, sent back, or
    reopened) of units that still exist."""
    return (
        round_.submissions.filter(state__in=[Submission.State.DRAFT, Submission.State.RETURNED])
        .exclude(unit__valid_to__lte=today or local_date(timezone.now()))
        .select_related("round__data_set", "round__reviewing_unit", "unit")
        .order_by("pk")
    )


@transaction.atomic
def remind_late(actor: Any, round_: Round, *, today: dt.date | None = None) -> int:
    """The reviewing office reminds every unit of the round that still owes its
    report: a notification (and e-mail) to each of the unit's reporters, at most once
    a day per unit and recipient. Returns how many people were reminded now; the
    reminder is written in the round's audit log."""
    if not services.may_review(actor, round_):
        raise ValidationError(
            _("Bạn không có quyền nhắc các đơn vị báo cáo lên “%(unit)s”.") % {"unit": round_.reviewing_unit}
        )
    today = today or local_date(timezone.now())
    if today < round_.opens_on:
        raise ValidationError(
            _("Đợt báo cáo mở từ ngày %(day)s; chưa nhắc được.") % {"day": format_date(round_.opens_on)}
        )
    submissions = list(owing(round_, today))
    recipients = notifications.holders_many([s.unit_id for s in submissions], Role.REPORTER)
    sender = actor.get_full_name() or actor.get_username()
    reminded: dict[int, Any] = {}
    units: list[str] = []
    for submission in submissions:
        context = {
            "round": round_,
            "unit": submission.unit,
            "due": format_date(round_.due_on),
            "reviewer": round_.reviewing_unit,
            "sender": sender,
        }
        if today > round_.due_on:
            state = _("Đã quá hạn %(days)s ngày.") % {"days": (today - round_.due_on).days}
        elif submission.state == Submission.State.RETURNED:
            state = _("Báo cáo bị trả lại, chưa gửi lại.")
        else:
            state = _("Đơn vị chưa gửi báo cáo.")
        fresh = notifications.notify_users(
            recipients[submission.unit_id],
            kind=Notification.Kind.REMINDER,
            key=f"manual:{submission.pk}:{today.isoformat()}",
            subject=_("Nhắc nộp: %(round)s (%(unit)s)") % context,
            body=_lines(
                _("Đơn vị: %(unit)s.") % context,
                _("Hạn nộp: %(due)s.") % context,
                state,
                _("%(reviewer)s (%(sender)s) đề nghị đơn vị hoàn thành và gửi báo cáo.") % context,
            ),
            url=form_url(submission),
            submission=submission,
        )
        if fresh:
            units.append(str(submission.unit))
            reminded.update((user.pk, user) for user in fresh)
    if reminded:
        snapshot = audit.snapshot(round_)
        audit.record(
            actor,
            AuditEntry.Action.UPDATE,
            round_,
            before=snapshot,
            after=snapshot,
            reason=_("Nhắc nộp báo cáo: %(people)s người của %(units)s")
            % {"people": len(reminded), "units": ", ".join(units)},
        )
    return len(reminded)
