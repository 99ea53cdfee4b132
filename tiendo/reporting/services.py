"""Every change of periodic reporting: opening rounds, saving figures, sending,
returning, approving and reopening. Each function checks the actor's scope and the
submission's state inside one transaction, writes nothing when it refuses, and
leaves the audit rows and notifications.

Who may do what: the unit's reporters (and unit administrators) fill and send its
form; reviewers of the round's reviewing unit (the level the report goes to) return,
approve and reopen it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can, restrict_units
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.indicators import services as indicator_services
from tiendo.indicators.models import DataValue, Indicator, Source
from tiendo.lib import periods
from tiendo.lib.expressions import RuleError, compile_rule
from tiendo.lib.periods import Period, PeriodKind
from tiendo.lib.vn import format_date, format_number
from tiendo.orgs.models import OrgUnit, UnitVersion, valid_on_q
from tiendo.reporting import checks
from tiendo.reporting.models import (
    DataSet,
    Notification,
    ReturnedValue,
    Round,
    Schedule,
    Submission,
    SubmissionVersion,
    ValidationRule,
)
from tiendo.reporting.notifications import notify, reporters, reviewers

Actor = Any
State = Submission.State


def _fail(message: str, field: str | None = None) -> None:
    raise ValidationError({field: [message]} if field else message)


# --- Who may act --------------------------------------------------------------------


def may_report(user: Actor, submission: Submission) -> bool:
    return submission.unit_id in reportable_unit_ids(user, [submission.unit_id])


def reportable_unit_ids(user: Actor, unit_ids: Iterable[int]) -> set[int]:
    """The units among these the user may report for (a report or manage right on the
    unit), in at most two queries whatever their number."""
    ids = set(unit_ids)
    found: set[int] = set()
    for action in (Action.REPORT, Action.MANAGE):
        rest = ids - found
        if rest:
            found |= set(restrict_units(OrgUnit.objects.filter(pk__in=rest), user, action).values_list("pk", flat=True))
    return found


def may_review(user: Actor, submission: Submission | Round) -> bool:
    round_ = submission.round if isinstance(submission, Submission) else submission
    return can(user, Action.REVIEW, round_.reviewing_unit)


def _require_reporter(actor: Actor, submission: Submission) -> None:
    if actor is not None and not may_report(actor, submission):
        _fail(_("Bạn không có quyền báo cáo cho “%(unit)s”.") % {"unit": submission.unit})


def _require_reviewer(actor: Actor, submission: Submission) -> None:
    if actor is not None and not may_review(actor, submission):
        _fail(_("Bạn không có quyền duyệt báo cáo gửi “%(unit)s”.") % {"unit": submission.round.reviewing_unit})


def _locked(pk: int) -> Submission:
    """The submission, locked for the rest of the transaction (state checks see the truth)."""
    return Submission.objects.select_for_update().select_related("round__data_set", "round__reviewing_unit", "unit").get(pk=pk)


def _form_url(submission: Submission) -> str:
    return reverse("reporting:form", args=[submission.round_id, submission.unit_id])


# --- Rounds ---------------------------------------------------------------------------


def round_units_problem(reviewing_unit: OrgUnit, units: Iterable[OrgUnit], period: Period) -> str | None:
    """Why these units cannot report to ``reviewing_unit`` for ``period``, if they cannot."""
    top = UnitVersion.objects.filter(unit=reviewing_unit).filter(valid_on_q(max(period.start, reviewing_unit.valid_from))).first()
    for unit in units:
        if unit.valid_from >= period.end or (unit.valid_to is not None and unit.valid_to <= period.start):
            return _("Đơn vị “%(unit)s” không tồn tại trong %(period)s.") % {"unit": unit, "period": period.label}
        day = max(period.start, unit.valid_from)
        version = unit.versions.filter(valid_on_q(day)).first()
        if top is None or version is None or not version.path.startswith(top.path) or unit.pk == reviewing_unit.pk:
            return _("“%(unit)s” không thuộc “%(top)s” trong %(period)s nên không báo cáo lên đơn vị này.") % {
                "unit": unit,
                "top": reviewing_unit,
                "period": period.label,
            }
    return None


@transaction.atomic
def open_round(
    actor: Actor,
    *,
    data_set: DataSet,
    period: Period,
    reviewing_unit: OrgUnit,
    units: Sequence[OrgUnit],
    opens_on: dt.date,
    due_on: dt.date,
    remind_days_before: int = 3,
    schedule: Schedule | None = None,
) -> Round:
    """Open a round: one submission, in draft, for every unit that must report."""
    if period.kind != PeriodKind(data_set.period_kind):
        _fail(_("Bộ chỉ tiêu “%(set)s” báo cáo theo kỳ khác với %(period)s.") % {"set": data_set, "period": period.label}, "period")
    if due_on < opens_on:
        _fail(_("Hạn nộp %(due)s trước ngày mở %(open)s.") % {"due": format_date(due_on), "open": format_date(opens_on)}, "due_on")
    if not units:
        _fail(_("Chọn ít nhất một đơn vị phải báo cáo."), "units")
    if actor is not None and not (can(actor, Action.MANAGE, reviewing_unit) or can(actor, Action.REVIEW, reviewing_unit)):
        _fail(_("Bạn không có quyền mở đợt báo cáo của “%(unit)s”.") % {"unit": reviewing_unit})
    problem = round_units_problem(reviewing_unit, units, period)
    if problem:
        _fail(problem, "units")
    if Round.objects.filter(
        data_set=data_set, reviewing_unit=reviewing_unit, period_kind=period.kind.value, period_start=period.start
    ).exists():
        _fail(_("Đã có đợt báo cáo “%(set)s” %(period)s.") % {"set": data_set, "period": period.label})
    round_ = Round(
        data_set=data_set,
        reviewing_unit=reviewing_unit,
        opens_on=opens_on,
        due_on=due_on,
        remind_days_before=remind_days_before,
        schedule=schedule,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    round_.period = period
    round_.save()
    submissions = Submission.objects.bulk_create([Submission(round=round_, unit=unit) for unit in units])
    audit.record(actor, AuditEntry.Action.CREATE, round_)
    audit.record_many(actor, [(AuditEntry.Action.CREATE, s, None, audit.snapshot(s)) for s in submissions])
    return round_


def schedule_periods(schedule: Schedule, today: dt.date) -> list[tuple[Period, dt.date, dt.date]]:
    """The periods of a schedule whose round should be open by ``today``, with their
    opening and due dates."""
    first = periods.containing(schedule.data_set.period_kind, schedule.starts_on)
    found: list[tuple[Period, dt.date, dt.date]] = []
    period = first
    while True:
        opens = period.end + dt.timedelta(days=schedule.open_offset_days)
        if opens > today or (schedule.ends_on is not None and period.start >= schedule.ends_on):
            return found
        found.append((period, opens, period.end + dt.timedelta(days=schedule.due_offset_days)))
        period = period.shifted(1)


def open_scheduled_rounds(today: dt.date) -> list[Round]:
    """Open every round a schedule calls for by ``today`` that is not open yet.
    Running it again opens nothing more."""
    opened = []
    for schedule in Schedule.objects.filter(is_active=True).select_related("data_set", "reviewing_unit"):
        existing = set(
            Round.objects.filter(data_set=schedule.data_set, reviewing_unit=schedule.reviewing_unit).values_list(
                "period_start", flat=True
            )
        )
        units = list(schedule.units.all())
        for period, opens, due in schedule_periods(schedule, today):
            if period.start in existing:
                continue
            living = [u for u in units if u.valid_from < period.end and (u.valid_to is None or u.valid_to > period.start)]
            if not living:
                continue
            opened.append(
                open_round(
                    None,
                    data_set=schedule.data_set,
                    period=period,
                    reviewing_unit=schedule.reviewing_unit,
                    units=living,
                    opens_on=opens,
                    due_on=due,
                    remind_days_before=schedule.remind_days_before,
                    schedule=schedule,
                )
            )
    return opened


# --- Figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A figure typed in a form or a file cell; ``value`` None leaves the figure as it is."""

    submission: Submission
    indicator: Indicator
    value: Decimal | None
    note: str = ""
    where: str = ""  # the cell or field it came from, for messages


@dataclass
class Problem:
    submission: Submission | None
    indicator: Indicator | None
    message: str
    where: str = ""


class FiguresRefused(ValidationError):
    """Figures that could not be saved; nothing was."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([p.message for p in problems])


class EditConflict(ValidationError):
    """Someone else saved the form since it was opened (``submission`` as it is now)."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        super().__init__(
            _("Người khác đã lưu báo cáo này sau khi bạn mở nó. Số của bạn chưa được lưu; xem những gì đã thay đổi rồi nhập lại.")
        )


@dataclass
class SaveResult:
    changed: int = 0
    unchanged: int = 0
    submissions: list[Submission] = field(default_factory=list)


def data_set_items(data_set: DataSet) -> list[tuple[Indicator, bool, bool]]:
    """The data set's indicators with whether each is required and checked for outliers."""
    return [(item.indicator, item.required, item.check_outliers) for item in data_set.items.select_related("indicator")]


def editable_indicator_ids(submission: Submission, all_ids: Iterable[int]) -> set[int]:
    """Which figures the reporter may change now: all while in draft; after a return
    only those sent back (all, when the reviewer returned the whole report); none
    while it waits for review or once it is approved (locked)."""
    if submission.state == State.DRAFT:
        return set(all_ids)
    if submission.state == State.RETURNED:
        returned = set(
            ReturnedValue.objects.filter(submission=submission, resolved_at__isnull=True).values_list("indicator_id", flat=True)
        )
        return _with_rule_partners(submission.round.data_set, returned) if returned else set(all_ids)
    return set()


def _with_rule_partners(data_set: DataSet, returned: set[int]) -> set[int]:
    """The returned figures and those tied to them by a rule: correcting "received"
    may need "handled on time" corrected too, or the report could never be sent."""
    items = dict(data_set.items.values_list("indicator__code", "indicator_id"))
    codes = {code for code, pk in items.items() if pk in returned}
    editable = set(returned)
    for expression in ValidationRule.objects.filter(data_set=data_set, is_active=True).values_list("expression", flat=True):
        try:
            rule_codes = compile_rule(expression).codes
        except RuleError:
            continue
        if rule_codes & codes:
            editable |= {items[code] for code in rule_codes if code in items}
    return editable


def _locked_reason(submission: Submission) -> str:
    if submission.state == State.APPROVED:
        return _("Báo cáo của “%(unit)s” đã được duyệt và khóa; cần mở lại (có lý do) mới sửa được.") % {"unit": submission.unit}
    if submission.state == State.SUBMITTED:
        return _("Báo cáo của “%(unit)s” đã gửi và đang chờ duyệt; không sửa được.") % {"unit": submission.unit}
    return _("Chỉ tiêu này không bị trả lại nên không sửa được; chỉ sửa các số liệu người duyệt đã trả lại.")


@transaction.atomic
def save_figures(
    actor: Actor,
    entries: Sequence[Entry],
    *,
    expected_versions: Mapping[int, int] | None = None,
    source: Source | None = None,
) -> SaveResult:
    """Save figures typed in a form or uploaded in a file, for one or several units of
    one or several rounds. Everything is checked first (scope, state, optimistic
    lock, the indicator being in the round, type and bounds); on any problem nothing
    is saved and ``FiguresRefused`` lists them all. A figure equal to the one in
    force (same value and note) is left alone."""
    by_submission: dict[int, list[Entry]] = {}
    for entry in entries:
        by_submission.setdefault(entry.submission.pk, []).append(entry)
    locked = {
        s.pk: s
        for s in Submission.objects.select_for_update()
        .select_related("round__data_set", "round__reviewing_unit", "unit")
        .filter(pk__in=list(by_submission))
    }
    if expected_versions:
        for pk, version in expected_versions.items():
            if pk in locked and locked[pk].version != version:
                raise EditConflict(locked[pk])
    problems: list[Problem] = []
    items_by_set: dict[int, set[int]] = {}
    new_values: list[indicator_services.NewValue] = []
    origins: list[Entry] = []
    currents = current_values(locked.values())
    result = SaveResult(submissions=list(locked.values()))
    reportable = reportable_unit_ids(actor, [s.unit_id for s in locked.values()]) if actor is not None else set()
    for pk, group in by_submission.items():
        submission = locked[pk]
        if actor is not None and submission.unit_id not in reportable:
            problems.append(Problem(submission, None, _("Bạn không có quyền báo cáo cho “%(unit)s”.") % {"unit": submission.unit}))
            continue
        set_id = submission.round.data_set_id
        if set_id not in items_by_set:
            items_by_set[set_id] = set(submission.round.data_set.items.values_list("indicator_id", flat=True))
        in_round = items_by_set[set_id]
        editable = editable_indicator_ids(submission, in_round)
        for entry in group:
            if entry.indicator.pk not in in_round:
                problems.append(
                    Problem(
                        submission,
                        entry.indicator,
                        _("Chỉ tiêu “%(code)s” không có trong đợt báo cáo này.") % {"code": entry.indicator.code},
                        entry.where,
                    )
                )
                continue
            if entry.value is None:
                continue
            current = currents.get((submission.pk, entry.indicator.pk))
            if current is not None and current.value == entry.value and current.note == entry.note.strip():
                result.unchanged += 1
                continue
            if entry.indicator.pk not in editable:
                problems.append(Problem(submission, entry.indicator, _locked_reason(submission), entry.where))
                continue
            reason = ""
            if current is not None and current.state != DataValue.State.DRAFT:
                reason = submission.reopen_reason or _("Sửa số liệu của báo cáo đã gửi")
            new_values.append(
                indicator_services.NewValue(
                    entry.indicator,
                    submission.unit,
                    submission.round.period,
                    entry.value,
                    source=source,
                    note=entry.note.strip(),
                    reason=reason,
                )
            )
            origins.append(entry)
    if not problems and new_values:
        try:
            indicator_services.record_values(actor, new_values)
        except indicator_services.ValuesRefused as refused:
            for index, error in refused.by_row.items():
                entry = origins[index]
                problems += [Problem(entry.submission, entry.indicator, message, entry.where) for message in error.messages]
    if problems:
        raise FiguresRefused(problems)
    touched = {entry.submission.pk for entry in origins}
    if touched:
        Submission.objects.filter(pk__in=touched).update(version=F("version") + 1, updated_at=timezone.now())
        for pk in touched:
            locked[pk].version += 1
    result.changed = len(new_values)
    return result


def current_values(submissions: Iterable[Submission]) -> dict[tuple[int, int], DataValue]:
    """The figures in force of these submissions, keyed by (submission, indicator)."""
    found: dict[tuple[int, int], DataValue] = {}
    by_round: dict[int, list[Submission]] = {}
    for submission in submissions:
        by_round.setdefault(submission.round_id, []).append(submission)
    for group in by_round.values():
        round_ = group[0].round
        by_unit = {s.unit_id: s for s in group}
        unit_ids = list(by_unit)
        for chunk in range(0, len(unit_ids), 900):
            rows = DataValue.objects.filter(
                unit_id__in=unit_ids[chunk : chunk + 900],
                indicator__in=round_.data_set.indicators.all(),
                period_kind=round_.period_kind,
                period_start=round_.period_start,
                is_current=True,
            ).select_related("indicator")  # whole rows: the audit snapshots them when their state moves
            for row in rows:
                found[(by_unit[row.unit_id].pk, row.indicator_id)] = row
    return found


def current_figures(submission: Submission) -> dict[int, DataValue]:
    """The figures in force of one submission, keyed by indicator id."""
    return {indicator_id: row for (_pk, indicator_id), row in current_values([submission]).items()}


def findings(submission: Submission) -> checks.Findings:
    figures = current_figures(submission)
    return checks.check(
        submission.round,
        submission.unit_id,
        data_set_items(submission.round.data_set),
        {pk: row.value for pk, row in figures.items()},
        {pk: row.note for pk, row in figures.items()},
        list(ValidationRule.objects.filter(data_set=submission.round.data_set, is_active=True)),
    )


def _set_states(actor: Actor, rows: Iterable[DataValue], state: str, reason: str = "") -> None:
    """Move figures to ``state`` in place (a figure's state is where it stands in the
    workflow, not a new figure) and log each move."""
    changing = [row for row in rows if row.state != state]
    if not changing:
        return
    befores = [audit.snapshot(row) for row in changing]
    DataValue.objects.filter(pk__in=[row.pk for row in changing]).update(state=state)
    for row in changing:
        row.state = state
    audit.record_many(
        actor,
        [(AuditEntry.Action.UPDATE, row, before, audit.snapshot(row)) for row, before in zip(changing, befores, strict=True)],
        reason=reason,
    )


def _update_submission(actor: Actor, submission: Submission, before: dict, reason: str = "", **changes: Any) -> None:
    for name, value in changes.items():
        setattr(submission, name, value)
    submission.version += 1
    submission.save()
    audit.record(actor, AuditEntry.Action.UPDATE, submission, before=before, reason=reason)


# --- Workflow ---------------------------------------------------------------------------


@transaction.atomic
def submit(actor: Actor, submission: Submission, *, expected_version: int | None = None) -> SubmissionVersion:
    """Send the unit's report to the reviewing unit: it must be complete, keep every
    rule, and explain each figure far outside the unit's usual range. The report is
    frozen as sent; a later send is a restatement whose reason is the reviewer's
    comments or the reason the report was reopened."""
    submission = _locked(submission.pk)
    _require_reporter(actor, submission)
    if expected_version is not None and submission.version != expected_version:
        raise EditConflict(submission)
    if submission.state not in (State.DRAFT, State.RETURNED):
        _fail(_locked_reason(submission))
    found = findings(submission)
    if found.blocks_submission:
        raise ValidationError(found.messages())
    figures = current_figures(submission)
    now = timezone.now()
    previous = submission.versions.order_by("-number").first()
    reason = ""
    if previous is not None:
        comments = list(submission.returned_values.filter(resolved_at__isnull=True).values_list("comment", flat=True))
        if submission.state == State.RETURNED:
            reason = _("Sửa theo ý kiến trả lại: %(comments)s") % {"comments": "; ".join(comments) or submission.review_comment}
        else:
            reason = submission.reopen_reason or _("Gửi lại")
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=previous.number + 1 if previous else 1,
        sent_at=now,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_to=submission.round.reviewing_unit,
        figures={
            row.indicator.code: {"value": str(row.value), "note": row.note}
            for row in DataValue.objects.filter(pk__in=[r.pk for r in figures.values()]).select_related("indicator")
        },
        reason=reason[:400],
    )
    # Figures left unchanged in a restatement stay approved (and counted) meanwhile.
    _set_states(actor, [row for row in figures.values() if row.state == DataValue.State.DRAFT], DataValue.State.SUBMITTED)
    submission.returned_values.filter(resolved_at__isnull=True).update(resolved_at=now)
    before = audit.snapshot(submission)
    _update_submission(
        actor,
        submission,
        before,
        reason,
        state=State.SUBMITTED,
        submitted_at=now,
        submitted_by=version.sent_by,
        first_submitted_at=submission.first_submitted_at or now,
    )
    notify(
        reviewers(submission),
        kind=Notification.Kind.SUBMITTED,
        key=f"submitted:{submission.pk}:{version.number}",
        subject=_("%(unit)s đã gửi %(round)s") % {"unit": submission.unit, "round": submission.round},
        body=_("Báo cáo chờ anh/chị duyệt.") if version.number == 1 else reason,
        url=_form_url(submission),
        submission=submission,
    )
    return version


@transaction.atomic
def return_submission(
    actor: Actor, submission: Submission, *, comment: str = "", value_comments: Mapping[int, str] | None = None
) -> Submission:
    """Send a report back to the unit, with a comment on the whole and/or on single
    figures (by indicator id); the reporter then corrects only those figures."""
    submission = _locked(submission.pk)
    _require_reviewer(actor, submission)
    if submission.state != State.SUBMITTED:
        _fail(_("Chỉ trả lại được báo cáo đang chờ duyệt."))
    value_comments = {pk: text.strip() for pk, text in (value_comments or {}).items() if text.strip()}
    if not comment.strip() and not value_comments:
        _fail(_("Cần ghi ý kiến khi trả lại báo cáo: cho cả báo cáo hoặc cho từng số liệu."), "comment")
    in_round = set(submission.round.data_set.items.values_list("indicator_id", flat=True))
    unknown = set(value_comments) - in_round
    if unknown:
        _fail(_("Có ý kiến cho chỉ tiêu không thuộc đợt báo cáo này."))
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=value_comments)}
    user = actor if getattr(actor, "is_authenticated", False) else None
    ReturnedValue.objects.bulk_create(
        [ReturnedValue(submission=submission, indicator=indicators[pk], comment=text[:1000], returned_by=user) for pk, text in value_comments.items()]
    )
    figures = current_figures(submission)
    reopened = [
        figures[pk] for pk in (value_comments or figures) if pk in figures and figures[pk].state == DataValue.State.SUBMITTED
    ]
    _set_states(actor, reopened, DataValue.State.DRAFT, reason=comment.strip())
    before = audit.snapshot(submission)
    _update_submission(
        actor, submission, before, comment.strip(), state=State.RETURNED, reviewed_at=timezone.now(), reviewed_by=user,
        review_comment=comment.strip(),
    )
    lines = [comment.strip()] if comment.strip() else []
    lines += [f"– {indicators[pk].display_name}: {text}" for pk, text in value_comments.items()]
    notify(
        reporters(submission),
        kind=Notification.Kind.RETURNED,
        key=f"returned:{submission.pk}:{submission.version}",
        subject=_("%(round)s của %(unit)s bị trả lại") % {"round": submission.round, "unit": submission.unit},
        body="\n".join(lines),
        url=_form_url(submission),
        submission=submission,
    )
    return submission


@transaction.atomic
def approve(actor: Actor, submission: Submission) -> Submission:
    """Accept a report: its figures become approved (counted by default) and locked."""
    submission = _locked(submission.pk)
    _require_reviewer(actor, submission)
    if submission.state != State.SUBMITTED:
        _fail(_("Chỉ duyệt được báo cáo đang chờ duyệt."))
    _set_states(actor, current_figures(submission).values(), DataValue.State.APPROVED)
    before = audit.snapshot(submission)
    user = actor if getattr(actor, "is_authenticated", False) else None
    _update_submission(
        actor, submission, before, state=State.APPROVED, reviewed_at=timezone.now(), reviewed_by=user, review_comment="",
        reopen_reason="",
    )
    notify(
        reporters(submission),
        kind=Notification.Kind.APPROVED,
        key=f"approved:{submission.pk}:{submission.version}",
        subject=_("%(round)s của %(unit)s đã được duyệt") % {"round": submission.round, "unit": submission.unit},
        url=_form_url(submission),
        submission=submission,
    )
    return submission


@transaction.atomic
def reopen(actor: Actor, submission: Submission, *, reason: str) -> Submission:
    """Unlock an approved report for correction. Approved figures stay in force (and
    counted) until they are changed; a changed figure counts again once the
    restatement is approved. The reason goes with the restatement."""
    submission = _locked(submission.pk)
    _require_reviewer(actor, submission)
    if submission.state != State.APPROVED:
        _fail(_("Chỉ mở lại được báo cáo đã duyệt."))
    if not reason.strip():
        _fail(_("Cần ghi lý do mở lại báo cáo đã duyệt."), "reason")
    before = audit.snapshot(submission)
    _update_submission(actor, submission, before, reason.strip(), state=State.DRAFT, reopen_reason=reason.strip()[:400])
    notify(
        reporters(submission),
        kind=Notification.Kind.RETURNED,
        key=f"reopened:{submission.pk}:{submission.version}",
        subject=_("%(round)s của %(unit)s được mở lại để điều chỉnh") % {"round": submission.round, "unit": submission.unit},
        body=reason.strip(),
        url=_form_url(submission),
        submission=submission,
    )
    return submission


def version_differences(version: SubmissionVersion) -> list[tuple[str, str | None, str | None]]:
    """What a restatement changed against the version before it: (code, before, after)."""
    previous = version.submission.versions.filter(number__lt=version.number).order_by("-number").first()
    return [] if previous is None else differences(previous, version)


def differences(before: SubmissionVersion, after: SubmissionVersion) -> list[tuple[str, str | None, str | None]]:
    def shown(figure: dict | None) -> str | None:
        return None if figure is None else format_number(Decimal(figure["value"]))

    return [
        (code, shown(before.figures.get(code)), shown(after.figures.get(code)))
        for code in sorted(set(before.figures) | set(after.figures))
        if before.figures.get(code, {}).get("value") != after.figures.get(code, {}).get("value")
    ]
