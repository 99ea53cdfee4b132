"""Template filters that format through tiendo.lib.vn, the one formatting helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from tiendo.lib import vn

register = template.Library()


@register.filter
def vn_number(value: Any, decimals: Any = None) -> str:
    if value in (None, ""):
        return ""
    return vn.format_number(value, int(decimals) if decimals not in (None, "") else None)


@register.filter
def vn_percent(value: Any, decimals: Any = None) -> str:
    if value in (None, ""):
        return ""
    return vn.format_percent(value, int(decimals) if decimals not in (None, "") else None)


@register.filter
def vn_date(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return vn.format_date(value)


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.hour:02d}:{local.minute:02d} {vn.format_date(local.date())}"


@register.filter
def share_percent(value: Any) -> str:
    """A fraction 0..1 as a Vietnamese percentage with up to two decimals."""
    if value in (None, ""):
        return ""
    return vn.format_percent(round(float(value) * 100, 2))


@register.filter
def last_day(value: dt.date | None) -> dt.date | None:
    """The last day from an exclusive end date (we store the first day a record no longer holds)."""
    return None if value is None else value - dt.timedelta(days=1)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (a row's fields by indicator id)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def person(user: Any) -> str:
    """A user as people read them: the full name, else the user name; "—" for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
