"""Reading directives and tasks for a user's pages, through the scoping layer.

A user sees a task when they may see its lead unit, the unit that assigned it or one
of its coordinating units; anything else is a 404. Status is computed in Python from
the fetched dates, so each list runs a fixed number of queries however many rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import Http404

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, path_q, restrict_by_unit, scope_paths
from tiendo.lib.dates import today
from tiendo.lib.text import fold
from tiendo.orgs.models import OrgUnit, UnitVersion
from tiendo.tasks.models import DeadlineChange, Directive, Task
from tiendo.tasks.status import LABELS, TaskStatus, task_status

LIST_LIMIT = 500


def visible_tasks(user: Any) -> QuerySet[Task]:
    everything = Task.objects.all()
    lead = restrict_by_unit(everything, user, "lead_unit")
    if lead is everything:  # a system administrator
        return everything
    assigning = restrict_by_unit(everything, user, "assigned_by")
    coordinating = restrict_by_unit(everything, user, "coordinating_units")
    return Task.objects.filter(
        Q(pk__in=lead.values("pk")) | Q(pk__in=assigning.values("pk")) | Q(pk__in=coordinating.values("pk"))
    )


def get_task_or_404(user: Any, pk: Any) -> Task:
    try:
        return (
            visible_tasks(user)
            .select_related("lead_unit", "assigned_by", "directive", "parent")
            .prefetch_related("lead_unit__versions", "assigned_by__versions")
            .get(pk=int(pk))
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_directives(user: Any) -> QuerySet[Directive]:
    """Directives issued by a unit the user sees, or carried out by a task they see."""
    issued = restrict_by_unit(Directive.objects.all(), user, "issuer")
    return Directive.objects.filter(
        Q(pk__in=issued.values("pk")) | Q(pk__in=visible_tasks(user).filter(directive__isnull=False).values("directive_id"))
    )


def get_directive_or_404(user: Any, pk: Any) -> Directive:
    try:
        return visible_directives(user).select_related("issuer").get(pk=int(pk))
    except (Directive.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class TaskRow:
    """A task with its status as of ``day``."""

    task: Task
    status: TaskStatus
    day: dt.date

    @property
    def label(self) -> str:
        return str(LABELS[self.status])

    @property
    def days_overdue(self) -> int:
        return (self.day - self.task.deadline).days if self.status == TaskStatus.OVERDUE else 0


def rows(tasks: QuerySet[Task] | list[Task], day: dt.date | None = None) -> list[TaskRow]:
    day = day or today()
    return [TaskRow(t, task_status(t.deadline, t.completed_on, t.is_confirmed, day), day) for t in tasks]


def _with_related(tasks: QuerySet[Task]) -> QuerySet[Task]:
    # Units are named by their versions: prefetched, or each row costs a query.
    return tasks.select_related("lead_unit", "assigned_by", "directive").prefetch_related("lead_unit__versions")


def status_q(status: str, day: dt.date) -> Q:
    """The tasks of one status on ``day``, as a filter (the same rules as ``task_status``)."""
    done = Q(confirmed_at__isnull=False, completed_on__isnull=False)
    soon = day + dt.timedelta(days=settings.TASK_DUE_SOON_DAYS)
    return {
        TaskStatus.DONE_ON_TIME: done & Q(completed_on__lte=F("deadline")),
        TaskStatus.DONE_LATE: done & Q(completed_on__gt=F("deadline")),
        TaskStatus.OVERDUE: ~done & Q(deadline__lt=day),
        TaskStatus.DUE_SOON: ~done & Q(deadline__gte=day, deadline__lte=soon),
        TaskStatus.IN_TIME: ~done & Q(deadline__gt=soon),
    }.get(status, Q())  # type: ignore[call-overload]


def filtered_tasks(
    user: Any, *, status: str = "", unit: OrgUnit | None = None, directive: Directive | None = None, q: str = ""
) -> list[TaskRow]:
    tasks = visible_tasks(user)
    if status:
        tasks = tasks.filter(status_q(status, today()))
    if unit is not None:
        tasks = tasks.filter(lead_unit=unit)
    if directive is not None:
        tasks = tasks.filter(directive=directive)
    for word in fold(q).split():
        tasks = tasks.filter(search_text__contains=word)
    return rows(_with_related(tasks).order_by("deadline", "pk")[:LIST_LIMIT])


def _units_in(user: Any, field: str, *actions: str) -> Q:
    """Rows whose ``field`` is a unit on which the user may do one of ``actions``."""
    q = Q(pk__in=[])
    for action in actions:
        paths = scope_paths(user, action)
        if paths is EVERYTHING:
            return Q()
        if paths:
            q |= Q(**{f"{field}__in": UnitVersion.objects.filter(path_q(paths)).values("unit_id")})
    return q


@dataclass
class MyTasks:
    to_do: list[TaskRow]
    to_confirm: list[TaskRow]
    to_decide: list[DeadlineChange]


def my_tasks(user: Any) -> MyTasks:
    """What waits for the user: their units' unfinished tasks, completions to confirm
    and extension requests to decide for the tasks their units assigned."""
    to_do = Task.objects.filter(_units_in(user, "lead_unit", Action.REPORT, Action.MANAGE), confirmed_at__isnull=True)
    assigner = _units_in(user, "assigned_by", Action.MANAGE, Action.REVIEW)
    to_confirm = Task.objects.filter(assigner, completed_on__isnull=False, confirmed_at__isnull=True)
    to_decide = (
        DeadlineChange.objects.filter(state=DeadlineChange.State.REQUESTED, task__in=Task.objects.filter(assigner))
        .select_related("task__lead_unit", "requested_by")
        .prefetch_related("task__lead_unit__versions")
        .order_by("requested_at")
    )
    return MyTasks(
        to_do=rows(_with_related(to_do).order_by("deadline", "pk")[:LIST_LIMIT]),
        to_confirm=rows(_with_related(to_confirm).order_by("completed_on", "pk")[:LIST_LIMIT]),
        to_decide=list(to_decide[:LIST_LIMIT]),
    )


def overdue_tasks(user: Any) -> list[TaskRow]:
    """Every unfinished task past its deadline in the user's scope, most overdue first."""
    day = today()
    tasks = visible_tasks(user).filter(status_q(TaskStatus.OVERDUE, day))
    return rows(_with_related(tasks).order_by("deadline", "pk")[:LIST_LIMIT], day)


@dataclass
class UnitTasks:
    """One lead unit's tasks counted by outcome."""

    unit: OrgUnit
    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> int | None:
        """Percent of finished tasks finished on time; ``None`` before any is finished."""
        return round(100 * self.on_time / self.done) if self.done else None


def by_unit(user: Any) -> list[UnitTasks]:
    """Counts per lead unit over the tasks the user sees (one query for the tasks)."""
    found: dict[int, UnitTasks] = {}
    for row in rows(visible_tasks(user).select_related("lead_unit").prefetch_related("lead_unit__versions")):
        stats = found.setdefault(row.task.lead_unit_id, UnitTasks(row.task.lead_unit))
        stats.total += 1
        if row.status == TaskStatus.DONE_ON_TIME:
            stats.on_time += 1
        elif row.status == TaskStatus.DONE_LATE:
            stats.late += 1
        elif row.status == TaskStatus.OVERDUE:
            stats.overdue += 1
    return sorted(found.values(), key=lambda s: (-s.overdue, str(s.unit)))
