"""Pages of directives and tasks: what waits for me, the list with filters, counts
per unit, the overdue board, a directive and a task with its action forms, and the
pages that record a directive, assign a task and split it among the units below.
Thin views over ``selectors`` and ``services``; a refused action re-renders with 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit
from tiendo.tasks import selectors, services
from tiendo.tasks.forms import (
    CompletionForm,
    ConfirmForm,
    DecideForm,
    DirectiveForm,
    ExtensionForm,
    ProgressForm,
    SplitForm,
    TaskFilterForm,
    TaskForm,
)
from tiendo.tasks.models import DeadlineChange, Task, TaskUpdate
from tiendo.tasks.status import LABELS, task_status
from tiendo.web.forms import add_service_error


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    return render(request, "tasks/mine.html", {"work": selectors.my_tasks(request.user)})


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.visible_tasks(request.user)
    form = TaskFilterForm(
        request.GET or None,
        units=OrgUnit.objects.filter(pk__in=visible.values("lead_unit_id")).prefetch_related("versions").order_by("pk"),
        directives=selectors.visible_directives(request.user).order_by("-issued_on", "number"),
    )
    filters: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.filtered_tasks(
        request.user,
        status=filters.get("status", ""),
        unit=filters.get("unit"),
        directive=filters.get("directive"),
        q=filters.get("q", ""),
    )
    context = {
        "form": form, "rows": rows, "limit": selectors.LIST_LIMIT,
        "may_assign": bool(selectors.assignable_units(request.user)),
    }
    return render(request, "tasks/task_list.html", context)


@login_required
@require_GET
def by_unit(request: HttpRequest) -> HttpResponse:
    return render(request, "tasks/by_unit.html", {"units": selectors.by_unit(request.user)})


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "tasks/overdue.html", {"rows": selectors.overdue_tasks(request.user), "today": today()})


@login_required
@require_GET
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = selectors.get_directive_or_404(request.user, pk)
    rows = selectors.filtered_tasks(request.user, directive=directive)
    context = {
        "directive": directive,
        "rows": rows,
        "files": list(selectors.attachments_by_owner(request.user, type(directive), [directive.pk]).get(str(directive.pk), [])),
        "may_assign": bool(selectors.assignable_units(request.user)),
    }
    return render(request, "tasks/directive_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def directive_create(request: HttpRequest) -> HttpResponse:
    units = selectors.assignable_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không có quyền ghi văn bản chỉ đạo."))
    posted = request.method == "POST"
    form = DirectiveForm(request.POST if posted else None, request.FILES if posted else None, units=units)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                directive = services.create_directive(
                    request.user, kind=data["kind"], number=data["number"], issued_on=data["issued_on"],
                    issuer=data["issuer"], title=data["title"], text=data["text"],
                    files=[data["file"]] if data.get("file") else [],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã ghi văn bản %(directive)s.") % {"directive": directive})
                return redirect("tasks:directive", pk=directive.pk)
        return render(request, "tasks/directive_form.html", {"form": form}, status=400)
    return render(request, "tasks/directive_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    units = selectors.assignable_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không có quyền giao nhiệm vụ."))
    directives = selectors.visible_directives(request.user).order_by("-issued_on", "number")
    initial: dict[str, Any] = {}
    chosen = request.GET.get("van_ban", "")
    if chosen:
        directive = selectors.get_directive_or_404(request.user, chosen)
        initial["directive"] = directive.pk
        issuer = next((u.unit_id for u in units if u.unit_id == directive.issuer_id), None)
        if issuer is not None:
            initial["assigned_by"] = issuer
    form = TaskForm(request.POST if request.method == "POST" else None, units=units, directives=directives, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = services.create_task(
                    request.user, title=data["title"], expected_output=data["expected_output"],
                    assigned_by=data["assigned_by"], lead_unit=data["lead_unit"], deadline=data["deadline"],
                    coordinating_units=data["coordinating_units"], directive=data["directive"],
                    description=data["description"], priority=data["priority"], recurrence=data["recurrence"] or "",
                    recurs_until=data["recurs_until"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã giao nhiệm vụ cho %(unit)s.") % {"unit": task.lead_unit})
                return redirect("tasks:detail", pk=task.pk)
        return render(request, "tasks/task_form.html", {"form": form}, status=400)
    return render(request, "tasks/task_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_split(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task_or_404(request.user, pk)
    if not services.may_assign(request.user, task.lead_unit):
        raise PermissionDenied(_("Chỉ đơn vị chủ trì mới chia nhiệm vụ cho đơn vị cấp dưới."))
    children = selectors.child_versions(request.user, task.lead_unit)
    taken = set(task.subtasks.values_list("lead_unit_id", flat=True))
    form = SplitForm(request.POST if request.method == "POST" else None, children=children, deadline=task.deadline, taken=taken)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.split_task(request.user, task, form.parts())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã giao nhiệm vụ con cho %(n)s đơn vị.") % {"n": len(created)})
                return redirect("tasks:detail", pk=task.pk)
        return render(request, "tasks/task_split.html", {"task": task, "form": form}, status=400)
    return render(request, "tasks/task_split.html", {"task": task, "form": form})


ACTIONS: dict[str, type[forms.Form]] = {
    "progress": ProgressForm,
    "completion": CompletionForm,
    "confirm": ConfirmForm,
    "extension": ExtensionForm,
    "decide": DecideForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task_or_404(request.user, pk)
    pending = task.deadline_changes.filter(state=DeadlineChange.State.REQUESTED).first()
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponseBadRequest(_("Yêu cầu không hợp lệ."))
        form = ACTIONS[action](request.POST, request.FILES, auto_id=_auto_id(action))
        bound[action] = form
        if form.is_valid() and _run(form, _service_call(request, action, task, pending, form.cleaned_data)):
            messages.success(request, _("Đã ghi nhận."))
            return redirect("tasks:detail", pk=task.pk)
        status = 400
    carry = services.may_carry_out(request.user, task)
    assign = services.may_assign(request.user, task.assigned_by)
    updates = list(task.updates.select_related("reported_by"))
    update_files = selectors.attachments_by_owner(request.user, TaskUpdate, [u.pk for u in updates])
    open_ = not task.is_confirmed
    shown = {
        "progress": carry and open_,
        "completion": carry and open_,
        "extension": carry and open_ and pending is None,
        "confirm": assign and open_ and task.completed_on is not None,
        "decide": assign and pending is not None,
    }
    action_forms = {
        name: bound.get(name) or ACTIONS[name](auto_id=_auto_id(name)) for name, show in shown.items() if show or name in bound
    }
    state = task_status(task.deadline, task.completed_on, task.is_confirmed, today())
    context = {
        "task": task,
        "status": state,
        "status_label": LABELS[state],
        "subtasks": selectors.rows(
            selectors.visible_tasks(request.user)
            .filter(parent=task)
            .select_related("lead_unit")
            .prefetch_related("lead_unit__versions")
            .order_by("deadline", "pk")
        ),
        "coordinating": list(task.coordinating_units.prefetch_related("versions")),
        "updates": [(u, update_files.get(str(u.pk), [])) for u in updates],
        "evidence_files": selectors.attachments_by_owner(request.user, Task, [task.pk]).get(str(task.pk), []),
        "may_split": open_ and task.completed_on is None and services.may_assign(request.user, task.lead_unit),
        "changes": list(task.deadline_changes.select_related("requested_by", "decided_by")),
        "pending": pending,
        "forms": action_forms,
    }
    return render(request, "tasks/task_detail.html", context, status=status)


def _auto_id(action: str) -> str:
    # Several action forms share the page: without a prefix the progress and completion
    # forms' file inputs would both be "id_attachments", and a label would pick the wrong one.
    return f"id_{action}_%s"


def _service_call(
    request: HttpRequest, action: str, task: Any, pending: DeadlineChange | None, data: dict[str, Any]
) -> Callable[[], object]:
    user = request.user
    if action == "progress":
        return lambda: services.report_progress(user, task, progress=data["progress"], text=data["text"], files=data["attachments"])
    if action == "completion":
        return lambda: services.report_completion(user, task, evidence=data["evidence"], files=data["attachments"])
    if action == "confirm":
        return lambda: services.confirm_completion(user, task)
    if action == "extension":
        return lambda: services.request_extension(user, task, new_deadline=data["new_deadline"], reason=data["reason"])

    def decide() -> object:
        if pending is None:
            raise ValidationError(_("Không có đề nghị gia hạn nào chờ quyết định."))
        return services.decide_extension(user, pending, approve=data["decision"] == "approve", note=data["note"])

    return decide


def _run(form: forms.Form, call: Callable[[], object]) -> bool:
    """Run a service; its refusal goes onto ``form`` (the service wrote nothing)."""
    try:
        call()
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True
