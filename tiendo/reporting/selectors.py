"""Reading rounds and submissions for a user's pages, through the scoping layer.

A user reads a submission when they may see its unit (a ward reporter: their ward
only) or review its round (the district office); out of scope is a 404. Each
function runs a fixed number of queries whatever the number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, path_q, restrict_by_unit, scope_paths
from tiendo.indicators import rollups
from tiendo.indicators.models import DataValue, Indicator, Target
from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit, UnitVersion
from tiendo.reporting import checks, services
from tiendo.reporting.models import ReturnedValue, Round, Submission, SubmissionVersion, ValidationRule


def reviewable_rounds(user: Any) -> QuerySet[Round]:
    """Rounds whose reports the user reviews (their reviewing unit is in the user's review scope)."""
    paths = scope_paths(user, Action.REVIEW)
    if paths is EVERYTHING:
        return Round.objects.all()
    if not paths:
        return Round.objects.none()
    return Round.objects.filter(reviewing_unit__in=UnitVersion.objects.filter(path_q(paths)).values("unit_id"))


def visible_rounds(user: Any) -> QuerySet[Round]:
    """Rounds the user reviews or in which one of their units reports."""
    own = restrict_by_unit(Submission.objects.all(), user).values("round_id")
    return Round.objects.filter(Q(pk__in=own) | Q(pk__in=reviewable_rounds(user).values("pk")))


def get_round_or_404(user: Any, pk: Any) -> Round:
    try:
        return visible_rounds(user).select_related("data_set", "reviewing_unit").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_submissions(user: Any, round_: Round) -> QuerySet[Submission]:
    """The round's submissions the user may read: all of them for its reviewers,
    otherwise those of the user's own units."""
    submissions = round_.submissions.select_related("unit", "submitted_by")
    if services.may_review(user, round_):
        return submissions
    return restrict_by_unit(submissions, user)


def get_submission_or_404(user: Any, round_pk: Any, unit_pk: Any) -> Submission:
    round_ = get_round_or_404(user, round_pk)
    try:
        submission = visible_submissions(user, round_).get(unit_id=unit_pk)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    submission.round = round_
    return submission


# --- The form of one submission ---------------------------------------------------------


@dataclass
class FormRow:
    """One indicator of the form, with what the reporter needs beside the field."""

    indicator: Indicator
    required: bool
    section: str
    current: DataValue | None
    previous: DataValue | None
    target: Target | None
    returned_comment: str
    editable: bool
    warning: str | None = None

    @property
    def value(self) -> Decimal | None:
        return self.current.value if self.current else None

    @property
    def note(self) -> str:
        return self.current.note if self.current else ""


@dataclass
class SubmissionPage:
    submission: Submission
    rows: list[FormRow]
    findings: checks.Findings
    versions: list[tuple[SubmissionVersion, list[tuple[str, str | None, str | None]]]]
    may_report: bool
    may_review: bool
    broken_rules: list[ValidationRule] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.may_report and any(row.editable for row in self.rows)

    @property
    def sections(self) -> list[tuple[str, list[FormRow]]]:
        grouped: list[tuple[str, list[FormRow]]] = []
        for row in self.rows:
            if not grouped or grouped[-1][0] != row.section:
                grouped.append((row.section, []))
            grouped[-1][1].append(row)
        return grouped


def submission_page(user: Any, submission: Submission) -> SubmissionPage:
    round_ = submission.round
    period = round_.period
    items = list(round_.data_set.items.select_related("indicator").order_by("order", "pk"))
    indicators = [item.indicator for item in items]
    current = services.current_figures(submission)
    entered = DataValue.objects.filter(pk__in=[row.pk for row in current.values()]).select_related("entered_by")
    current = {row.indicator_id: row for row in entered}
    previous_period = period.shifted(-1)
    previous = {
        row.indicator_id: row
        for row in DataValue.objects.filter(
            unit_id=submission.unit_id,
            indicator__in=indicators,
            period_kind=previous_period.kind.value,
            period_start=previous_period.start,
            is_current=True,
        )
    }
    targets: dict[int, Target] = {}
    # The narrowest target whose period holds the round's: the quarter's own, else the year's.
    for target in Target.objects.filter(
        unit_id=submission.unit_id, indicator__in=indicators, period_start__lte=period.start, period_end__gte=period.end
    ).order_by("indicator_id", "-period_start", "period_end"):
        targets.setdefault(target.indicator_id, target)
    returned = {
        r.indicator_id: r.comment
        for r in ReturnedValue.objects.filter(submission=submission, resolved_at__isnull=True)
    }
    reporter = services.may_report(user, submission)
    editable = services.editable_indicator_ids(submission, [i.pk for i in indicators]) if reporter else set()
    found = checks.check(
        round_,
        submission.unit_id,
        [(item.indicator, item.required, item.check_outliers) for item in items],
        {pk: row.value for pk, row in current.items()},
        {pk: row.note for pk, row in current.items()},
        list(ValidationRule.objects.filter(data_set=round_.data_set, is_active=True)),
    )
    rows = [
        FormRow(
            indicator=item.indicator,
            required=item.required,
            section=item.section,
            current=current.get(item.indicator_id),
            previous=previous.get(item.indicator_id),
            target=targets.get(item.indicator_id),
            returned_comment=returned.get(item.indicator_id, ""),
            editable=item.indicator_id in editable,
            warning=found.outliers.get(item.indicator_id),
        )
        for item in items
    ]
    versions = list(submission.versions.select_related("sent_by", "sent_to").order_by("-number"))
    by_number = {v.number: v for v in versions}
    names = {indicator.code: indicator.display_name for indicator in indicators}
    with_changes = []
    for version in versions:
        before = by_number.get(version.number - 1)
        changes = services.differences(before, version) if before else []
        with_changes.append((version, [(names.get(code, code), old, new) for code, old, new in changes]))
    return SubmissionPage(
        submission=submission,
        rows=rows,
        findings=found,
        versions=with_changes,
        may_report=reporter,
        may_review=services.may_review(user, submission),
    )


# --- Lists and the round's overview ------------------------------------------------------


def my_work(user: Any) -> tuple[list[Submission], list[Submission]]:
    """What waits for the user: forms to fill or correct (open rounds, their units
    that still exist, not sent or returned) and reports to review."""
    day = today()
    paths = scope_paths(user, Action.REPORT)
    to_fill: list[Submission] = []
    if paths is EVERYTHING or paths:
        fill = Submission.objects.filter(
            round__opens_on__lte=day, state__in=[Submission.State.DRAFT, Submission.State.RETURNED]
        ).exclude(unit__valid_to__lte=day)
        if paths is not EVERYTHING:
            fill = fill.filter(unit__in=UnitVersion.objects.filter(path_q(paths)).values("unit_id"))
        to_fill = list(fill.select_related("round__data_set", "unit").order_by("round__due_on", "unit_id")[:50])
    to_review = list(
        Submission.objects.filter(round__in=reviewable_rounds(user), state=Submission.State.SUBMITTED)
        .select_related("round__data_set", "unit")
        .order_by("submitted_at")[:50]
    )
    return to_fill, to_review


def round_rows(user: Any) -> list[Round]:
    """Rounds the user may see, newest first, with counts of their (visible) reports."""
    return list(
        visible_rounds(user)
        .select_related("data_set", "reviewing_unit")
        .annotate(
            units_total=Count("submissions"),
            units_sent=Count("submissions", filter=Q(submissions__first_submitted_at__isnull=False)),
            units_approved=Count("submissions", filter=Q(submissions__state=Submission.State.APPROVED)),
        )
        .order_by("-period_start", "data_set__name")[:100]
    )


@dataclass
class RoundFigure:
    indicator: Indicator
    figure: rollups.Figure


def round_figures(round_: Round, *, include_submitted: bool) -> list[RoundFigure]:
    """The round's indicators rolled up for the reviewing unit (one query)."""
    indicators = [item.indicator for item in round_.data_set.items.select_related("indicator").order_by("order", "pk")]
    unit: OrgUnit = round_.reviewing_unit
    table = rollups.table(indicators, [unit], [round_.period], include_submitted=include_submitted)
    return [RoundFigure(indicator, table[(indicator.pk, unit.pk, round_.period)]) for indicator in indicators]

