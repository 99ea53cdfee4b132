from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiendo.accounts.scope import get_unit_or_404
from tiendo.audit.services import history_for_many
from tiendo.lib.dates import date_from_query
from tiendo.orgs import selectors
from tiendo.orgs.models import UnitKind


def _day(request: HttpRequest) -> tuple[dt.date, str | None]:
    return date_from_query(request.GET.get("ngay"))


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    day, date_error = _day(request)
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, object] = {"day": day, "date_error": date_error, "query": query}
    if query:
        context["results"] = selectors.search_on(request.user, day, query)
        context["other_dates"] = selectors.search_all_dates(request.user, query)
    else:
        context["roots"] = selectors.tree_on(request.user, day)
        context["ended"] = selectors.ended_roots(request.user, day)
    template = "orgs/_partials/tree_body.html" if request.htmx else "orgs/tree.html"
    return render(request, template, context)


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, pk)
    day, date_error = _day(request)
    page = selectors.unit_page(request.user, unit, day)
    return render(
        request,
        "orgs/unit_detail.html",
        {"page": page, "day": day, "date_error": date_error, "kind_label": UnitKind(unit.kind).label},
    )


@login_required
@require_GET
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, pk)
    entries = history_for_many([unit, *unit.versions.all()])[:500]
    return render(request, "orgs/unit_history.html", {"unit": unit, "entries": entries})
