"""Every change to directives and tasks. Each function checks scope and its rules
inside one transaction, writes nothing when it refuses, and writes the audit rows.

Who may do what: the assigning unit's managers and reviewers (``may_assign``)
create tasks, split them, confirm completion and decide extensions; the lead unit's
reporters and managers (``may_carry_out``) report progress, report completion and
ask for more time.

Files (the directive's full text, a progress report's documents, the evidence of
completion) are stored through ``attachments.services.store`` inside the same
transaction as the record they belong to: a refused file refuses the whole action.
The file of an earlier, accepted upload is already on disk by then, so
``_removing_stored_files_on_error`` deletes it again when the action fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can
from tiendo.attachments import services as attachments
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.lib import periods
from tiendo.lib.dates import today
from tiendo.lib.vn import format_date
from tiendo.orgs.models import OrgUnit, valid_on_q
from tiendo.tasks.models import DeadlineChange, Directive, Task, TaskUpdate

Actor = Any


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def may_assign(user: Actor, unit: OrgUnit) -> bool:
    return user is None or can(user, Action.MANAGE, unit) or can(user, Action.REVIEW, unit)


def may_carry_out(user: Actor, task: Task) -> bool:
    return user is None or can(user, Action.REPORT, task.lead_unit) or can(user, Action.MANAGE, task.lead_unit)


def _exists_on(unit: OrgUnit, day: dt.date) -> bool:
    return unit.versions.filter(valid_on_q(day)).exists()


@contextmanager
def _removing_stored_files_on_error() -> Iterator[list[str]]:
    """Collects the names of the files stored during an action and deletes them if
    the action fails: the rollback removes their rows, not the files themselves.
    Enter it before ``transaction.atomic()``, so the rows are gone first. (An outer
    transaction of the caller that rolls back later is not seen here; views and
    commands call these services outside one.)"""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _attach(actor: Actor, unit: OrgUnit, owner: models.Model, files: Sequence[Any], stored: list[str], field: str) -> None:
    """Store each file on ``owner``; a refusal names the file and goes on ``field``."""
    for uploaded in files:
        try:
            attachment = attachments.store(actor, unit=unit, owner=owner, uploaded_file=uploaded)
        except ValidationError as error:
            name = attachments.clean_name(getattr(uploaded, "name", "") or "") or _("tệp không tên")
            messages = [_("“%(name)s”: %(reason)s") % {"name": name, "reason": reason} for reason in error.messages]
            raise ValidationError({field: messages}) from None
        stored.append(attachment.stored_name)


def create_directive(
    actor: Actor, *, kind: str, number: str, issued_on: dt.date, issuer: OrgUnit, title: str, text: str = "",
    files: Sequence[Any] = (),
) -> Directive:
    """Record a directive, with its full text as attached files if given (readable by
    whoever may see the issuer)."""
    with _removing_stored_files_on_error() as stored, transaction.atomic():
        directive = _create_directive(actor, kind=kind, number=number, issued_on=issued_on, issuer=issuer, title=title, text=text)
        _attach(actor, issuer, directive, files, stored, "file")
    return directive


def _create_directive(
    actor: Actor, *, kind: str, number: str, issued_on: dt.date, issuer: OrgUnit, title: str, text: str
) -> Directive:
    errors: dict[str, list[str]] = {}
    if not may_assign(actor, issuer):
        raise ValidationError(_("Bạn không có quyền ghi văn bản của “%(unit)s”.") % {"unit": issuer})
    if not number.strip():
        errors["number"] = [_("Cần có số, ký hiệu của văn bản.")]
    if not title.strip():
        errors["title"] = [_("Cần có trích yếu của văn bản.")]
    if not _exists_on(issuer, issued_on):
        errors["issued_on"] = [_("“%(unit)s” không tồn tại ngày %(day)s.") % {"unit": issuer, "day": format_date(issued_on)}]
    if Directive.objects.filter(issuer=issuer, number=number.strip()).exists():
        errors["number"] = [_("Cơ quan này đã có văn bản mang số, ký hiệu đó.")]
    if errors:
        raise ValidationError(errors)
    directive = Directive.objects.create(
        kind=kind, number=number.strip(), issued_on=issued_on, issuer=issuer, title=title.strip(), text=text,
        created_by=_user(actor),
    )
    audit.record(actor, AuditEntry.Action.CREATE, directive)
    return directive


def _task_problems(
    *, title: str, expected_output: str, lead_unit: OrgUnit | None, deadline: dt.date | None,
    directive: Directive | None, parent: Task | None, assigned_on: dt.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Cần ghi nội dung nhiệm vụ.")]
    if not expected_output.strip():
        errors["expected_output"] = [
            _("Cần nêu sản phẩm của nhiệm vụ (văn bản, công trình, số liệu…): nhiệm vụ không có sản phẩm thì không theo dõi được.")
        ]
    if lead_unit is None:
        errors["lead_unit"] = [_("Cần chọn đơn vị chủ trì.")]
    if deadline is None:
        errors["deadline"] = [_("Cần có thời hạn.")]
    elif directive is not None and deadline < directive.issued_on:
        errors["deadline"] = [
            _("Thời hạn %(deadline)s trước ngày ban hành văn bản %(issued)s.")
            % {"deadline": format_date(deadline), "issued": format_date(directive.issued_on)}
        ]
    elif parent is not None and deadline > parent.deadline:
        errors["deadline"] = [
            _("Thời hạn của nhiệm vụ con (%(deadline)s) không được sau thời hạn của nhiệm vụ cấp trên (%(parent)s).")
            % {"deadline": format_date(deadline), "parent": format_date(parent.deadline)}
        ]
    if lead_unit is not None and not _exists_on(lead_unit, assigned_on):
        errors["lead_unit"] = [
            _("Đơn vị “%(unit)s” không tồn tại ngày %(day)s; không giao nhiệm vụ được.")
            % {"unit": lead_unit, "day": format_date(assigned_on)}
        ]
    return errors


@transaction.atomic
def create_task(
    actor: Actor,
    *,
    title: str,
    expected_output: str,
    assigned_by: OrgUnit,
    lead_unit: OrgUnit | None,
    deadline: dt.date | None,
    coordinating_units: Sequence[OrgUnit] = (),
    directive: Directive | None = None,
    parent: Task | None = None,
    description: str = "",
    priority: str = Task.Priority.NORMAL,
    recurrence: str = Task.Recurrence.NONE,
    recurs_until: dt.date | None = None,
    assigned_on: dt.date | None = None,
    **sources: Any,
) -> Task:
    """Assign a task. Refused with every reason at once: no lead unit, no expected
    output, a deadline before the directive's date or after the parent task's, a lead
    unit that does not exist on the day of assignment (today, or ``assigned_on`` when
    recording an earlier assignment)."""
    if not may_assign(actor, assigned_by):
        raise ValidationError(_("Bạn không có quyền giao nhiệm vụ thay “%(unit)s”.") % {"unit": assigned_by})
    errors = _task_problems(
        title=title, expected_output=expected_output, lead_unit=lead_unit, deadline=deadline, directive=directive,
        parent=parent, assigned_on=assigned_on or today(),
    )
    if recurrence and recurs_until is not None and deadline is not None and recurs_until < deadline:
        errors["recurs_until"] = [_("Ngày kết thúc lặp lại phải từ thời hạn đầu tiên trở đi.")]
    if errors:
        raise ValidationError(errors)
    assert lead_unit is not None and deadline is not None
    task = Task.objects.create(
        title=title.strip(), expected_output=expected_output.strip(), description=description, directive=directive,
        parent=parent, assigned_by=assigned_by, lead_unit=lead_unit, deadline=deadline, priority=priority,
        recurrence=recurrence, recurs_until=recurs_until, created_by=_user(actor), **sources,
    )
    task.coordinating_units.set(coordinating_units)
    audit.record(actor, AuditEntry.Action.CREATE, task)
    return task


@transaction.atomic
def split_task(actor: Actor, parent: Task, parts: Sequence[tuple[OrgUnit, dt.date]]) -> list[Task]:
    """Assign the task down the tree: one sub-task per unit (a district's task to its
    wards), each with its own deadline, no later than the parent's. The parent's
    lead unit assigns them."""
    if not parts:
        raise ValidationError(_("Chọn ít nhất một đơn vị nhận nhiệm vụ con."))
    return [
        create_task(
            actor, title=parent.title, expected_output=parent.expected_output, assigned_by=parent.lead_unit,
            lead_unit=unit, deadline=deadline, directive=parent.directive, parent=parent, description=parent.description,
            priority=parent.priority,
        )
        for unit, deadline in parts
    ]


def rolled_up_progress(task: Task) -> int:
    """A parent's progress is its sub-tasks' average (a finished sub-task counts 100);
    a task without sub-tasks keeps its own."""
    average = task.subtasks.aggregate(value=Avg("progress"))["value"]
    return task.progress if average is None else round(average)


def report_progress(actor: Actor, task: Task, *, progress: int, text: str, files: Sequence[Any] = ()) -> TaskUpdate:
    """Record a progress report; its files hang on the report, readable by whoever
    may see the lead unit."""
    with _removing_stored_files_on_error() as stored, transaction.atomic():
        update = _report_progress(actor, task, progress=progress, text=text)
        _attach(actor, update.task.lead_unit, update, files, stored, "attachments")
    return update


def _report_progress(actor: Actor, task: Task, *, progress: int, text: str) -> TaskUpdate:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not may_carry_out(actor, task):
        raise ValidationError(_("Bạn không có quyền báo cáo nhiệm vụ của “%(unit)s”.") % {"unit": task.lead_unit})
    errors: dict[str, list[str]] = {}
    if not 0 <= progress <= 100:
        errors["progress"] = [_("Tiến độ là một số từ 0 đến 100 (%).")]
    if not text.strip():
        errors["text"] = [_("Cần ghi kết quả đã thực hiện.")]
    if task.is_confirmed:
        errors.setdefault("progress", []).append(_("Nhiệm vụ đã được xác nhận hoàn thành."))
    if errors:
        raise ValidationError(errors)
    update = TaskUpdate.objects.create(task=task, progress=progress, text=text.strip(), reported_by=_user(actor))
    before = audit.snapshot(task)
    task.progress = progress
    task.save(update_fields=["progress"])
    audit.record(actor, AuditEntry.Action.UPDATE, task, before=before)
    _roll_up(actor, task)
    return update


def _roll_up(actor: Actor, task: Task) -> None:
    parent = task.parent
    while parent is not None:
        before = audit.snapshot(parent)
        parent.progress = rolled_up_progress(parent)
        parent.save(update_fields=["progress"])
        audit.record(actor, AuditEntry.Action.UPDATE, parent, before=before)
        parent = parent.parent


def report_completion(
    actor: Actor, task: Task, *, evidence: str, on: dt.date | None = None, files: Sequence[Any] = ()
) -> Task:
    """The lead unit reports the task done, with its evidence (what was produced,
    where it is: a text, files, or both); the assigning level then confirms it. The
    files hang on the task itself, beside ``completion_report``."""
    with _removing_stored_files_on_error() as stored, transaction.atomic():
        task = _report_completion(actor, task, evidence=evidence, on=on, with_files=bool(files))
        _attach(actor, task.lead_unit, task, files, stored, "attachments")
    return task


def _report_completion(actor: Actor, task: Task, *, evidence: str, on: dt.date | None, with_files: bool) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not may_carry_out(actor, task):
        raise ValidationError(_("Bạn không có quyền báo cáo nhiệm vụ của “%(unit)s”.") % {"unit": task.lead_unit})
    if not evidence.strip() and not with_files:
        raise ValidationError({"evidence": [_("Cần có minh chứng hoàn thành: sản phẩm đã có, số văn bản, đường dẫn hoặc tệp đính kèm.")]})
    if task.is_confirmed:
        raise ValidationError(_("Nhiệm vụ đã được xác nhận hoàn thành."))
    before = audit.snapshot(task)
    task.completed_on = on or today()
    task.completion_report = evidence.strip()
    task.progress = 100
    task.save(update_fields=["completed_on", "completion_report", "progress"])
    audit.record(actor, AuditEntry.Action.UPDATE, task, before=before)
    _roll_up(actor, task)
    return task


@transaction.atomic
def confirm_completion(actor: Actor, task: Task) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not may_assign(actor, task.assigned_by):
        raise ValidationError(_("Chỉ đơn vị giao nhiệm vụ mới xác nhận hoàn thành."))
    if task.completed_on is None:
        raise ValidationError(_("Đơn vị chủ trì chưa báo cáo hoàn thành nhiệm vụ này."))
    if task.is_confirmed:
        raise ValidationError(_("Nhiệm vụ đã được xác nhận hoàn thành."))
    before = audit.snapshot(task)
    task.confirmed_at = timezone.now()
    task.confirmed_by = _user(actor)
    task.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(actor, AuditEntry.Action.UPDATE, task, before=before)
    return task


@transaction.atomic
def request_extension(actor: Actor, task: Task, *, new_deadline: dt.date, reason: str) -> DeadlineChange:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not may_carry_out(actor, task):
        raise ValidationError(_("Bạn không có quyền đề nghị gia hạn nhiệm vụ của “%(unit)s”.") % {"unit": task.lead_unit})
    errors: dict[str, list[str]] = {}
    if new_deadline <= task.deadline:
        errors["new_deadline"] = [_("Thời hạn đề nghị phải sau thời hạn hiện nay (%(day)s).") % {"day": format_date(task.deadline)}]
    if not reason.strip():
        errors["reason"] = [_("Cần ghi lý do đề nghị gia hạn.")]
    if task.deadline_changes.filter(state=DeadlineChange.State.REQUESTED).exists():
        errors.setdefault("new_deadline", []).append(_("Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định."))
    if task.is_confirmed:
        errors.setdefault("new_deadline", []).append(_("Nhiệm vụ đã được xác nhận hoàn thành."))
    if errors:
        raise ValidationError(errors)
    change = DeadlineChange.objects.create(
        task=task, old_deadline=task.deadline, new_deadline=new_deadline, reason=reason.strip(), requested_by=_user(actor)
    )
    audit.record(actor, AuditEntry.Action.CREATE, change)
    return change


@transaction.atomic
def decide_extension(actor: Actor, change: DeadlineChange, *, approve: bool, note: str = "") -> DeadlineChange:
    """Approve (the task's deadline moves; the old one stays in the request) or refuse."""
    change = DeadlineChange.objects.select_for_update().select_related("task").get(pk=change.pk)
    task = change.task
    if not may_assign(actor, task.assigned_by):
        raise ValidationError(_("Chỉ đơn vị giao nhiệm vụ mới quyết định gia hạn."))
    if change.state != DeadlineChange.State.REQUESTED:
        raise ValidationError(_("Đề nghị gia hạn này đã được quyết định."))
    before_change = audit.snapshot(change)
    change.state = DeadlineChange.State.APPROVED if approve else DeadlineChange.State.REFUSED
    change.decided_by = _user(actor)
    change.decided_at = timezone.now()
    change.decision_note = note.strip()
    change.save()
    audit.record(actor, AuditEntry.Action.UPDATE, change, before=before_change)
    if approve:
        before = audit.snapshot(task)
        task.deadline = change.new_deadline
        task.save(update_fields=["deadline"])
        audit.record(actor, AuditEntry.Action.UPDATE, task, before=before, reason=change.reason)
    return change


def create_occurrences(until: dt.date) -> list[Task]:
    """Create each recurring task's occurrences due up to ``until`` (the next period's
    deadline on the same day of its month, or the month's last day), once each:
    running it again creates nothing."""
    created: list[Task] = []
    for series in Task.objects.exclude(recurrence="").filter(series__isnull=True, parent__isnull=True):
        months = {"month": 1, "quarter": 3, "year": 12}[series.recurrence]
        existing = set(series.occurrences.values_list("deadline", flat=True))
        step = 1
        while True:
            deadline = _shift_months(series.deadline, months * step)
            if deadline > until or (series.recurs_until is not None and deadline > series.recurs_until):
                break
            if deadline not in existing:
                occurrence = Task.objects.create(
                    title=series.title, expected_output=series.expected_output, description=series.description,
                    directive=series.directive, assigned_by=series.assigned_by, lead_unit=series.lead_unit,
                    deadline=deadline, priority=series.priority, series=series, created_by=None,
                )
                occurrence.coordinating_units.set(series.coordinating_units.all())
                audit.record(None, AuditEntry.Action.CREATE, occurrence)
                created.append(occurrence)
            step += 1
    return created


def _shift_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; a month-end deadline stays at month end, and a
    day the month lacks (31 in April) becomes its last day."""
    month = periods.containing(periods.PeriodKind.MONTH, day)
    target = month.shifted(months)
    if day == month.last_day:
        return target.last_day
    return target.start.replace(day=min(day.day, target.last_day.day))
