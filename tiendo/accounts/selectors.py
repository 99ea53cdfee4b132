"""Reading users for a unit administrator; who is within reach is decided in scope.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from tiendo.accounts.models import RoleAssignment
from tiendo.accounts.scope import manageable_assignments, restrict_users
from tiendo.lib.text import fold

USER_LIST_LIMIT = 200


def _with_roles(users: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    """Each user with the roles the actor may see, their units' versions prefetched
    (a unit prints its latest name), in a fixed number of queries."""
    roles = (
        manageable_assignments(actor)
        .select_related("unit")
        .prefetch_related("unit__versions")
        .order_by("role", "unit_id")
    )
    return users.prefetch_related(Prefetch("role_assignments", queryset=roles, to_attr="visible_roles"))


def search_users(actor: Any, query: str = "") -> tuple[list[Any], bool]:
    """Users within reach whose username, e-mail or name contains ``query``; at most
    ``USER_LIST_LIMIT``, with whether there were more.

    Names are matched as typed (the database folds case, not accents), while
    usernames, which are written without accents, also match the folded query, so
    "Nguyễn" finds "nguyen.van.an".
    """
    users = restrict_users(get_user_model().objects.all(), actor)
    query = query.strip()
    if query:
        folded = fold(query)
        users = users.filter(
            Q(username__icontains=query)
            | Q(username__icontains=folded)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    found = list(_with_roles(users.order_by("username"), actor)[: USER_LIST_LIMIT + 1])
    return found[:USER_LIST_LIMIT], len(found) > USER_LIST_LIMIT


def user_page(actor: Any, user: Any) -> tuple[list[RoleAssignment], int]:
    """The roles of ``user`` the actor may see, and how many others the user holds."""
    visible = list(
        manageable_assignments(actor)
        .filter(user=user)
        .select_related("unit", "granted_by")
        .prefetch_related("unit__versions")
        .order_by("role", "unit_id")
    )
    hidden = RoleAssignment.objects.filter(user=user).exclude(pk__in=[a.pk for a in visible]).count()
    return visible, hidden
