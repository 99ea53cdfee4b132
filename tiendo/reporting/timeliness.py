"""Who reported on time (tình hình nộp báo cáo đúng hạn): a round's progress for the
reviewing office, and one unit's record over every round it reported in.

A report is on time when it was first sent no later than the due date, as a day in
Hà Nội: sent at 23:30 on the due date is on time, at 00:30 the next day one day late
(``tiendo.lib.dates.local_date``). Later restatements do not change it. Counts are
taken in the database; the rows are what the pages show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiendo.lib.dates import local_date
from tiendo.lib.dates import today as local_today
from tiendo.lib.text import fold
from tiendo.orgs.models import OrgUnit
from tiendo.reporting.models import Round, Submission

State = Submission.State


def deadline(due_on: dt.date) -> dt.datetime:
    """The first moment that is late for ``due_on``: midnight after it, in Hà Nội."""
    return timezone.make_aware(dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time.min))


def timeliness_text(first_sent_at: dt.datetime | None, due_on: dt.date, today: dt.date) -> str:
    """The status in words: "đúng hạn", "chậm 3 ngày", "chưa nộp, quá hạn 2 ngày" or "chưa nộp"."""
    if first_sent_at is not None:
        late = (local_date(first_sent_at) - due_on).days
        if late <= 0:
            return _("đúng hạn")
        return ngettext("chậm %(days)s ngày", "chậm %(days)s ngày", late) % {"days": late}
    if today > due_on:
        overdue = (today - due_on).days
        return ngettext("chưa nộp, quá hạn %(days)s ngày", "chưa nộp, quá hạn %(days)s ngày", overdue) % {
            "days": overdue
        }
    return _("chưa nộp")


def _unit_name(unit: OrgUnit, day: dt.date) -> str:
    """The unit's name on ``day`` (its versions prefetched), else its latest name."""
    version = unit.version_on(day) or unit.latest_version
    return version.name if version else str(unit)


@dataclass(frozen=True)
class SubmissionRow:
    """One unit's report in a round, as the progress table shows it."""

    submission: Submission
    unit_name: str
    state: str
    state_label: str
    first_sent_at: dt.datetime | None
    days_late: int | None  # sent: days after the due date (0 or less: on time); not sent: None
    overdue_days: int | None  # not sent and past due: days past; otherwise None
    timeliness_text: str

    @property
    def on_time(self) -> bool | None:
        return None if self.days_late is None else self.days_late <= 0


@dataclass(frozen=True)
class RoundProgress:
    """Where a round stands on ``today``: how many units must report, have sent (on
    time or not), wait for review, were returned, are approved, and are late without
    having sent anything; with one row per unit, in name order."""

    round: Round
    today: dt.date
    total: int
    sent: int
    sent_on_time: int
    waiting: int
    approved: int
    returned: int
    late_not_sent: int
    rows: list[SubmissionRow]

    @property
    def not_sent(self) -> int:
        return self.total - self.sent

    @property
    def sent_late(self) -> int:
        return self.sent - self.sent_on_time

    @property
    def summary(self) -> str:
        """In words: "12/14 đơn vị đã nộp, 10 đúng hạn"."""
        return _("%(sent)s/%(total)s đơn vị đã nộp, %(on_time)s đúng hạn") % {
            "sent": self.sent,
            "total": self.total,
            "on_time": self.sent_on_time,
        }


def round_progress(round_: Round, *, today: dt.date | None = None) -> RoundProgress:
    """The round's progress on ``today`` (by default today in Hà Nội).

    "Sent" counts every unit that has sent its report at least once, whatever happened
    to it since (returned, reopened); "on time" judges that first sending. "Late, not
    sent" is a unit that has never sent once the due date has passed. Two queries: the
    counts, and the rows with the units' names.
    """
    day = today or local_today()
    late_moment = deadline(round_.due_on)
    counts = Submission.objects.filter(round=round_).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(first_submitted_at__isnull=False)),
        sent_on_time=Count("pk", filter=Q(first_submitted_at__lt=late_moment)),
        waiting=Count("pk", filter=Q(state=State.SUBMITTED)),
        approved=Count("pk", filter=Q(state=State.APPROVED)),
        returned=Count("pk", filter=Q(state=State.RETURNED)),
        never_sent=Count("pk", filter=Q(first_submitted_at__isnull=True)),
    )
    submissions = Submission.objects.filter(round=round_).select_related("unit").prefetch_related("unit__versions")
    named_on = round_.period.last_day
    rows = []
    for submission in submissions:
        submission.round = round_
        sent_at = submission.first_submitted_at
        rows.append(
            SubmissionRow(
                submission=submission,
                unit_name=_unit_name(submission.unit, named_on),
                state=submission.state,
                state_label=submission.get_state_display(),
                first_sent_at=sent_at,
                days_late=None if sent_at is None else (local_date(sent_at) - round_.due_on).days,
                overdue_days=(day - round_.due_on).days if sent_at is None and day > round_.due_on else None,
                timeliness_text=timeliness_text(sent_at, round_.due_on, day),
            )
        )
    rows.sort(key=lambda row: fold(row.unit_name))
    return RoundProgress(
        round=round_,
        today=day,
        total=counts["total"],
        sent=counts["sent"],
        sent_on_time=counts["sent_on_time"],
        waiting=counts["waiting"],
        approved=counts["approved"],
        returned=counts["returned"],
        late_not_sent=counts["never_sent"] if day > round_.due_on else 0,
        rows=rows,
    )


# --- One unit over time -------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One round of the unit: the period, the due date, when it was first sent, and
    whether that was on time."""

    submission: Submission
    round: Round
    first_sent_at: dt.datetime | None
    days_late: int | None  # as in SubmissionRow
    overdue_days: int | None
    timeliness_text: str

    @property
    def on_time(self) -> bool | None:
        return None if self.days_late is None else self.days_late <= 0

    @property
    def status(self) -> str:
        """on_time, late, overdue (not sent, past due) or pending (not sent, not due yet)."""
        if self.days_late is not None:
            return "on_time" if self.days_late <= 0 else "late"
        return "overdue" if self.overdue_days is not None else "pending"


@dataclass(frozen=True)
class UnitHistory:
    """Every round a unit reported in, newest first, and how many of those already due
    (or sent) were sent on time: "8/10 kỳ nộp đúng hạn"."""

    unit: OrgUnit
    today: dt.date
    rows: list[HistoryRow]
    judged: int  # rounds past their due date, or already sent
    on_time: int

    @property
    def late(self) -> int:
        return self.judged - self.on_time

    @property
    def summary(self) -> str:
        return _("%(on_time)s/%(judged)s kỳ nộp đúng hạn") % {"on_time": self.on_time, "judged": self.judged}


def unit_history(unit: OrgUnit, *, today: dt.date | None = None) -> UnitHistory:
    """Every round of ``unit`` (of any data set and reviewing unit), newest period
    first. A round not yet due and not sent is listed but not judged. Two queries."""
    day = today or local_today()
    submissions = Submission.objects.filter(unit=unit)
    # ``__date`` reads the moment as a day in the current time zone (Hà Nội), as local_date does.
    counts = submissions.aggregate(
        judged=Count("pk", filter=Q(first_submitted_at__isnull=False) | Q(round__due_on__lt=day)),
        on_time=Count("pk", filter=Q(first_submitted_at__date__lte=F("round__due_on"))),
    )
    rows = []
    for submission in (
        submissions.select_related("round__data_set", "round__reviewing_unit")
        .prefetch_related("round__reviewing_unit__versions")
        .order_by("-round__period_start", "round__data_set__name", "round_id")
    ):
        round_ = submission.round
        sent_at = submission.first_submitted_at
        rows.append(
            HistoryRow(
                submission=submission,
                round=round_,
                first_sent_at=sent_at,
                days_late=None if sent_at is None else (local_date(sent_at) - round_.due_on).days,
                overdue_days=(day - round_.due_on).days if sent_at is None and day > round_.due_on else None,
                timeliness_text=timeliness_text(sent_at, round_.due_on, day),
            )
        )
    return UnitHistory(unit=unit, today=day, rows=rows, judged=counts["judged"], on_time=counts["on_time"])
