"""Reading resolutions and programs for a user's pages.

A resolution applies to the units below its issuer, so it is visible to anyone whose
scope lies under it (``restrict_by_unit(..., with_ancestors=True)``): a ward
reporter reads the district's resolution. Its indicators are judged on the unit
that holds their targets (``tiendo.indicators.selectors.target_units``), within the
user's scope. Each function runs a fixed number of queries whatever the number of
programs, indicators, units or periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tiendo.accounts.scope import restrict_by_issuer, restrict_by_unit
from tiendo.indicators import charts, rollups
from tiendo.indicators.evaluation import Evaluation, StatusCounts, count, evaluate
from tiendo.indicators.models import Indicator
from tiendo.indicators.selectors import UnitChoice, name_on, target_units
from tiendo.indicators.status import Assessment, Status
from tiendo.lib import periods
from tiendo.lib.periods import Period, PeriodKind
from tiendo.lib.vn import format_number
from tiendo.orgs.models import OrgUnit, UnitVersion
from tiendo.plans.models import BoardMember, Plan, PlanItem, Priority, Program, Resolution


def _versions(relation: str) -> Prefetch:
    return Prefetch(f"{relation}__versions", queryset=UnitVersion.objects.order_by("valid_from"))


# --- Counting indicators by status


@dataclass(frozen=True)
class Summary:
    """How many indicators stand at each status, in the words of a review report:
    "32 chỉ tiêu: hoàn thành 24, đang thực hiện 8"."""

    counts: StatusCounts

    @classmethod
    def of(cls, evaluations: Iterable[Evaluation]) -> Summary:
        return cls(count(evaluations))

    @property
    def total(self) -> int:
        return self.counts.total

    def _n(self, status: Status) -> int:
        return self.counts.by_status.get(status, 0)

    @property
    def text(self) -> str:
        return _("%(total)s chỉ tiêu: %(counts)s") % {"total": format_number(self.total), "counts": self.counts_text}

    @property
    def counts_text(self) -> str:
        """"hoàn thành 24, đang thực hiện 8", then those not achieved and without data if any."""
        n = format_number
        parts = [
            _("hoàn thành %(done)s, đang thực hiện %(in_progress)s")
            % {"done": n(self.counts.done), "in_progress": n(self.counts.in_progress)}
        ]
        if self._n(Status.NOT_ACHIEVED):
            parts.append(_("chưa đạt %(n)s") % {"n": n(self._n(Status.NOT_ACHIEVED))})
        if self._n(Status.NO_DATA):
            parts.append(_("chưa có số liệu %(n)s") % {"n": n(self._n(Status.NO_DATA))})
        return ", ".join(parts)

    @property
    def rows(self) -> list[tuple[Status, int]]:
        return [(s, n) for s, n in self.counts.rows() if n]

    @property
    def bar(self) -> SafeString:
        return charts.status_bar(self.counts.rows(), label=self.text)


NOT_JUDGED = Assessment(Status.NO_DATA, None, None)


def _judge(indicators: Sequence[Indicator], unit: OrgUnit | None, day: dt.date) -> list[Evaluation]:
    if unit is None:  # no target in the user's scope: nothing to judge against
        return [Evaluation(i, None, rollups.EMPTY, NOT_JUDGED) for i in indicators]
    return evaluate(indicators, unit, on=day)


def _pick_unit(choices: list[UnitChoice], chosen: OrgUnit | None, day: dt.date) -> tuple[OrgUnit | None, str, list[UnitChoice]]:
    """The unit asked for (already fetched through the scoping layer), else the one
    holding the most targets; the asked-for unit joins the choices if missing."""
    if chosen is not None:
        if not any(c.unit.pk == chosen.pk for c in choices):
            choices = [*choices, UnitChoice(chosen, name_on(chosen, day))]
        return chosen, next(c.name for c in choices if c.unit.pk == chosen.pk), choices
    if choices:
        return choices[0].unit, choices[0].name, choices
    return None, "", choices


# --- Resolutions


def visible_resolutions(user: Any) -> QuerySet[Resolution]:
    """Resolutions issued by the user's units or the units above them, or by a body
    attached to one of those (the district's Party committee hangs beside the wards,
    under the district, yet its resolution applies to the wards)."""
    return restrict_by_issuer(Resolution.objects.all(), user)


def resolution_list(user: Any) -> list[Resolution]:
    return list(
        visible_resolutions(user)
        .select_related("issuer")
        .prefetch_related(_versions("issuer"))
        .annotate(
            n_programs=Count("programs", distinct=True),
            n_indicators=Count("programs__indicators", distinct=True),
            n_flagged=Count("programs__indicators", filter=Q(programs__indicators__in_resolution=True), distinct=True),
        )
    )


def get_resolution_or_404(user: Any, pk: Any) -> Resolution:
    try:
        return visible_resolutions(user).select_related("issuer").prefetch_related(_versions("issuer")).get(pk=int(pk))
    except (Resolution.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy nghị quyết.")) from None


@dataclass(frozen=True)
class ProgramSummary:
    program: Program
    all: Summary
    flagged: Summary  # the indicators named in the resolution


@dataclass(frozen=True)
class PrioritySummary:
    priority: Priority
    programs: list[Program]
    all: Summary
    flagged: Summary


@dataclass
class ResolutionPage:
    resolution: Resolution
    day: dt.date
    unit: OrgUnit | None
    unit_name: str
    unit_choices: list[UnitChoice]
    all: Summary
    flagged: Summary
    programs: list[ProgramSummary] = field(default_factory=list)
    priorities: list[PrioritySummary] = field(default_factory=list)
    # Every indicator's judgement, for pages that list them (the leaders' dashboard).
    evaluations: list[Evaluation] = field(default_factory=list)


def _summaries(evaluations: Sequence[Evaluation]) -> tuple[Summary, Summary]:
    return Summary.of(evaluations), Summary.of(e for e in evaluations if e.indicator.in_resolution)


def _priority_of(indicator: Indicator) -> int | None:
    """An indicator counts under its own priority, else under its program's."""
    if indicator.priority_id:
        return indicator.priority_id
    return indicator.program.priority_id if indicator.program else None


def resolution_page(user: Any, resolution: Resolution, day: dt.date, unit: OrgUnit | None = None) -> ResolutionPage:
    """The resolution's priorities and programs with their indicators counted by status
    on ``day``, judged on ``unit`` or on the unit that holds most of their targets."""
    indicators = list(
        Indicator.objects.filter(Q(program__resolution=resolution) | Q(priority__resolution=resolution))
        .select_related("program")
        .order_by("program__order", "program__number", "order", "code")
    )
    programs = list(resolution.programs.select_related("lead_unit").prefetch_related(_versions("lead_unit")))
    priorities = list(resolution.priorities.all())
    chosen, unit_name, choices = _pick_unit(target_units(user, indicators, day), unit, day)
    evaluations = _judge(indicators, chosen, day)
    # The headline counts the programs' indicators, as a review report does; indicators
    # tied only to a priority are counted under that priority.
    page = ResolutionPage(
        resolution, day, chosen, unit_name, choices, *_summaries([e for e in evaluations if e.indicator.program_id])
    )
    page.evaluations = evaluations
    for program in programs:
        program.lead_name = name_on(program.lead_unit, day)  # type: ignore[attr-defined]
        page.programs.append(ProgramSummary(program, *_summaries([e for e in evaluations if e.indicator.program_id == program.pk])))
    for priority in priorities:
        mine = [e for e in evaluations if _priority_of(e.indicator) == priority.pk]
        linked = [p for p in programs if p.priority_id == priority.pk]
        page.priorities.append(PrioritySummary(priority, linked, *_summaries(mine)))
    return page


# --- Programs


def visible_programs(user: Any) -> QuerySet[Program]:
    return Program.objects.filter(resolution__in=visible_resolutions(user))


def get_program_or_404(user: Any, pk: Any) -> Program:
    try:
        return (
            visible_programs(user)
            .select_related("resolution", "priority", "lead_unit")
            .prefetch_related(_versions("lead_unit"))
            .get(pk=int(pk))
        )
    except (Program.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy chương trình.")) from None


@dataclass(frozen=True)
class IndicatorLine:
    """One line of a program's table of indicators."""

    evaluation: Evaluation
    sparkline: SafeString

    @property
    def indicator(self) -> Indicator:
        return self.evaluation.indicator

    @property
    def target_period(self) -> Period | None:
        t = self.evaluation.target
        return Period(t.period_start, t.period_end, PeriodKind(t.period_kind)) if t else None


@dataclass
class ProgramPage:
    program: Program
    day: dt.date
    unit: OrgUnit | None
    unit_name: str
    unit_choices: list[UnitChoice]
    only_flagged: bool
    board: list[BoardMember]
    plans: list[Plan]
    lines: list[IndicatorLine]
    all: Summary
    flagged: Summary
    series_periods: list[Period]


def series_for(indicator: Indicator, years: list[Period], school_years: list[Period]) -> list[Period]:
    """The periods an indicator's trend is drawn over: the years of the term, or its
    school years; none for an indicator reported once a term."""
    kind = PeriodKind(indicator.frequency)
    if kind is PeriodKind.SCHOOL_YEAR:
        return school_years
    return [] if kind is PeriodKind.TERM else years


def _sparkline(indicator: Indicator, series: list[Period], figures: dict[tuple[int, int, Period], rollups.Figure], unit_id: int) -> SafeString:
    values: list[Decimal | None] = [figures.get((indicator.pk, unit_id, p), rollups.EMPTY).value for p in series]
    if sum(v is not None for v in values) < 2:
        return SafeString("")
    words = "; ".join(f"{p.label}: {charts.figure_text(indicator, v)}" for p, v in zip(series, values, strict=True))
    return charts.sparkline(values, label=_("Diễn biến: %(values)s") % {"values": words})


def program_page(
    user: Any, program: Program, day: dt.date, unit: OrgUnit | None = None, *, only_flagged: bool = False
) -> ProgramPage:
    """The program's steering board, its plans and items, and its indicators judged on
    ``day`` with their trend over the years of the term so far."""
    board = list(program.board.all())
    plans = list(
        restrict_by_unit(program.plans.all(), user, "unit", with_ancestors=True)
        .select_related("unit")
        .prefetch_related(
            _versions("unit"),
            Prefetch(
                "items",
                queryset=PlanItem.objects.select_related("responsible_unit", "indicator").prefetch_related(
                    _versions("responsible_unit")
                ),
            ),
        )
        .order_by("-year", "unit_id", "title")
    )
    for plan in plans:
        plan.unit_name = name_on(plan.unit, dt.date(plan.year, 12, 31))  # type: ignore[attr-defined]
        for item in plan.items.all():
            responsible = item.responsible_unit
            item.unit_name = name_on(responsible, dt.date(plan.year, 12, 31)) if responsible else ""  # type: ignore[attr-defined]
    indicators = list(program.indicators.order_by("order", "code"))
    chosen, unit_name, choices = _pick_unit(target_units(user, indicators, day), unit, day)
    evaluations = _judge(indicators, chosen, day)
    resolution = program.resolution
    term = periods.term(resolution.term_start, resolution.term_end)
    years = [p for p in term.parts(PeriodKind.YEAR) if p.start <= day]
    school_years = [p for p in term.parts(PeriodKind.SCHOOL_YEAR) if p.start <= day]
    charted = [i for i in indicators if series_for(i, years, school_years)]
    figures = (
        rollups.table(charted, [chosen], years + school_years, as_of=day) if chosen is not None and charted else {}
    )
    lines = [
        IndicatorLine(
            e,
            _sparkline(e.indicator, series_for(e.indicator, years, school_years), figures, chosen.pk)
            if chosen is not None
            else SafeString(""),
        )
        for e in evaluations
        if e.indicator.in_resolution or not only_flagged
    ]
    all_, flagged = _summaries(evaluations)
    return ProgramPage(
        program=program,
        day=day,
        unit=chosen,
        unit_name=unit_name,
        unit_choices=choices,
        only_flagged=only_flagged,
        board=board,
        plans=plans,
        lines=lines,
        all=all_,
        flagged=flagged,
        series_periods=years,
    )


# --- Trends over a resolution's term (the leaders' dashboard)


def term_series(resolution: Resolution, day: dt.date) -> tuple[list[Period], list[Period]]:
    """The years and the school years of the resolution's term begun by ``day``: the
    periods a trend is drawn over (see ``series_for``)."""
    term = periods.term(resolution.term_start, resolution.term_end)
    years = [p for p in term.parts(PeriodKind.YEAR) if p.start <= day]
    school_years = [p for p in term.parts(PeriodKind.SCHOOL_YEAR) if p.start <= day]
    return years, school_years


def sparkline_for(
    indicator: Indicator, series: list[Period], figures: dict[tuple[int, int, Period], rollups.Figure], unit_id: int
) -> SafeString:
    """The small trend of a program's table, for another page that ran the rollup itself."""
    return _sparkline(indicator, series, figures, unit_id)
