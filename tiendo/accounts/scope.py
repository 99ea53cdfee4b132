"""The one scoping layer: what part of the unit tree a user may see or change.

A role on a unit covers that unit and every unit that was ever below it, on any
date; so a city viewer reaches the old wards of an abolished district through the
city, and a ward reporter sees nothing of the next ward. Every view, export and API
call fetches through these functions; anything outside scope is a 404.

Users are in an administrator's reach when they hold a role on a unit the
administrator may manage. Changes are checked once more inside the service's
transaction with ``can(..., on=day)``: writing needs the unit to be in scope on the
day the change takes effect, so the admin of an abolished district cannot change
the units that moved on to other parents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tiendo.accounts.models import ROLES_FOR_ACTION, Action, Role, RoleAssignment
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion, path_upper_bound, valid_on_q

EVERYTHING = None  # scope of a system administrator


def _is_system_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(a.role == Role.SYSTEM_ADMIN for a in _assignments(user))


def _assignments(user: Any) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_tiendo_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user))
        user._tiendo_assignments = cached
    return cached


def scope_paths(user: Any, action: str = Action.VIEW) -> list[str] | None:
    """Path prefixes the user may act on, ``None`` for everything, ``[]`` for nothing."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    if _is_system_admin(user):
        return EVERYTHING
    cache: dict[str, list[str]] = user.__dict__.setdefault("_tiendo_scope", {})
    if action in cache:
        return cache[action]
    roles = ROLES_FOR_ACTION[action]
    unit_ids = {a.unit_id for a in _assignments(user) if a.role in roles and a.unit_id}
    paths = sorted(set(UnitVersion.objects.filter(unit_id__in=unit_ids).values_list("path", flat=True)))
    minimal: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    cache[action] = minimal
    return minimal


def path_q(paths: list[str], field: str = "path") -> Q:
    """Rows whose ``field`` lies in one of the subtrees; a range, so the index serves it."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})
    return q


def restrict_versions(queryset: QuerySet[UnitVersion], user: Any, action: str = Action.VIEW) -> QuerySet[UnitVersion]:
    paths = scope_paths(user, action)
    if paths is EVERYTHING:
        return queryset
    return queryset.filter(path_q(paths)) if paths else queryset.none()


def restrict_units(queryset: QuerySet[OrgUnit], user: Any, action: str = Action.VIEW) -> QuerySet[OrgUnit]:
    paths = scope_paths(user, action)
    if paths is EVERYTHING:
        return queryset
    if not paths:
        return queryset.none()
    return queryset.filter(pk__in=UnitVersion.objects.filter(path_q(paths)).values("unit_id"))


def visible_unit_ids(user: Any, *, with_ancestors: bool = False) -> QuerySet[Any] | None:
    """The units a user may see (``None``: all). With ``with_ancestors`` also the
    units above them, whose plans and resolutions apply to them: a ward reporter
    reads the district's resolution, though not the other wards' figures."""
    paths = scope_paths(user, Action.VIEW)
    if paths is EVERYTHING:
        return None
    q = Q(pk__in=UnitVersion.objects.filter(path_q(paths)).values("unit_id")) if paths else Q(pk__in=[])
    if with_ancestors and paths:
        ancestors = {int(p[i : i + PATH_SEGMENT]) for p in paths for i in range(0, len(p), PATH_SEGMENT)}
        q |= Q(pk__in=ancestors)
    return OrgUnit.objects.filter(q).values("pk")


def restrict_by_unit(
    queryset: QuerySet[Any], user: Any, field: str = "unit", *, with_ancestors: bool = False
) -> QuerySet[Any]:
    """Rows whose ``field`` (a unit) the user may see: the one filter for every model
    that belongs to a unit (values, targets, plans, resolutions…)."""
    units = visible_unit_ids(user, with_ancestors=with_ancestors)
    return queryset if units is None else queryset.filter(**{f"{field}__in": units})


def restrict_by_issuer(queryset: QuerySet[Any], user: Any, field: str = "issuer") -> QuerySet[Any]:
    """Rows issued by a body whose authority reaches the user: one of the user's units,
    a unit above them, or a body attached to one of those (the district Party
    committee hangs beside the wards, under the district, yet its resolution applies
    to the wards). For resolutions, programs and whatever a committee issues."""
    if scope_paths(user) is EVERYTHING:
        return queryset
    own = restrict_by_unit(queryset, user, field, with_ancestors=True)
    attached = restrict_by_unit(queryset, user, f"{field}__versions__parent", with_ancestors=True)
    return queryset.filter(Q(pk__in=own.values("pk")) | Q(pk__in=attached.values("pk")))


def get_unit_or_404(user: Any, pk: Any, action: str = Action.VIEW) -> OrgUnit:
    """The unit if the user may act on it; otherwise 404, as if it did not exist."""
    try:
        return restrict_units(OrgUnit.objects.all(), user, action).get(pk=int(pk))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy đơn vị.")) from None


def can(user: Any, action: str, unit: OrgUnit, on: dt.date | None = None) -> bool:
    """Whether the user may do ``action`` on ``unit``: at any date, or where the unit
    stood in the tree ``on`` that day."""
    paths = scope_paths(user, action)
    if paths is EVERYTHING:
        return True
    if not paths:
        return False
    versions = UnitVersion.objects.filter(path_q(paths), unit=unit)
    if on is not None:
        versions = versions.filter(valid_on_q(on))
    return versions.exists()


def manageable_assignments(actor: Any) -> QuerySet[RoleAssignment]:
    """The role assignments the actor may see and revoke."""
    assignments = RoleAssignment.objects.all()
    if scope_paths(actor, Action.MANAGE) is EVERYTHING:
        return assignments
    units = restrict_units(OrgUnit.objects.all(), actor, Action.MANAGE)
    return assignments.filter(unit__in=units)


def restrict_users(queryset: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    if scope_paths(actor, Action.MANAGE) is EVERYTHING:
        return queryset
    return queryset.filter(pk__in=manageable_assignments(actor).values("user_id"))


def get_user_or_404(actor: Any, pk: Any) -> Any:
    try:
        return restrict_users(get_user_model().objects.all(), actor).get(pk=int(pk))
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy người dùng.")) from None


def can_manage_users(user: Any) -> bool:
    return scope_paths(user, Action.MANAGE) != []


def forget_scope(user: Any) -> None:
    """Drop what was cached on the user object after its roles changed."""
    for attr in ("_tiendo_assignments", "_tiendo_scope"):
        user.__dict__.pop(attr, None)
