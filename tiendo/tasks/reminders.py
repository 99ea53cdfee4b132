"""Task reminders (nhắc việc nhiệm vụ), run by the reminder job
(``tiendo.reporting.reminders.run``).

For every task not yet confirmed done whose lead unit still exists, at most one rule
applies on a day, the most pressing:

- ``overdue``: the deadline has passed (once, not daily: after that the assigning
  level chases the unit, as for reports);
- ``due``: the deadline is today;
- ``soon``: the deadline is at most ``settings.TASK_DUE_SOON_DAYS`` days away
  (normally reached the day it is exactly that far; a task assigned closer to its
  deadline gets it on the first run; 0 turns this rule off).

The people reminded are the lead unit's reporters (or, for a unit with none, its
nearest ancestor's: ``notifications.holders_many``).

A digest, not a flood: all of a person's reminders due in one run go out as ONE
``Notification`` (kind ``REMINDER``, url ``/nhiem-vu/``) listing every task with its
deadline and lead unit. Which rules a person was already reminded of is kept in a
small ledger, ``TaskReminder(task, rule, user)``, unique, so:

- a second run (same day or later) finds every rule covered and sends nothing;
- a new rule for the same task (it becomes due, then overdue) is not covered yet,
  so it goes into that day's next digest;
- the digest's key is ``task_digest:<date>:<hash of the rules it covers>``: two
  servers running at once build the same digest under the same key, and the
  notification's unique (recipient, key) and the ledger's unique row keep one.

Tasks due more than ``HORIZON`` ago are not reminded: the first run on a new
installation must not mail "overdue" for last year's backlog.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiendo.accounts.models import Role
from tiendo.lib import periods
from tiendo.lib.vn import format_date
from tiendo.reporting import notifications
from tiendo.reporting.models import Notification
from tiendo.tasks import services
from tiendo.tasks.models import Task, TaskReminder

TASKS_URL = "/nhiem-vu/"
HORIZON = dt.timedelta(days=60)
Rule = TaskReminder.Rule
# The order of a digest's sections and of its subject: most pressing first.
ORDER = [Rule.OVERDUE, Rule.DUE, Rule.SOON]


def rule_for(task: Task, today: dt.date, soon_days: int | None = None) -> str | None:
    """The rule that applies to the task on ``today``, if any."""
    soon = settings.TASK_DUE_SOON_DAYS if soon_days is None else soon_days
    if today > task.deadline:
        return Rule.OVERDUE
    if today == task.deadline:
        return Rule.DUE
    if soon and (task.deadline - today).days <= soon:
        return Rule.SOON
    return None


def candidates(today: dt.date) -> list[Task]:
    """Unconfirmed tasks of units that still exist, due from ``HORIZON`` ago up to the
    due-soon window."""
    return list(
        Task.objects.filter(
            confirmed_at__isnull=True,
            deadline__gte=today - HORIZON,
            deadline__lte=today + dt.timedelta(days=settings.TASK_DUE_SOON_DAYS),
        )
        .exclude(lead_unit__valid_to__lte=today)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )


@dataclass(frozen=True)
class _Item:
    task: Task
    rule: str


def _subject(items: list[_Item]) -> str:
    counts = {rule: sum(1 for item in items if item.rule == rule) for rule in ORDER}
    parts = []
    if counts[Rule.OVERDUE]:
        parts.append(_("%(n)s quá hạn") % {"n": counts[Rule.OVERDUE]})
    if counts[Rule.DUE]:
        parts.append(_("%(n)s đến hạn hôm nay") % {"n": counts[Rule.DUE]})
    if counts[Rule.SOON]:
        parts.append(_("%(n)s sắp đến hạn") % {"n": counts[Rule.SOON]})
    return _("Nhiệm vụ cần chú ý: %(parts)s") % {"parts": ", ".join(parts)}


def _line(item: _Item, today: dt.date) -> str:
    task = item.task
    context = {"title": task.title, "deadline": format_date(task.deadline), "unit": task.lead_unit}
    line = _("- %(title)s. Thời hạn: %(deadline)s. Đơn vị chủ trì: %(unit)s.") % context
    if item.rule == Rule.OVERDUE:
        days = (today - task.deadline).days
        line += " " + ngettext("Đã quá hạn %(days)s ngày.", "Đã quá hạn %(days)s ngày.", days) % {"days": days}
    elif item.rule == Rule.SOON:
        days = (task.deadline - today).days
        line += " " + ngettext("Còn %(days)s ngày.", "Còn %(days)s ngày.", days) % {"days": days}
    return line


def _body(items: list[_Item], today: dt.date) -> str:
    headings = {
        Rule.OVERDUE: _("Quá hạn, chưa hoàn thành:"),
        Rule.DUE: _("Đến hạn hôm nay:"),
        Rule.SOON: _("Sắp đến hạn:"),
    }
    sections = []
    for rule in ORDER:
        lines = [_line(item, today) for item in items if item.rule == rule]
        if lines:
            sections.append("\n".join([headings[rule], *lines]))
    sections.append(_("Đề nghị đơn vị cập nhật tiến độ hoặc báo cáo hoàn thành."))
    return "\n\n".join(sections)


def _digest_key(today: dt.date, items: list[_Item]) -> str:
    covered = ",".join(sorted(f"{item.rule}:{item.task.pk}" for item in items))
    return f"task_digest:{today.isoformat()}:{hashlib.sha256(covered.encode()).hexdigest()[:32]}"


def remind_tasks(today: dt.date) -> int:
    """Leave each person one digest of the task reminders due to them and not sent yet;
    returns the number of digests left. E-mail is left to the caller
    (``send_pending_emails`` at the end of the job's run)."""
    due = [(task, rule) for task in candidates(today) if (rule := rule_for(task, today))]
    if not due:
        return 0
    covered = set(
        TaskReminder.objects.filter(task__in=[task for task, _rule in due]).values_list("task_id", "rule", "user_id")
    )
    recipients = notifications.holders_many([task.lead_unit_id for task, _rule in due], Role.REPORTER)
    per_user: dict[int, list[_Item]] = defaultdict(list)
    users: dict[int, Any] = {}
    for task, rule in due:
        for user in recipients[task.lead_unit_id]:
            if (task.pk, rule, user.pk) not in covered:
                users[user.pk] = user
                per_user[user.pk].append(_Item(task, rule))
    sent = 0
    with transaction.atomic():
        for user_pk, items in per_user.items():
            user = users[user_pk]
            sent += notifications.notify(
                [user],
                kind=Notification.Kind.TASKS,
                key=_digest_key(today, items),
                subject=_subject(items),
                body=_body(items, today),
                url=TASKS_URL,
                send_email=False,
            )
            TaskReminder.objects.bulk_create(
                [TaskReminder(task=item.task, rule=item.rule, user=user, sent_on=today) for item in items],
                ignore_conflicts=True,
            )
    return sent


def create_next_occurrences(today: dt.date) -> list[Task]:
    """The occurrences of recurring tasks due up to one month ahead (the same day next
    month, or its last day), once each."""
    month = periods.containing(periods.PeriodKind.MONTH, today).shifted(1)
    until = month.start.replace(day=min(today.day, month.last_day.day))
    with transaction.atomic():
        return services.create_occurrences(until)
