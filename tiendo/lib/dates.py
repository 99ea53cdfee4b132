"""Dates as the user sees them: today in Hà Nội, and the date a page is looked at."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiendo.lib.vn import parse_date


def today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (the active time zone), not the server's UTC date."""
    return timezone.localdate()


def date_from_query(raw: str | None) -> tuple[dt.date, str | None]:
    """The date in a ``?ngay=`` parameter, or today; with a message when it was unreadable."""
    if not raw:
        return today(), None
    try:
        return parse_date(raw), None
    except ValueError as error:
        return today(), str(error)


def local_date(moment: dt.datetime) -> dt.date:
    """The day in Hà Nội of a stored moment: a report sent at 23:30 on the due date is on time."""
    return timezone.localtime(moment).date()
