"""Reading inspections for a user's pages, through the scoping layer.

A user sees an inspection when they may see its conducting unit or one of its subjects
(an organisation inspected, or the unit of a person inspected); a system administrator
sees all. A ward sees the inspections of itself, never another ward's; anything else is
a 404. How the follow-up stands is counted in SQL with the tasks' own status rules
(``tasks.selectors.status_q``), so a list runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tiendo.accounts.scope import restrict_by_unit, restrict_versions
from tiendo.inspections.models import ROLE_ORDER, Inspection, InspectionPlan, InspectionSubject, Recommendation
from tiendo.orgs.models import OrgUnit, UnitVersion
from tiendo.tasks import selectors as task_selectors
from tiendo.tasks.models import Task
from tiendo.tasks.status import LABELS, TaskStatus

LIST_LIMIT = 500


def visible_inspections(user: Any) -> QuerySet[Inspection]:
    everything = Inspection.objects.all()
    conducted = restrict_by_unit(everything, user, "conducting_unit")
    if conducted is everything:  # a system administrator
        return everything
    subjects = InspectionSubject.objects.all()
    as_unit = restrict_by_unit(subjects, user, "unit").values("inspection_id")
    as_person = restrict_by_unit(subjects, user, "person_unit").values("inspection_id")
    return Inspection.objects.filter(Q(pk__in=conducted.values("pk")) | Q(pk__in=as_unit) | Q(pk__in=as_person))


def visible_plans(user: Any) -> QuerySet[InspectionPlan]:
    """Plans of a unit the user sees, or holding an inspection they see."""
    issued = restrict_by_unit(InspectionPlan.objects.all(), user, "conducting_unit")
    return InspectionPlan.objects.filter(
        Q(pk__in=issued.values("pk")) | Q(pk__in=visible_inspections(user).filter(plan__isnull=False).values("plan_id"))
    )


def get_inspection_or_404(user: Any, pk: Any) -> Inspection:
    try:
        return (
            visible_inspections(user)
            .select_related("conducting_unit", "plan")
            .prefetch_related("conducting_unit__versions")
            .get(pk=int(pk))
        )
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy cuộc kiểm tra, giám sát.")) from None


def get_plan_or_404(user: Any, pk: Any) -> InspectionPlan:
    try:
        return visible_plans(user).select_related("conducting_unit").prefetch_related("conducting_unit__versions").get(pk=int(pk))
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy kế hoạch kiểm tra, giám sát.")) from None


@dataclass
class FollowUp:
    """How an inspection's recommendations stand on a day: of ``total``, ``done``
    confirmed finished (``done_late`` of them after the deadline), ``overdue`` past
    their deadline and unfinished."""

    total: int = 0
    done: int = 0
    done_late: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def text(self) -> str:
        if not self.total:
            return _("Chưa có kiến nghị")
        text = _("%(done)s/%(total)s kiến nghị đã hoàn thành") % {"done": self.done, "total": self.total}
        if self.overdue:
            text += _(", %(n)s quá hạn") % {"n": self.overdue}
        return text


def _tasks_in(*statuses: TaskStatus, day: dt.date) -> QuerySet[Any]:
    q = Q(pk__in=[])
    for status in statuses:
        q |= task_selectors.status_q(status, day)
    return Task.objects.filter(q).values("pk")


def with_follow_up(inspections: QuerySet[Inspection], day: dt.date) -> QuerySet[Inspection]:
    """Annotate each inspection with its follow-up counts on ``day`` (one query)."""
    done = Q(recommendations__task__in=_tasks_in(TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE, day=day))
    return inspections.annotate(
        fu_total=Count("recommendations", distinct=True),
        fu_done=Count("recommendations", filter=done, distinct=True),
        fu_done_late=Count(
            "recommendations", filter=Q(recommendations__task__in=_tasks_in(TaskStatus.DONE_LATE, day=day)), distinct=True
        ),
        fu_overdue=Count(
            "recommendations", filter=Q(recommendations__task__in=_tasks_in(TaskStatus.OVERDUE, day=day)), distinct=True
        ),
    )


def follow_up_of(inspection: Any) -> FollowUp:
    return FollowUp(inspection.fu_total, inspection.fu_done, inspection.fu_done_late, inspection.fu_overdue)


@dataclass
class ListRow:
    inspection: Inspection
    follow_up: FollowUp
    subjects: list[InspectionSubject]


def _with_related(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    subjects = InspectionSubject.objects.select_related("unit", "person_unit").prefetch_related(
        "unit__versions", "person_unit__versions"
    )
    return inspections.select_related("conducting_unit", "plan").prefetch_related(
        "conducting_unit__versions", Prefetch("subjects", queryset=subjects)
    )


def inspection_rows(
    user: Any, *, day: dt.date, year: int | None = None, kind: str = "", unit: OrgUnit | None = None,
    plan: InspectionPlan | None = None,
) -> list[ListRow]:
    inspections = visible_inspections(user)
    if year is not None:
        inspections = inspections.filter(starts_on__gte=dt.date(year, 1, 1), starts_on__lte=dt.date(year, 12, 31))
    if kind:
        inspections = inspections.filter(kind=kind)
    if unit is not None:
        inspections = inspections.filter(conducting_unit=unit)
    if plan is not None:
        inspections = inspections.filter(plan=plan)
    found = with_follow_up(_with_related(inspections), day).order_by("-starts_on", "-pk")[:LIST_LIMIT]
    return [ListRow(i, follow_up_of(i), list(i.subjects.all())) for i in found]


def years(user: Any) -> list[int]:
    """The years in which the user sees an inspection, latest first."""
    days = visible_inspections(user).values_list("starts_on", flat=True)
    return sorted({d.year for d in days}, reverse=True)


def conducting_units(user: Any) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(pk__in=visible_inspections(user).values("conducting_unit_id"))
        .prefetch_related("versions")
        .order_by("pk")
    )


@dataclass
class InspectionPage:
    inspection: Inspection
    follow_up: FollowUp
    subjects: list[InspectionSubject]
    team: list[Any]
    recommendations: list[tuple[Recommendation, task_selectors.TaskRow]]
    by_status: list[tuple[str, str, int]]  # (status, label, count), the statuses that occur


def inspection_page(user: Any, inspection: Inspection, day: dt.date) -> InspectionPage:
    counted = with_follow_up(Inspection.objects.filter(pk=inspection.pk), day).get()
    subjects = list(
        inspection.subjects.select_related("unit", "person_unit").prefetch_related("unit__versions", "person_unit__versions")
    )
    team = sorted(inspection.team.all(), key=lambda m: (ROLE_ORDER[m.role], m.pk))
    # The follow-up tasks are shown to whoever sees the inspection: the task link may
    # still 404 for them if the task's units are outside their scope.
    recommendations = list(
        inspection.recommendations.select_related("unit", "task").prefetch_related("unit__versions").order_by("deadline", "pk")
    )
    rows = task_selectors.rows([r.task for r in recommendations], day)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    by_status = [(status.value, str(LABELS[status]), counts[status]) for status in TaskStatus if status in counts]
    return InspectionPage(
        inspection=inspection,
        follow_up=follow_up_of(counted),
        subjects=subjects,
        team=team,
        recommendations=list(zip(recommendations, rows, strict=True)),
        by_status=by_status,
    )


def unit_choices(user: Any) -> list[tuple[int, str]]:
    """(unit id, name) of every unit the user sees, at any date, in tree order: the
    choices of a unit field (a 2022 inspection names units since reorganised). The
    posted id is fetched again through the scoping layer."""
    versions = restrict_versions(UnitVersion.objects.all(), user).order_by("path", "-valid_from")
    seen: set[int] = set()
    choices: list[tuple[int, str]] = []
    for unit_id, name, depth in versions.values_list("unit_id", "name", "depth"):
        if unit_id not in seen:
            seen.add(unit_id)
            choices.append((unit_id, "\u00a0\u00a0" * depth + name))
    return choices
