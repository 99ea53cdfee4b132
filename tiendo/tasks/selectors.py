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
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, path_q, restrict_by_unit, restrict_versions, scope_paths
from tiendo.attachments.models import Attachment
from tiendo.attachments.selectors import visible_attachments
from tiendo.lib.dates import today
from tiendo.lib.text import fold
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion, path_upper_bound, valid_on_q
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


@dataclass(frozen=True)
class UnitChoice:
    """A unit offered in a form: its id, its name indented by depth, and its path
    (to tell whether one offered unit lies under another)."""

    unit_id: int
    label: str
    path: str


def assignable_units(user: Any, day: dt.date | None = None) -> list[UnitChoice]:
    """The units, existing on ``day``, that the user may assign tasks for or issue
    directives of (managers and reviewers, as ``services.may_assign``), in tree order:
    each unit the user holds such a role on, and the units directly under it.

    Deeper units are left out on purpose: a district office's list would otherwise
    carry every residential group of every ward (hundreds of lines), and a district
    reaches those through its wards by splitting a task (``split_task``). The same
    list serves as the choices of the lead and coordinating units. Three queries at
    most, whatever the size of the tree."""
    day = day or today()
    roots: list[str] = []
    for action in (Action.MANAGE, Action.REVIEW):
        paths = scope_paths(user, action)
        if paths is EVERYTHING:
            roots = [""]
            break
        roots += paths
    if not roots:
        return []
    q = Q(pk__in=[])
    for root in sorted(set(roots)):
        if not root:  # a system administrator: the top units and the level below them
            q = Q(depth__lte=1)
            break
        depth = len(root) // PATH_SEGMENT - 1
        q |= Q(path__gte=root, path__lt=path_upper_bound(root), depth__lte=depth + 1)
    rows = list(
        UnitVersion.objects.filter(valid_on_q(day)).filter(q).order_by("path").values_list("unit_id", "name", "code", "depth", "path")
    )
    top = min((depth for *_, depth, _path in rows), default=0)
    return [
        UnitChoice(unit_id, "\u00a0\u00a0\u00a0" * (depth - top) + (f"{name} ({code})" if code else name), path)
        for unit_id, name, code, depth, path in rows
    ]


def child_versions(user: Any, unit: OrgUnit, day: dt.date | None = None) -> list[UnitVersion]:
    """The units directly under ``unit`` on ``day`` that the user may see: the wards a
    district's task is split among."""
    versions = UnitVersion.objects.filter(valid_on_q(day or today()), parent=unit)
    return list(restrict_versions(versions, user).select_related("unit").order_by("path"))


def attachments_by_owner(user: Any, model: type[Model], pks: list[Any]) -> dict[str, list[Attachment]]:
    """The attachments the user may see of several records of one model, by the
    record's id as text: one query for a page listing every progress report."""
    if not pks:
        return {}
    owner_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    found: dict[str, list[Attachment]] = {}
    for attachment in visible_attachments(user).filter(owner_type=owner_type, owner_id__in=[str(pk) for pk in pks]):
        found.setdefault(attachment.owner_id, []).append(attachment)
    return found
