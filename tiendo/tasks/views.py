"""Pages of directives and tasks: what waits for me, the list with filters, counts
per unit, the overdue board, a directive and a task with its action forms. Thin
views over ``selectors`` and ``services``; a refused action re-renders with 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit
from tiendo.tasks import selectors, services
from tiendo.tasks.forms import CompletionForm, ConfirmForm, DecideForm, ExtensionForm, ProgressForm, TaskFilterForm
from tiendo.tasks.models import DeadlineChange
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
    return render(request, "tasks/task_list.html", {"form": form, "rows": rows, "limit": selectors.LIST_LIMIT})


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
    return render(request, "tasks/directive_detail.html", {"directive": directive, "rows": rows})


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
        form = ACTIONS[action](request.POST)
        bound[action] = form
        if form.is_valid() and _run(form, _service_call(request, action, task, pending, form.cleaned_data)):
            messages.success(request, _("Đã ghi nhận."))
            return redirect("tasks:detail", pk=task.pk)
        status = 400
    carry = services.may_carry_out(request.user, task)
    assign = services.may_assign(request.user, task.assigned_by)
    open_ = not task.is_confirmed
    shown = {
        "progress": carry and open_,
        "completion": carry and open_,
        "extension": carry and open_ and pending is None,
        "confirm": assign and open_ and task.completed_on is not None,
        "decide": assign and pending is not None,
    }
    action_forms = {name: bound.get(name) or ACTIONS[name]() for name, show in shown.items() if show or name in bound}
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
        "updates": list(task.updates.select_related("reported_by")),
        "changes": list(task.deadline_changes.select_related("requested_by", "decided_by")),
        "pending": pending,
        "forms": action_forms,
    }
    return render(request, "tasks/task_detail.html", context, status=status)


def _service_call(
    request: HttpRequest, action: str, task: Any, pending: DeadlineChange | None, data: dict[str, Any]
) -> Callable[[], object]:
    user = request.user
    if action == "progress":
        return lambda: services.report_progress(user, task, progress=data["progress"], text=data["text"])
    if action == "completion":
        return lambda: services.report_completion(user, task, evidence=data["evidence"])
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
