"""What every page's header needs from reporting: how many notifications wait unread."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tiendo.reporting.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: counted with one query, and only when a template
    shows it (a redirect or an htmx fragment pays nothing); nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
