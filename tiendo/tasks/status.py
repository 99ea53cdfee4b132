"""A task's status, computed from its dates, in the Government Office's words
(FORMATS.md): đã hoàn thành đúng hạn, đã hoàn thành quá hạn, chưa hoàn thành trong
hạn (with "sắp đến hạn" within ``TASK_DUE_SOON_DAYS``), chưa hoàn thành quá hạn.

Days are Hà Nội days (``tiendo.lib.dates.today``): a task due on the 10th is on
time when finished on the 10th, and overdue from the 11th. A completion counts once
the assigning level confirms it, dated on the day the unit reported it done."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TaskStatus(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_TIME = "in_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


LABELS = {
    TaskStatus.DONE_ON_TIME: _("Đã hoàn thành đúng hạn"),
    TaskStatus.DONE_LATE: _("Đã hoàn thành quá hạn"),
    TaskStatus.IN_TIME: _("Chưa hoàn thành trong hạn"),
    TaskStatus.DUE_SOON: _("Chưa hoàn thành trong hạn, sắp đến hạn"),
    TaskStatus.OVERDUE: _("Chưa hoàn thành quá hạn"),
}


def task_status(
    deadline: dt.date, completed_on: dt.date | None, confirmed: bool, today: dt.date, due_soon_days: int | None = None
) -> TaskStatus:
    soon = settings.TASK_DUE_SOON_DAYS if due_soon_days is None else due_soon_days
    if completed_on is not None and confirmed:
        return TaskStatus.DONE_ON_TIME if completed_on <= deadline else TaskStatus.DONE_LATE
    if today > deadline:
        return TaskStatus.OVERDUE
    if (deadline - today).days <= soon:
        return TaskStatus.DUE_SOON
    return TaskStatus.IN_TIME
