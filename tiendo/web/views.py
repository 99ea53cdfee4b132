from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tiendo.accounts.models import Role, RoleAssignment
from tiendo.lib.dates import date_from_query, today
from tiendo.web import selectors

# Who gets the dashboard as their home page: those who lead, review or administer a
# unit (and system administrators). Someone who only reports keeps the list of their
# work; anyone may still open /tong-quan/ within their scope.
LEADER_ROLES = frozenset({Role.VIEWER, Role.REVIEWER, Role.UNIT_ADMIN, Role.SYSTEM_ADMIN})


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    day, date_error = date_from_query(request.GET.get("ngay"))
    board = selectors.dashboard(
        request.user, day, resolution_id=request.GET.get("nghi_quyet", ""), indicator_id=request.GET.get("chi_tieu", "")
    )
    return render(request, "web/dashboard.html", {"board": board, "day": day, "date_error": date_error})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    day = today()
    assignments = list(
        RoleAssignment.objects.filter(user=cast(User, request.user))
        .select_related("unit")
        .prefetch_related("unit__versions")
        .order_by("role")
    )
    # From the assignments already loaded, so the home page costs no extra query.
    manages = getattr(request.user, "is_superuser", False) or any(
        a.role in (Role.UNIT_ADMIN, Role.SYSTEM_ADMIN) for a in assignments
    )
    from tiendo.reporting.selectors import my_work  # the home page shows what waits; reporting builds on web

    to_fill, to_review = my_work(request.user)
    board = None
    if getattr(request.user, "is_superuser", False) or any(a.role in LEADER_ROLES for a in assignments):
        board = selectors.dashboard(request.user, day)
        board = board if board.has_content else None  # nothing to show: today's home, not an empty dashboard
    return render(
        request,
        "web/home.html",
        {
            "assignments": assignments,
            "day": day,
            "manages_users": manages,
            "to_fill": to_fill,
            "to_review": to_review,
            "board": board,
        },
    )


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"code": 404, "title": _("Không tìm thấy trang")}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"code": 403, "title": _("Không có quyền truy cập")}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html", {"code": 500, "title": _("Hệ thống gặp lỗi")}, status=500)
