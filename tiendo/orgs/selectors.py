"""Reading the unit tree for a user: the tree on a date, a unit's page, its lineage.

Everything here goes through the scoping layer and runs a fixed number of queries
whatever the size of the tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from tiendo.accounts.scope import restrict_units, restrict_versions
from tiendo.lib.text import fold
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, ReorgLink, UnitVersion, valid_on_q


@dataclass
class TreeNode:
    version: UnitVersion
    children: list[TreeNode] = field(default_factory=list)


def tree_on(user: Any, day: dt.date) -> list[TreeNode]:
    """The part of the tree on ``day`` that the user may see, as nested nodes."""
    versions = list(
        restrict_versions(UnitVersion.objects.filter(valid_on_q(day)), user).select_related("unit").order_by("path")
    )
    return _nest(versions)


def _nest(versions: Iterable[UnitVersion]) -> list[TreeNode]:
    roots: list[TreeNode] = []
    by_path: dict[str, TreeNode] = {}
    for version in versions:  # ordered by path: parents come first
        node = TreeNode(version)
        by_path[version.path] = node
        parent = by_path.get(version.path[:-PATH_SEGMENT])
        (parent.children if parent else roots).append(node)
    return roots


def search_on(user: Any, day: dt.date, query: str) -> list[tuple[UnitVersion, list[UnitVersion]]]:
    """Units on ``day`` whose name or code matches ``query`` (accents and case ignored),
    each with its ancestors for a breadcrumb."""
    folded = fold(query)
    in_scope = restrict_versions(UnitVersion.objects.filter(valid_on_q(day)), user)
    matches = list(in_scope.filter(search_text__contains=folded).select_related("unit").order_by("path")[:200])
    ancestor_paths = {m.path[:end] for m in matches for end in range(PATH_SEGMENT, len(m.path), PATH_SEGMENT)}
    ancestors = {v.path: v for v in UnitVersion.objects.filter(valid_on_q(day), path__in=ancestor_paths)}
    return [
        (m, [ancestors[m.path[:end]] for end in range(PATH_SEGMENT, len(m.path), PATH_SEGMENT) if m.path[:end] in ancestors])
        for m in matches
    ]


def search_all_dates(user: Any, query: str, exclude_units: Collection[int] = ()) -> list[UnitVersion]:
    """Versions of any date matching ``query`` (units that no longer exist, or had
    another name), leaving out the units already found on the chosen date."""
    return list(
        restrict_versions(UnitVersion.objects.filter(search_text__contains=fold(query)), user)
        .exclude(unit_id__in=exclude_units)
        .select_related("unit")
        .order_by("name", "valid_from")[:100]
    )


@dataclass
class UnitPage:
    unit: OrgUnit
    day: dt.date
    version: UnitVersion | None
    versions: list[UnitVersion]
    ancestors: list[UnitVersion]
    children: list[UnitVersion]
    predecessor_links: list[ReorgLink]
    successor_links: list[ReorgLink]
    visible_ids: set[int]
    members: list[Any]


def unit_page(user: Any, unit: OrgUnit, day: dt.date) -> UnitPage:
    from tiendo.accounts.models import RoleAssignment

    prefetch_related_objects(
        [unit], Prefetch("versions", queryset=UnitVersion.objects.select_related("event").order_by("valid_from"))
    )
    versions = list(unit.versions.all())
    version = next((v for v in versions if v.contains(day)), None)
    ancestors: list[UnitVersion] = []
    children: list[UnitVersion] = []
    if version is not None:
        ids = [int(version.path[i : i + PATH_SEGMENT]) for i in range(0, len(version.path) - PATH_SEGMENT, PATH_SEGMENT)]
        by_unit = {v.unit_id: v for v in UnitVersion.objects.filter(valid_on_q(day), unit_id__in=ids)}
        ancestors = [by_unit[i] for i in ids if i in by_unit]
        children = list(
            restrict_versions(UnitVersion.objects.filter(valid_on_q(day), parent=unit), user)
            .select_related("unit")
            .order_by("path")
        )
    predecessor_links = list(
        ReorgLink.objects.filter(successor=unit)
        .select_related("event", "predecessor")
        .prefetch_related(Prefetch("predecessor__versions", queryset=UnitVersion.objects.order_by("valid_from")))
        .order_by("event__date", "id")
    )
    successor_links = list(
        ReorgLink.objects.filter(predecessor=unit)
        .select_related("event", "successor")
        .prefetch_related(Prefetch("successor__versions", queryset=UnitVersion.objects.order_by("valid_from")))
        .order_by("event__date", "id")
    )
    linked_ids = {link.predecessor_id for link in predecessor_links} | {link.successor_id for link in successor_links}
    visible_ids = set(restrict_units(OrgUnit.objects.filter(pk__in=linked_ids), user).values_list("pk", flat=True))
    members = list(RoleAssignment.objects.filter(unit=unit).select_related("user").order_by("role", "user__username"))
    return UnitPage(
        unit=unit,
        day=day,
        version=version,
        versions=versions,
        ancestors=ancestors,
        children=children,
        predecessor_links=predecessor_links,
        successor_links=successor_links,
        visible_ids=visible_ids,
        members=members,
    )


def ended_roots(user: Any, day: dt.date) -> list[tuple[OrgUnit, list[ReorgLink]]]:
    """The user's own units that no longer exist on ``day``, with their successors:
    what a district viewer sees after the district was abolished."""
    from tiendo.accounts.models import RoleAssignment

    unit_ids = RoleAssignment.objects.filter(user=user, unit__isnull=False).values("unit_id")
    ended = list(
        OrgUnit.objects.filter(pk__in=unit_ids)
        .exclude(valid_on_q(day))
        .prefetch_related(
            Prefetch("versions", queryset=UnitVersion.objects.order_by("valid_from")),
            Prefetch(
                "successor_links",
                queryset=ReorgLink.objects.select_related("successor", "event").prefetch_related("successor__versions"),
            ),
        )
    )
    return [(unit, list(unit.successor_links.all())) for unit in ended]


def manageable_on(
    user: Any,
    day: dt.date,
    *,
    exclude_subtree_of: UnitVersion | None = None,
    kinds: Iterable[str] | None = None,
) -> list[tuple[int, str]]:
    """(unit id, label) for the units on ``day`` that the user may manage, in tree order,
    indented by depth: the choices of a "pick a unit" field.

    The choices are a convenience only: whatever id comes back is fetched again through
    the scoping layer (``tiendo.orgs.forms.UnitField``).
    """
    from tiendo.accounts.models import Action

    versions = restrict_versions(UnitVersion.objects.filter(valid_on_q(day)), user, Action.MANAGE)
    if exclude_subtree_of is not None:
        versions = versions.exclude(path__startswith=exclude_subtree_of.path)
    if kinds is not None:
        versions = versions.filter(unit__kind__in=list(kinds))
    rows = list(versions.order_by("path").values_list("unit_id", "name", "code", "depth"))
    top = min((depth for *_, depth in rows), default=0)
    return [
        (unit_id, "\u00a0\u00a0\u00a0" * (depth - top) + (f"{name} ({code})" if code else name))
        for unit_id, name, code, depth in rows
    ]
