"""Pages for planning periodic reporting: the schedules (lịch báo cáo), opening a
round by hand, a unit's record of reporting on time, and the background job runs.

Thin views over ``schedules``, ``services.open_round`` and ``timeliness``. A form page
is a GET and a POST to the same address; a refusal comes back on the form with HTTP
400 and nothing written. The units offered are those on ``?ngay=`` (today by
default); changing the reviewing unit reloads its units (htmx, or a button without
JavaScript) and keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, get_unit_or_404, restrict_by_unit, restrict_units, scope_paths
from tiendo.lib import periods
from tiendo.lib.dates import date_from_query
from tiendo.lib.vn import format_date
from tiendo.orgs.models import OrgUnit
from tiendo.reporting import schedules, services, timeliness
from tiendo.reporting.forms_schedule import (
    OpenRoundForm,
    ScheduleForm,
    planning_choices,
    reporting_choices,
    unit_labels,
)
from tiendo.reporting.models import JobRun, Schedule
from tiendo.web.forms import add_service_error

JOB_RUNS_SHOWN = 50


def _visible_schedules(user: Any) -> Any:
    """Schedules whose reviewing unit the user may see."""
    return restrict_by_unit(Schedule.objects.all(), user, "reviewing_unit")


def _plans_anything(user: Any) -> bool:
    """Whether the user manages or reviews some unit: who may see the planning forms."""
    return scope_paths(user, Action.MANAGE) != [] or scope_paths(user, Action.REVIEW) != []


def _plannable_ids(user: Any, unit_ids: set[int]) -> set[int]:
    """Which of these units the user may plan for (manage or review), in two queries."""
    units = OrgUnit.objects.filter(pk__in=unit_ids)
    managed = set(restrict_units(units, user, Action.MANAGE).values_list("pk", flat=True))
    return managed | set(restrict_units(units, user, Action.REVIEW).values_list("pk", flat=True))


@login_required
@require_GET
def schedule_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        _visible_schedules(request.user)
        .select_related("data_set", "reviewing_unit")
        .prefetch_related("reviewing_unit__versions")
        .annotate(n_units=Count("units", distinct=True), n_rounds=Count("rounds", distinct=True))
        .annotate(last_period=Max("rounds__period_start"))
        .order_by("name", "pk")
    )
    plannable = _plannable_ids(request.user, {row.reviewing_unit_id for row in rows})
    return render(
        request,
        "reporting/schedule_list.html",
        {
            "rows": [(row, row.reviewing_unit_id in plannable, _example(row)) for row in rows],
            "may_plan": _plans_anything(request.user),
            "is_system_admin": scope_paths(request.user) is EVERYTHING,
        },
    )


def _example(schedule: Schedule) -> str:
    """The schedule's dates at work, for its latest round (or its first period):
    "quý II/2025: mở 20/6/2025, hạn nộp 10/7/2025"."""
    last = getattr(schedule, "last_period", None)
    period = periods.containing(schedule.data_set.period_kind, last or schedule.starts_on)
    return _("%(period)s: mở %(open)s, hạn nộp %(due)s") % {
        "period": period.label,
        "open": format_date(period.end + dt.timedelta(days=schedule.open_offset_days)),
        "due": format_date(period.end + dt.timedelta(days=schedule.due_offset_days)),
    }


def _planned_schedule(user: Any, pk: int) -> Schedule:
    """A schedule to change: 404 outside what the user sees, 403 without the right."""
    try:
        schedule = _visible_schedules(user).select_related("reviewing_unit", "data_set").get(pk=pk)
    except Schedule.DoesNotExist:
        raise Http404(_("Không tìm thấy lịch báo cáo.")) from None
    if not schedules.may_plan(user, schedule.reviewing_unit):
        raise PermissionDenied
    return schedule


def _selected_unit(raw: Any, planning: list[tuple[int, str]], fallback: int | None = None) -> int | None:
    """The reviewing unit whose units to list: the one chosen if it is offered, else
    ``fallback``, else the first offered."""
    offered = [pk for pk, _label in planning]
    try:
        chosen = int(raw)
    except (TypeError, ValueError):
        chosen = None
    if chosen in offered:
        return chosen
    if fallback is not None:
        return fallback
    return offered[0] if offered else None


def _typed_so_far(request: HttpRequest, names: list[str], initial: dict[str, Any]) -> dict[str, Any]:
    """On a GET that reloads the units (the reviewing unit or period changed), keep
    what was typed in the other fields."""
    if "reviewing_unit" not in request.GET:
        return initial
    typed = dict(initial)
    for name in names:
        if name == "units":
            typed[name] = request.GET.getlist(name)
        elif name == "is_active":
            typed[name] = name in request.GET
        elif name in request.GET:
            typed[name] = request.GET[name]
    return typed


KEPT_PARAMETERS = ("ngay", "lich")  # what the address says besides the form: the day, the schedule


def _kept(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in KEPT_PARAMETERS if request.GET.get(name)}


def _reload_attrs(form: Any, request: HttpRequest, *names: str) -> None:
    """Changing one of these fields fetches the page again and swaps in its list of units."""
    kept = _kept(request)
    url = f"{request.path}?{urlencode(kept)}" if kept else request.path
    for name in names:
        form.fields[name].widget.attrs.update(
            {
                "hx-get": url,
                "hx-trigger": "change",
                "hx-include": "closest form",
                "hx-select": "#id_units",
                "hx-target": "#id_units",
                "hx-swap": "outerHTML",
            }
        )


def _form_page(request: HttpRequest, form: Any, day: dt.date, date_error: str | None, **context: Any) -> HttpResponse:
    return render(
        request,
        "reporting/schedule_form.html",
        {"form": form, "day": day, "date_error": date_error, "kept": _kept(request), **context},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    schedule = _planned_schedule(request.user, pk) if pk is not None else None
    day, date_error = date_from_query(request.GET.get("ngay"))
    if schedule is None and not _plans_anything(request.user):
        raise PermissionDenied
    planning = planning_choices(request.user, day)
    kept: list[OrgUnit] = []
    if schedule is not None:
        kept = list(schedule.units.prefetch_related("versions"))
        if schedule.reviewing_unit_id not in {pk for pk, _label in planning}:
            planning = [*planning, *unit_labels([schedule.reviewing_unit])]
        initial: dict[str, Any] = {
            "data_set": schedule.data_set_id,
            "name": schedule.name,
            "reviewing_unit": schedule.reviewing_unit_id,
            "units": [unit.pk for unit in kept],
            "starts_on": schedule.starts_on,
            "ends_on": schedule.ends_on,
            "open_offset_days": schedule.open_offset_days,
            "due_offset_days": schedule.due_offset_days,
            "remind_days_before": schedule.remind_days_before,
            "is_active": schedule.is_active,
        }
    else:
        initial = {"open_offset_days": -10, "due_offset_days": 10, "remind_days_before": 3, "is_active": True}
    source = request.POST if request.method == "POST" else request.GET
    initial = _typed_so_far(request, ScheduleForm.field_order, initial)
    selected = _selected_unit(
        source.get("reviewing_unit"), planning, None if "reviewing_unit" in source else initial.get("reviewing_unit")
    )
    reporting = reporting_choices(request.user, selected, day)
    if schedule is not None and selected == schedule.reviewing_unit_id:
        offered = {pk for pk, _label in reporting}
        reporting += [choice for choice in unit_labels(kept) if choice[0] not in offered]
    if selected is not None:
        initial["reviewing_unit"] = selected
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=request.user,
        planning=planning,
        reporting=reporting,
    )
    _reload_attrs(form, request, "reviewing_unit")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "data_set": data["data_set"],
            "name": data["name"],
            "reviewing_unit": data["reviewing_unit"],
            "units": data["units"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "open_offset_days": data["open_offset_days"],
            "due_offset_days": data["due_offset_days"],
            "remind_days_before": data["remind_days_before"],
            "is_active": data["is_active"],
        }
        try:
            if schedule is None:
                saved = schedules.create_schedule(request.user, **fields)
                messages.success(request, _("Đã tạo lịch báo cáo “%(name)s”.") % {"name": saved.name})
            else:
                saved = schedules.update_schedule(request.user, schedule, **fields)
                messages.success(request, _("Đã lưu lịch báo cáo “%(name)s”.") % {"name": saved.name})
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("reporting:schedules")
    return _form_page(
        request,
        form,
        day,
        date_error,
        title=_("Sửa lịch báo cáo") if schedule else _("Tạo lịch báo cáo"),
        intro=_(
            "Lịch báo cáo cho biết đơn vị nào báo cáo bộ chỉ tiêu nào lên đơn vị tổng hợp, khi nào mở đợt và hạn nộp. "
            "Tác vụ nền tự mở các đợt báo cáo theo lịch và nhắc các đơn vị chưa nộp."
        ),
        submit_label=_("Lưu lịch") if schedule else _("Tạo lịch"),
        schedule=schedule,
    )


def _round_initial(schedule: Schedule | None, day: dt.date) -> dict[str, Any]:
    """What the "open a round" form starts with: from a schedule, its data set, units
    and the dates of the period containing ``day``."""
    if schedule is None:
        return {"remind_days_before": 3}
    period = periods.containing(schedule.data_set.period_kind, day)
    return {
        "data_set": schedule.data_set_id,
        "period": period.code,
        "reviewing_unit": schedule.reviewing_unit_id,
        "units": list(schedule.units.values_list("pk", flat=True)),
        "opens_on": period.end + dt.timedelta(days=schedule.open_offset_days),
        "due_on": period.end + dt.timedelta(days=schedule.due_offset_days),
        "remind_days_before": schedule.remind_days_before,
    }


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest) -> HttpResponse:
    schedule = None
    if request.GET.get("lich"):
        try:
            schedule = _planned_schedule(request.user, int(request.GET["lich"]))
        except ValueError:
            raise Http404 from None
    day, date_error = date_from_query(request.GET.get("ngay"))
    source = request.POST if request.method == "POST" else request.GET
    initial = _typed_so_far(request, OpenRoundForm.field_order, _round_initial(schedule, day))
    # The units offered are those below the reviewing unit at the end of the period typed.
    try:
        units_day = periods.parse(str(source.get("period") or initial.get("period") or "")).last_day
    except ValueError:
        units_day = day
    if schedule is None and not _plans_anything(request.user):
        raise PermissionDenied
    planning = planning_choices(request.user, units_day)
    fallback = None if "reviewing_unit" in source else initial.get("reviewing_unit")
    if schedule is not None and schedule.reviewing_unit_id not in {pk for pk, _label in planning}:
        planning = [*planning, *unit_labels([schedule.reviewing_unit])]
    selected = _selected_unit(source.get("reviewing_unit"), planning, fallback)
    reporting = reporting_choices(request.user, selected, units_day)
    if schedule is not None and selected == schedule.reviewing_unit_id:
        offered = {pk for pk, _label in reporting}
        reporting += [c for c in unit_labels(list(schedule.units.prefetch_related("versions"))) if c[0] not in offered]
    if selected is not None:
        initial["reviewing_unit"] = selected
    form = OpenRoundForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=request.user,
        planning=planning,
        reporting=reporting,
    )
    _reload_attrs(form, request, "reviewing_unit", "period")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.open_round(
                request.user,
                data_set=data["data_set"],
                period=data["period"],
                reviewing_unit=data["reviewing_unit"],
                units=data["units"],
                opens_on=data["opens_on"],
                due_on=data["due_on"],
                remind_days_before=data["remind_days_before"],
                schedule=schedule if schedule is not None and schedule.data_set_id == data["data_set"].pk else None,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã mở đợt báo cáo %(round)s cho %(count)s đơn vị, hạn nộp %(due)s.")
                % {"round": round_, "count": len(data["units"]), "due": format_date(round_.due_on)},
            )
            return redirect("reporting:round", round_.pk)
    return _form_page(
        request,
        form,
        day,
        date_error,
        title=_("Mở đợt báo cáo"),
        intro=_(
            "Mở một đợt báo cáo ngay, không chờ lịch: mỗi đơn vị được chọn có một báo cáo để nhập và gửi. "
            "Các đơn vị được nhắc khi đợt mở, khi sắp đến hạn và khi quá hạn."
        ),
        submit_label=_("Mở đợt báo cáo"),
        schedule=schedule,
    )


@login_required
@require_GET
def unit_timeliness(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, unit_pk)
    history = timeliness.unit_history(unit)
    return render(request, "reporting/unit_timeliness.html", {"unit": unit, "history": history})


@login_required
@require_GET
def job_runs(request: HttpRequest) -> HttpResponse:
    """The latest runs of the background jobs: for system administrators, who keep the
    server that runs them."""
    if scope_paths(request.user) is not EVERYTHING:
        raise PermissionDenied
    runs = JobRun.objects.order_by("-started_at", "-pk")[:JOB_RUNS_SHOWN]
    return render(request, "reporting/jobs.html", {"runs": runs, "shown": JOB_RUNS_SHOWN})
