"""Writing the audit log. Every service that changes a domain record calls ``record``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tiendo.audit.context import current_request_id
from tiendo.audit.models import AuditEntry


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's own fields as JSON-safe values (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _json_value(getattr(obj, field.attname))
    return data


def _entry(
    actor: Any, action: str, obj: models.Model, before: dict | None, after: dict | None, reason: str
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        actor_name=user.get_username() if user else "hệ thống",
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        reason=reason[:500],
    )


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Log one change. For a create pass ``after``; for a delete, ``before``."""
    if action != AuditEntry.Action.DELETE and after is None:
        after = snapshot(obj)
    entry = _entry(actor, action, obj, before, after, reason)
    entry.save()
    return entry


def record_many(actor: Any, rows: Iterable[tuple[str, models.Model, dict | None, dict | None]], reason: str = "") -> None:
    """Log many changes in one insert (action, object, before, after)."""
    AuditEntry.objects.bulk_create(
        [_entry(actor, action, obj, before, after, reason) for action, obj, before, after in rows]
    )


def history_for_many(objects: Iterable[models.Model]) -> models.QuerySet[AuditEntry]:
    """The audit entries of these records, newest first (the records may be of several models)."""
    q = models.Q(pk__in=[])
    by_type: dict[ContentType, list[str]] = {}
    for obj in objects:
        by_type.setdefault(ContentType.objects.get_for_model(obj, for_concrete_model=True), []).append(str(obj.pk))
    for content_type, ids in by_type.items():
        q |= models.Q(content_type=content_type, object_id__in=ids)
    return AuditEntry.objects.filter(q).select_related("actor", "content_type")
