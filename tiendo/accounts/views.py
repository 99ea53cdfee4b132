"""Users and roles (người dùng và phân quyền) for unit administrators: thin views over
``tiendo.accounts.services``, reading through ``tiendo.accounts.selectors``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiendo.accounts import scope, selectors, services
from tiendo.accounts.forms import CreateUserForm, GrantRoleForm, UserSearchForm
from tiendo.accounts.models import Action, Role
from tiendo.accounts.scope import can_manage_users, get_unit_or_404
from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit
from tiendo.orgs.selectors import manageable_on
from tiendo.web.forms import add_service_error


def _require_manager(user: Any) -> None:
    """These pages exist for unit administrators; anyone else gets 403."""
    if not can_manage_users(user):
        raise PermissionDenied


def _unit_choices(request: HttpRequest, selected: OrgUnit | None = None) -> list[tuple[int, str]]:
    """Units the actor may manage today, plus ``selected`` when it has ended since
    (a role on an ended unit still reaches its history)."""
    choices = manageable_on(request.user, today())
    if selected is not None and selected.pk not in {pk for pk, _label in choices}:
        choices.insert(0, (selected.pk, str(selected)))
    return choices


def _unit_from_query(request: HttpRequest) -> OrgUnit | None:
    raw = request.GET.get("don_vi")
    if not raw:
        return None
    try:
        return get_unit_or_404(request.user, raw, Action.MANAGE)
    except Http404:
        return None  # a stale or foreign link only loses its pre-selection


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    search = UserSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    users, truncated = selectors.search_users(request.user, query)
    return render(
        request,
        "accounts/user_list.html",
        {"users": users, "truncated": truncated, "query": query, "search": search, "limit": selectors.USER_LIST_LIMIT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    selected = _unit_from_query(request)
    form = CreateUserForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        unit_choices=_unit_choices(request, selected),
        initial={"unit": selected.pk if selected else None, "role": Role.VIEWER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                role=data["role"],
                unit=data["unit"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã tạo tài khoản “%(name)s”.") % {"name": user.get_username()})
            return redirect("accounts:user_detail", pk=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_create.html", {"form": form}, status=status)


def _user_page(request: HttpRequest, target: Any, form: GrantRoleForm, status: int = 200) -> HttpResponse:
    roles, hidden = selectors.user_page(request.user, target)
    return render(
        request,
        "accounts/user_detail.html",
        {"target": target, "roles": roles, "hidden_roles": hidden, "form": form},
        status=status,
    )


@login_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request.user)
    target = scope.get_user_or_404(request.user, pk)
    selected = _unit_from_query(request)
    form = GrantRoleForm(
        user=request.user,
        unit_choices=_unit_choices(request, selected),
        initial={"unit": selected.pk if selected else None, "role": Role.VIEWER},
    )
    return _user_page(request, target, form)


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request.user)
    target = scope.get_user_or_404(request.user, pk)
    form = GrantRoleForm(request.POST, user=request.user, unit_choices=_unit_choices(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.grant_role(request.user, target, data["role"], data["unit"], title=data["title"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            where = str(assignment.unit) if assignment.unit_id else _("toàn hệ thống")
            messages.success(
                request,
                _("Đã cấp vai trò %(role)s tại %(where)s.") % {"role": assignment.get_role_display(), "where": where},
            )
            return redirect("accounts:user_detail", pk=target.pk)
    return _user_page(request, target, form, status=400)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    _require_manager(request.user)
    target = scope.get_user_or_404(request.user, pk)
    assignment = get_object_or_404(scope.manageable_assignments(request.user), pk=assignment_pk, user=target)
    label = str(assignment)
    try:
        services.revoke_role(request.user, assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:user_detail", pk=target.pk)
    messages.success(request, _("Đã thu hồi vai trò: %(role)s.") % {"role": label})
    # Without the role the user may have left the actor's reach.
    if scope.restrict_users(type(target).objects.filter(pk=target.pk), request.user).exists():
        return redirect("accounts:user_detail", pk=target.pk)
    return redirect("accounts:users")
