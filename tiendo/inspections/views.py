"""Pages of inspection and supervision: the list by year with filters, a plan, an
inspection with its team, subjects, findings and recommendations followed up as tasks,
and the forms that create and complete them. Thin views over ``selectors`` and
``services``; a refused write re-renders with 400 and nothing written."""

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

from tiendo.inspections import selectors, services
from tiendo.inspections.forms import (
    ConclusionForm,
    FilterForm,
    InspectionForm,
    MemberForm,
    PlanForm,
    RecommendationForm,
    SubjectForm,
)
from tiendo.inspections.models import Inspection
from tiendo.lib.dates import date_from_query
from tiendo.web.forms import add_service_error


def _day(request: HttpRequest) -> Any:
    day, problem = date_from_query(request.GET.get("ngay"))
    if problem:
        messages.warning(request, problem)
    return day


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    form = FilterForm(
        request.GET or None, years=selectors.years(request.user), units=selectors.conducting_units(request.user)
    )
    filters: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.inspection_rows(
        request.user, day=day, year=filters.get("year"), kind=filters.get("kind", ""), unit=filters.get("unit")
    )
    plans = selectors.visible_plans(request.user).select_related("conducting_unit").prefetch_related("conducting_unit__versions")
    context = {"form": form, "rows": rows, "day": day, "plans": list(plans[: selectors.LIST_LIMIT]), "limit": selectors.LIST_LIMIT}
    return render(request, "inspections/inspection_list.html", context)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_or_404(request.user, pk)
    day = _day(request)
    rows = selectors.inspection_rows(request.user, day=day, plan=plan)
    return render(request, "inspections/plan_detail.html", {"plan": plan, "rows": rows, "day": day})


def _run(form: forms.Form, call: Callable[[], object]) -> bool:
    """Run a service; its refusal goes onto ``form`` (the service wrote nothing)."""
    try:
        call()
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user, unit_choices=selectors.unit_choices(request.user))
    status = 200
    if request.method == "POST":
        created: list[Any] = []
        if form.is_valid() and _run(form, lambda: created.append(services.create_plan(request.user, **form.cleaned_data))):
            messages.success(request, _("Đã tạo kế hoạch kiểm tra, giám sát."))
            return redirect("inspections:plan", pk=created[0].pk)
        status = 400
    return render(request, "inspections/form_page.html", {"form": form, "heading": _("Kế hoạch kiểm tra, giám sát mới")}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    plans = selectors.visible_plans(request.user).order_by("-year", "pk")
    form = InspectionForm(
        request.POST or None, user=request.user, unit_choices=selectors.unit_choices(request.user), plans=plans,
        initial={"plan": request.GET.get("ke_hoach")},
    )
    status = 200
    if request.method == "POST":
        created: list[Inspection] = []
        if form.is_valid() and _run(form, lambda: created.append(_create(request, form.cleaned_data))):
            messages.success(request, _("Đã ghi cuộc kiểm tra, giám sát."))
            return redirect("inspections:detail", pk=created[0].pk)
        status = 400
    return render(request, "inspections/form_page.html", {"form": form, "heading": _("Cuộc kiểm tra, giám sát mới")}, status=status)


def _create(request: HttpRequest, data: dict[str, Any]) -> Inspection:
    subjects = [services.SubjectInput(unit=unit) for unit in data["subject_units"]]
    if data["person_name"] or data["person_position"] or data["person_unit"]:
        subjects.append(
            services.SubjectInput(
                person_name=data["person_name"], person_position=data["person_position"], person_unit=data["person_unit"]
            )
        )
    team = []
    if data["leader_name"] or data["leader_position"]:
        team.append(services.MemberInput(data["leader_name"], data["leader_position"], role="leader"))
    return services.create_inspection(
        request.user, kind=data["kind"], conducting_unit=data["conducting_unit"], title=data["title"],
        starts_on=data["starts_on"], ends_on=data["ends_on"], plan=data["plan"], team_name=data["team_name"],
        decision_number=data["decision_number"], scope=data["scope"], subjects=subjects, team=team,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection_or_404(request.user, pk)
    writer = services.may_assign(request.user, inspection.conducting_unit)
    units = services.addressable_units(inspection) if writer else []
    choices = selectors.unit_choices(request.user) if writer else []
    makers: dict[str, Callable[[Any], forms.Form]] = {
        "subject": lambda data: SubjectForm(data, user=request.user, unit_choices=choices),
        "member": lambda data: MemberForm(data),
        "conclusion": lambda data: ConclusionForm(data, initial=_conclusion_initial(inspection)),
        "recommendation": lambda data: RecommendationForm(data, units=units),
    }
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in makers:
            return HttpResponseBadRequest(_("Yêu cầu không hợp lệ."))
        form = makers[action](request.POST)
        bound[action] = form
        if form.is_valid() and _run(form, _service_call(request, action, inspection, form.cleaned_data)):
            messages.success(request, _("Đã ghi nhận."))
            return redirect("inspections:detail", pk=inspection.pk)
        status = 400
    shown = {"subject": writer, "member": writer, "conclusion": writer, "recommendation": writer and inspection.is_concluded}
    action_forms = {name: bound.get(name) or makers[name](None) for name, show in shown.items() if show or name in bound}
    day = _day(request)
    context = {"page": selectors.inspection_page(request.user, inspection, day), "inspection": inspection, "day": day,
               "forms": action_forms}
    return render(request, "inspections/inspection_detail.html", context, status=status)


def _conclusion_initial(inspection: Inspection) -> dict[str, Any]:
    return {
        "strengths": inspection.strengths, "shortcomings": inspection.shortcomings,
        "conclusions": inspection.conclusions, "concluded_on": inspection.concluded_on,
    }


def _service_call(request: HttpRequest, action: str, inspection: Inspection, data: dict[str, Any]) -> Callable[[], object]:
    user = request.user
    if action == "subject":
        subject = services.SubjectInput(
            unit=data["unit"], person_name=data["person_name"], person_position=data["person_position"],
            person_unit=data["person_unit"],
        )
        return lambda: services.add_subject(user, inspection, subject)
    if action == "member":
        member = services.MemberInput(data["name"], data["position"], data["role"])
        return lambda: services.add_team_member(user, inspection, member)
    if action == "conclusion":
        return lambda: services.record_conclusion(
            user, inspection, strengths=data["strengths"], shortcomings=data["shortcomings"],
            conclusions=data["conclusions"], concluded_on=data["concluded_on"],
        )
    return lambda: services.add_recommendation(
        user, inspection, text=data["text"], unit=data["unit"], deadline=data["deadline"],
        expected_output=data["expected_output"],
    )
