"""Pages of resolutions and programs: thin views over ``tiendo.plans.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiendo.accounts.scope import get_unit_or_404
from tiendo.lib.dates import date_from_query
from tiendo.orgs.models import OrgUnit
from tiendo.plans import selectors


def _unit(request: HttpRequest) -> OrgUnit | None:
    """The unit asked for with ``?don_vi=``, through the scoping layer (404 if out of scope)."""
    raw = request.GET.get("don_vi", "").strip()
    return get_unit_or_404(request.user, raw) if raw else None


@login_required
@require_GET
def resolution_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/resolution_list.html", {"resolutions": selectors.resolution_list(request.user)})


@login_required
@require_GET
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = selectors.get_resolution_or_404(request.user, pk)
    day, date_error = date_from_query(request.GET.get("ngay"))
    page = selectors.resolution_page(request.user, resolution, day, _unit(request))
    return render(request, "plans/resolution_detail.html", {"page": page, "day": day, "date_error": date_error})


@login_required
@require_GET
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.get_program_or_404(request.user, pk)
    day, date_error = date_from_query(request.GET.get("ngay"))
    only_flagged = request.GET.get("nq") == "1"
    page = selectors.program_page(request.user, program, day, _unit(request), only_flagged=only_flagged)
    return render(request, "plans/program_detail.html", {"page": page, "day": day, "date_error": date_error})
