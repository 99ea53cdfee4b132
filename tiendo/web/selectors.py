"""The leaders' dashboard (trang tổng quan): what a district's standing committee asks
first, on one page.

1. the resolution's programs, their indicators counted by status;
2. the indicators named in the resolution, with figure, target, status and trend;
3. overdue tasks (chưa hoàn thành quá hạn) by lead unit;
4. how complete the latest reporting rounds are ("12/14 đơn vị đã nộp, 10 đúng hạn");
5. one indicator compared across the units under the judged unit, and its trend.

Everything is read through the apps' own scoped selectors (``plans``, ``indicators``,
``tasks``, ``reporting``), so a ward user sees their ward only. The page runs a fixed
number of queries whatever the number of programs, indicators, units, tasks or rounds:
figures come from ``rollups.table`` (one SQL query each), counts from GROUP BY queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tiendo.accounts.scope import restrict_by_unit, restrict_versions
from tiendo.indicators import charts, rollups
from tiendo.indicators.evaluation import Evaluation
from tiendo.indicators.models import DataValue, Indicator
from tiendo.indicators.selectors import IndicatorPage, TrendRow, UnitRow, name_on, reference_day
from tiendo.lib.periods import Period
from tiendo.lib.vn import format_number
from tiendo.orgs.models import OrgUnit, UnitVersion, valid_on_q
from tiendo.plans import selectors as plans
from tiendo.plans.models import Resolution
from tiendo.reporting.models import Round, Submission
from tiendo.reporting.selectors import reviewable_rounds, visible_rounds
from tiendo.reporting.timeliness import deadline
from tiendo.tasks.selectors import status_q, visible_tasks
from tiendo.tasks.status import TaskStatus

ROUNDS_SHOWN = 4  # the latest round of this many data sets
TASK_UNITS_SHOWN = 15  # lead units on the overdue chart; the table lists them all


# --- 3. Overdue tasks by lead unit


@dataclass(frozen=True)
class UnitOverdue:
    unit: OrgUnit
    name: str
    overdue: int


@dataclass
class TaskSummary:
    """Tasks the user sees: how many in all, and the overdue ones per lead unit, most first."""

    total: int = 0
    units: list[UnitOverdue] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(u.overdue for u in self.units)

    @property
    def bars(self) -> SafeString:
        shown = self.units[:TASK_UNITS_SHOWN]
        return charts.ranked_bars(
            [charts.Bar(u.name, Decimal(u.overdue), format_number(u.overdue)) for u in shown],
            title=_("Số nhiệm vụ chưa hoàn thành quá hạn theo đơn vị chủ trì"),
        )


def overdue_tasks_by_unit(user: Any, day: dt.date) -> TaskSummary:
    """Counted in the database (one GROUP BY), then the units named (one query and its prefetch)."""
    counts = list(
        visible_tasks(user)
        .order_by()
        .values("lead_unit_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=status_q(TaskStatus.OVERDUE, day)))
    )
    summary = TaskSummary(total=sum(c["total"] for c in counts))
    late = {c["lead_unit_id"]: c["overdue"] for c in counts if c["overdue"]}
    if late:
        units = OrgUnit.objects.filter(pk__in=late).prefetch_related("versions")
        summary.units = sorted(
            (UnitOverdue(u, name_on(u, day), late[u.pk]) for u in units), key=lambda u: (-u.overdue, u.name)
        )
    return summary


# --- 4. Reporting rounds


@dataclass(frozen=True)
class RoundCompleteness:
    round: Round
    total: int
    sent: int
    on_time: int

    @property
    def summary(self) -> str:
        # The words of the round's own page (reporting.timeliness.RoundProgress.summary).
        return _("%(sent)s/%(total)s đơn vị đã nộp, %(on_time)s đúng hạn") % {
            "sent": self.sent,
            "total": self.total,
            "on_time": self.on_time,
        }

    @property
    def parts(self) -> list[charts.Part]:
        return [
            charts.Part(_("Nộp đúng hạn"), self.on_time, "achieved"),
            charts.Part(_("Nộp chậm"), self.sent - self.on_time, "not_achieved"),
            charts.Part(_("Chưa nộp"), self.total - self.sent, "no_data"),
        ]

    @property
    def bar(self) -> SafeString:
        return charts.parts_bar(self.parts, label=self.summary)


def latest_rounds(user: Any, day: dt.date) -> list[RoundCompleteness]:
    """The latest round opened by ``day`` of each data set the user sees, with how many of
    the reports the user may read were sent, and sent on time. Two queries."""
    opened = list(
        visible_rounds(user)
        .filter(opens_on__lte=day)
        .select_related("data_set")
        .order_by("-period_start", "data_set__name", "pk")[:100]
    )
    latest: dict[int, dt.date] = {}
    chosen: list[Round] = []
    for round_ in opened:
        start = latest.setdefault(round_.data_set_id, round_.period_start)
        if round_.period_start == start and len(latest) <= ROUNDS_SHOWN:
            chosen.append(round_)
    if not chosen:
        return []
    # A reviewer counts every report of the round; anyone else only their units' reports.
    readable = Q(round__in=reviewable_rounds(user)) | Q(pk__in=restrict_by_unit(Submission.objects.all(), user).values("pk"))
    on_time = Q(pk__in=[])
    for round_ in chosen:  # "on time" is judged against each round's own due date
        on_time |= Q(round_id=round_.pk, first_submitted_at__lt=deadline(round_.due_on))
    counts = {
        row["round_id"]: row
        for row in Submission.objects.filter(readable, round__in=chosen)
        .order_by()
        .values("round_id")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            punctual=Count("pk", filter=on_time),
        )
    }
    return [
        RoundCompleteness(r, counts[r.pk]["total"], counts[r.pk]["sent"], counts[r.pk]["punctual"])
        for r in chosen
        if r.pk in counts
    ]


# --- 1, 2 and 5: the resolution


@dataclass
class Dashboard:
    day: dt.date
    resolutions: list[Resolution] = field(default_factory=list)  # those the user may choose
    resolution: plans.ResolutionPage | None = None
    flagged: list[plans.IndicatorLine] = field(default_factory=list)
    series_years: list[Period] = field(default_factory=list)
    indicators: list[Evaluation] = field(default_factory=list)  # the choices to compare
    comparison: IndicatorPage | None = None
    tasks: TaskSummary = field(default_factory=TaskSummary)
    rounds: list[RoundCompleteness] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # GET parameters that did not read

    @property
    def unit(self) -> OrgUnit | None:
        return self.resolution.unit if self.resolution else None

    @property
    def has_content(self) -> bool:
        return self.resolution is not None or bool(self.tasks.total) or bool(self.rounds)


def _resolutions(user: Any) -> list[Resolution]:
    """Resolutions in scope that have indicators, the latest term first."""
    return list(
        plans.visible_resolutions(user)
        .annotate(n_indicators=Count("programs__indicators", distinct=True))
        .filter(n_indicators__gt=0)
        .order_by("-term_start", "-n_indicators", "pk")
    )


def _pick(options: dict[int, Any], raw: str, default: Any, missing: str) -> tuple[Any, str | None]:
    """The option whose id is ``raw``, else ``default`` with ``missing`` as the reason."""
    text = raw.strip()
    if not text:
        return default, None
    try:
        return options[int(text)], None
    except (KeyError, ValueError, OverflowError):
        return default, missing % {"value": text[:40]}


def _entered_below(user: Any, evaluations: list[Evaluation], unit: OrgUnit | None) -> set[int]:
    """The resolution's indicators with figures entered by units other than ``unit`` (for
    a ratio, figures of its parts): those worth comparing across units. One query."""
    if unit is None:
        return set()
    parts: dict[int, set[int]] = {}
    for e in evaluations:
        i = e.indicator
        for part_id in (i.pk, i.numerator_id, i.denominator_id):
            if part_id:
                parts.setdefault(part_id, set()).add(i.pk)
    entered = (
        restrict_by_unit(DataValue.objects.filter(indicator_id__in=parts, is_current=True), user)
        .exclude(unit=unit)
        .order_by()
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return {pk for part_id in entered for pk in parts[part_id]}


def _default_indicator(evaluations: list[Evaluation], below: set[int]) -> Evaluation | None:
    """The first indicator with a figure whose units below entered figures too (so the
    comparison has bars), one named in the resolution if possible; else a resolution
    indicator with a figure; else the first resolution indicator, else the first."""
    flagged = [e for e in evaluations if e.indicator.in_resolution]
    comparable = [e for e in evaluations if e.figure.has_value and e.indicator.pk in below]
    for candidates in (
        [e for e in comparable if e.indicator.in_resolution],
        comparable,
        [e for e in flagged if e.figure.has_value],
        flagged,
        evaluations,
    ):
        if candidates:
            return candidates[0]
    return None


def _ranked(indicator: Indicator, rows: list[UnitRow]) -> list[UnitRow]:
    """Ranks as on the indicator page: the best figure first (the lowest when lower is better)."""
    lower_better = indicator.direction == Indicator.Direction.LOWER
    valued = sorted(
        (r for r in rows if r.figure.value is not None),
        key=lambda r: (r.figure.value if lower_better else -(r.figure.value or 0), r.name),
    )
    ranks = {id(r): n for n, r in enumerate(valued, start=1)}
    return [UnitRow(r.unit, r.name, r.figure, r.own, r.target, rank=ranks.get(id(r))) for r in rows]


def _comparison(
    user: Any,
    evaluation: Evaluation,
    unit: OrgUnit,
    series: list[Period],
    figures: dict[tuple[int, int, Period], rollups.Figure],
    day: dt.date,
) -> IndicatorPage:
    """The indicator for ``unit`` and each unit under it in the latest period with a
    figure, and its trend: the two charts of the indicator page, on its own types."""
    indicator = evaluation.indicator
    trend = [TrendRow(p, figures.get((indicator.pk, unit.pk, p), rollups.EMPTY), None) for p in series]
    valued = [t.period for t in trend if t.figure.has_value]
    target_period = evaluation.target.period if evaluation.target else None
    period = valued[-1] if valued else (series[-1] if series else target_period)
    page = IndicatorPage(indicator=indicator, day=day, targets=[], unit=unit, trend=trend, evaluation=evaluation)
    if period is None:
        return page
    ref = reference_day(unit, period)
    page.period, page.unit_name = period, name_on(unit, ref)
    children = list(
        restrict_versions(UnitVersion.objects.filter(valid_on_q(ref), parent=unit), user)
        .select_related("unit")
        .order_by("path")
    )
    table = rollups.table([indicator], [unit, *(c.unit for c in children)], [period], as_of=day)
    own_target = evaluation.target if evaluation.target and evaluation.target.period == period else None
    page.total = UnitRow(unit, page.unit_name, table[(indicator.pk, unit.pk, period)], None, own_target, True)
    page.rows = _ranked(
        indicator,
        [
            UnitRow(c.unit, c.name, figure, None, None)
            for c in children
            for figure in [table[(indicator.pk, c.unit_id, period)]]
            if figure.has_value
        ],
    )
    return page


def dashboard(user: Any, day: dt.date, *, resolution_id: str = "", indicator_id: str = "") -> Dashboard:
    """The dashboard on ``day``; ``resolution_id`` and ``indicator_id`` are the raw GET
    values (an unreadable one falls back to the default, with a message)."""
    board = Dashboard(day=day, tasks=overdue_tasks_by_unit(user, day), rounds=latest_rounds(user, day))
    board.resolutions = _resolutions(user)
    if not board.resolutions:
        return board
    started = [r for r in board.resolutions if r.term_start <= day.year]
    resolution, problem = _pick(
        {r.pk: r for r in board.resolutions},
        resolution_id,
        (started or board.resolutions)[0],
        _("Không tìm thấy nghị quyết “%(value)s” trong phạm vi bạn được xem; đang hiển thị nghị quyết mặc định."),
    )
    board.problems += [problem] if problem else []
    page = plans.resolution_page(user, resolution, day)
    board.resolution = page
    evaluations = page.evaluations
    board.indicators = evaluations
    by_id = {e.indicator.pk: e for e in evaluations}
    chosen, problem = _pick(
        by_id,
        indicator_id,
        None,
        _("Không tìm thấy chỉ tiêu “%(value)s” trong Nghị quyết này; đang hiển thị chỉ tiêu mặc định."),
    )
    if chosen is None:  # the default costs a query: only when none was asked for
        chosen = _default_indicator(evaluations, _entered_below(user, evaluations, page.unit))
    board.problems += [problem] if problem else []
    unit = page.unit
    years, school_years = plans.term_series(resolution, day)
    board.series_years = years
    flagged = [e for e in evaluations if e.indicator.in_resolution]
    # One rollup for the sparklines of the resolution's indicators and the chosen one's trend.
    charted = {
        e.indicator.pk: e.indicator
        for e in [*flagged, *([chosen] if chosen else [])]
        if plans.series_for(e.indicator, years, school_years)
    }
    figures = (
        rollups.table(list(charted.values()), [unit], years + school_years, as_of=day) if unit is not None and charted else {}
    )
    board.flagged = [
        plans.IndicatorLine(
            e,
            plans.sparkline_for(e.indicator, plans.series_for(e.indicator, years, school_years), figures, unit.pk)
            if unit is not None
            else SafeString(""),
        )
        for e in flagged
    ]
    if chosen is not None and unit is not None:
        board.comparison = _comparison(
            user, chosen, unit, plans.series_for(chosen.indicator, years, school_years), figures, day
        )
    return board
