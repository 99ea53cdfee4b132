"""Reading indicators, targets and figures for a user's pages.

Everything goes through the scoping layer (``tiendo.accounts.scope``): targets and
figures are rows that belong to a unit (``restrict_by_unit``), so a ward reporter
sees the indicators of the district's resolution, but only the targets and figures
of their own ward. Each function runs a fixed number of queries whatever the number
of indicators, units or periods; rollups come from ``tiendo.indicators.rollups`` and
judgements from ``tiendo.indicators.evaluation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tiendo.accounts.scope import EVERYTHING, path_q, restrict_by_unit, restrict_units, restrict_versions, scope_paths
from tiendo.indicators import charts, rollups
from tiendo.indicators.evaluation import Evaluation, evaluate
from tiendo.indicators.models import DataValue, Indicator, Target
from tiendo.lib import periods
from tiendo.lib.periods import Period, PeriodKind
from tiendo.lib.vn import format_number
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitKind, UnitLineage, UnitVersion, valid_on_q

TREND_LENGTH = 24  # periods on an indicator's trend: two years of months, a term of years
SOURCE_ROWS = 300  # entered figures listed under a rolled-up figure


def name_on(unit: OrgUnit, day: dt.date) -> str:
    """The unit's name on ``day``, or its latest name if it did not exist then
    (``versions`` prefetched, so no query)."""
    version = unit.version_on(day) or unit.latest_version
    return version.name if version else str(unit)


def period_of(row: Target | DataValue) -> Period:
    return Period(row.period_start, row.period_end, PeriodKind(row.period_kind))


def percent_of(value: Decimal | None, target: Decimal | None) -> Decimal | None:
    return value / target * 100 if value is not None and target else None


def _versions() -> Prefetch:
    return Prefetch("versions", queryset=UnitVersion.objects.order_by("valid_from"))


# --- Which indicators a user may see


def visible_indicators(user: Any) -> QuerySet[Indicator]:
    """Indicators of the resolutions the user may read (their units' and those above),
    and any indicator with a target or a figure in the user's units."""
    from tiendo.plans.selectors import visible_resolutions  # plans reads indicators: import here, not at the top

    if scope_paths(user) is EVERYTHING:
        return Indicator.objects.all()
    by_program = Indicator.objects.filter(program__resolution__in=visible_resolutions(user))
    by_unit = restrict_by_unit(Indicator.objects.all(), user, "responsible_unit", with_ancestors=True)
    by_target = restrict_by_unit(Target.objects.all(), user)
    by_value = restrict_by_unit(DataValue.objects.all(), user)
    return Indicator.objects.filter(
        Q(pk__in=by_program.values("pk"))
        | Q(pk__in=by_unit.values("pk"))
        | Q(pk__in=by_target.values("indicator_id"))
        | Q(pk__in=by_value.values("indicator_id"))
    )


def get_indicator_or_404(user: Any, pk: Any) -> Indicator:
    try:
        return (
            visible_indicators(user)
            .select_related("program__resolution", "priority", "numerator", "denominator", "weight")
            .get(pk=int(pk))
        )
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy chỉ tiêu.")) from None


# --- The unit an evaluation is for


@dataclass(frozen=True)
class UnitChoice:
    unit: OrgUnit
    name: str
    depth: int = 0  # below the top unit of the choices
    targets: int = 0

    @property
    def indent(self) -> str:
        return "\u00a0\u00a0\u00a0" * self.depth


def target_units(user: Any, indicators: Iterable[Indicator] | QuerySet[Indicator], day: dt.date) -> list[UnitChoice]:
    """The units in the user's scope holding targets of these indicators, the unit with
    the most targets first: the unit whose figures a resolution or a program is judged
    on. (A resolution is issued by a Party committee, but its targets are set on the
    district, so the evaluation unit is read from the targets, not from the issuer.)"""
    ids = indicators.values("pk") if isinstance(indicators, QuerySet) else [i.pk for i in indicators]
    units = (
        restrict_units(OrgUnit.objects.all(), user)
        .annotate(n_targets=Count("targets", filter=Q(targets__indicator_id__in=ids)))
        .filter(n_targets__gt=0)
        .order_by("-n_targets", "pk")
        .prefetch_related(_versions())
    )
    return [UnitChoice(u, name_on(u, day), targets=u.n_targets) for u in units]  # type: ignore[attr-defined]


# --- The page of one indicator


@dataclass(frozen=True)
class TargetRow:
    target: Target
    unit_name: str

    @property
    def period(self) -> Period:
        return period_of(self.target)


@dataclass(frozen=True)
class UnitRow:
    """One line of the table of values by unit: a unit's figure for the chosen period."""

    unit: OrgUnit
    name: str
    figure: rollups.Figure
    own: DataValue | None  # the unit's own entered figure for exactly this period
    target: Target | None
    is_total: bool = False
    rank: int | None = None

    @property
    def percent(self) -> Decimal | None:
        return percent_of(self.figure.value, self.target.value if self.target else None)

    @property
    def pending(self) -> DataValue | None:
        """The unit's own figure when it is not approved yet, so not counted."""
        return self.own if self.own is not None and self.own.state != DataValue.State.APPROVED else None


@dataclass(frozen=True)
class TrendRow:
    period: Period
    figure: rollups.Figure
    target: Target | None

    @property
    def percent(self) -> Decimal | None:
        return percent_of(self.figure.value, self.target.value if self.target else None)


@dataclass(frozen=True)
class SourceValue:
    """An entered figure counted in a rolled-up one: its unit's own, or passed on by a
    unit that was merged or split into the subtree (with the share that passes)."""

    value: DataValue
    unit_name: str
    share: Decimal | None = None


@dataclass
class IndicatorPage:
    indicator: Indicator
    day: dt.date
    targets: list[TargetRow]
    unit: OrgUnit | None = None
    unit_name: str = ""
    period: Period | None = None
    rows: list[UnitRow] = field(default_factory=list)
    total: UnitRow | None = None
    trend: list[TrendRow] = field(default_factory=list)
    sources: list[SourceValue] = field(default_factory=list)
    more_sources: bool = False
    evaluation: Evaluation | None = None

    @property
    def ranked(self) -> list[UnitRow]:
        return sorted((r for r in self.rows if r.rank is not None), key=lambda r: r.rank or 0)

    @property
    def comparable_target(self) -> Target | None:
        """A target that each unit's figure can be set against: a rate or a level
        (not a total, which the units only add up to)."""
        target = self.evaluation.target if self.evaluation else None
        i = self.indicator
        level = i.is_percent or i.time_aggregation == Indicator.TimeAggregation.STOCK
        return target if level and i.unit_aggregation not in (Indicator.UnitAggregation.SUM, Indicator.UnitAggregation.COUNT_MEETING) else None

    @property
    def bars(self) -> SafeString:
        i = self.indicator
        bars = [charts.Bar(r.name, r.figure.value, charts.figure_text(i, r.figure.value)) for r in self.ranked if r.figure.value is not None]
        target = self.comparable_target
        title = _("Xếp hạng các đơn vị trực thuộc %(unit)s, %(period)s") % {
            "unit": self.unit_name,
            "period": self.period.label if self.period else "",
        }
        return charts.ranked_bars(
            bars,
            title=title,
            target=target.value if target else None,
            target_text=_("mục tiêu %(value)s") % {"value": charts.figure_text(i, target.value)} if target else "",
        )

    @property
    def trend_chart(self) -> SafeString:
        i = self.indicator
        points = [charts.Point(r.period.code, r.figure.value, charts.figure_text(i, r.figure.value)) for r in self.trend]
        target = self.comparable_target
        return charts.line_chart(
            points,
            title=_("Diễn biến của %(unit)s qua các kỳ") % {"unit": self.unit_name},
            target=target.value if target else None,
            target_text=_("mục tiêu %(value)s") % {"value": charts.figure_text(i, target.value)} if target else "",
        )

    @property
    def parts(self) -> list[tuple[str, Indicator]]:
        i = self.indicator
        named = [(_("Tử số"), i.numerator), (_("Mẫu số"), i.denominator), (_("Trọng số"), i.weight)]
        return [(label, part) for label, part in named if part is not None]


def rules_in_words(indicator: Indicator) -> list[str]:
    """How the indicator adds up over units and over time, in sentences for a reader."""
    agg = Indicator.UnitAggregation
    kind = indicator.unit_aggregation
    name = _("“%(name)s”")
    if kind == agg.SUM:
        over_units = _("Số của một đơn vị là tổng số của các đơn vị trực thuộc.")
    elif kind == agg.AVERAGE:
        over_units = _("Số của một đơn vị là trung bình cộng số của các đơn vị trực thuộc.")
    elif kind == agg.WEIGHTED_AVERAGE:
        over_units = _(
            "Số của một đơn vị là trung bình số của các đơn vị trực thuộc, có trọng số là chỉ tiêu %(weight)s."
        ) % {"weight": name % {"name": indicator.weight.name if indicator.weight else "?"}}
    elif kind == agg.RATIO_OF_SUMS:
        over_units = _(
            "Số của một đơn vị là tổng tử số (chỉ tiêu %(numerator)s) chia cho tổng mẫu số (chỉ tiêu "
            "%(denominator)s) của các đơn vị trực thuộc, không lấy trung bình các tỷ lệ."
        ) % {
            "numerator": name % {"name": indicator.numerator.name if indicator.numerator else "?"},
            "denominator": name % {"name": indicator.denominator.name if indicator.denominator else "?"},
        }
    elif kind == agg.MIN:
        over_units = _("Số của một đơn vị là số nhỏ nhất trong các đơn vị trực thuộc.")
    elif kind == agg.MAX:
        over_units = _("Số của một đơn vị là số lớn nhất trong các đơn vị trực thuộc.")
    elif kind == agg.COUNT_MEETING:
        over_units = _("Số của một đơn vị là số đơn vị trực thuộc có số liệu %(comparison)s %(threshold)s.") % {
            "comparison": indicator.get_threshold_comparison_display(),
            "threshold": format_number(indicator.threshold),
        }
    else:
        over_units = _("Không cộng dồn: số liệu chỉ nhập ở đơn vị được giao; cấp trên không tự tổng hợp.")
    if indicator.time_aggregation == Indicator.TimeAggregation.STOCK:
        over_time = _("Theo thời gian: lấy số của kỳ gần nhất có số liệu (số của năm là số của kỳ cuối năm).")
    else:
        over_time = _("Theo thời gian: cộng dồn các kỳ (số của năm là tổng các kỳ trong năm).")
    frequency = _("Báo cáo theo %(kind)s; %(direction)s.") % {
        "kind": periods.KIND_LABELS[PeriodKind(indicator.frequency)],
        "direction": str(indicator.get_direction_display()).lower(),
    }
    common = _(
        "Chỉ số liệu đã duyệt được tính. Số liệu của đơn vị đã sáp nhập, chia tách được tính cho đơn vị kế tiếp "
        "theo tỷ lệ chuyển."
    )
    return [over_units, over_time, frequency, common]


def _part_ids(indicator: Indicator) -> list[int]:
    return [pk for pk in (indicator.pk, indicator.numerator_id, indicator.denominator_id, indicator.weight_id) if pk]


def period_choices(user: Any, indicator: Indicator) -> tuple[list[Period], list[Period]]:
    """(periods with figures that count, periods with targets), each newest first.

    Figures count in the indicator's reporting frequency; for a ratio, the figures of
    its numerator and denominator. One query each."""
    counted = (
        restrict_by_unit(DataValue.objects.filter(indicator_id__in=_part_ids(indicator), is_current=True), user)
        .filter(period_kind=F("indicator__frequency"))
        .order_by()
        .values_list("period_kind", "period_start", "period_end")
        .distinct()
    )
    valued = sorted({Period(s, e, PeriodKind(k)) for k, s, e in counted}, key=lambda p: (p.start, p.end), reverse=True)
    targeted = (
        restrict_by_unit(Target.objects.filter(indicator=indicator), user)
        .order_by()
        .values_list("period_kind", "period_start", "period_end")
        .distinct()
    )
    target_periods = sorted({Period(s, e, PeriodKind(k)) for k, s, e in targeted}, key=lambda p: (p.start, p.end), reverse=True)
    return valued, target_periods


def default_period(valued: Sequence[Period], targeted: Sequence[Period], day: dt.date) -> Period:
    """The latest period with figures; else the latest target period; else this year."""
    if valued:
        return valued[0]
    if targeted:
        return targeted[0]
    return periods.year(min(day.year, dt.date.max.year - 1))


def unit_choices(user: Any, indicator: Indicator, day: dt.date) -> list[UnitChoice]:
    """The units worth looking at for an indicator, in tree order: those holding its
    targets, those with its figures, and the units above them, all within scope."""
    ids = _part_ids(indicator)
    counts: dict[int, int] = dict(
        restrict_by_unit(Target.objects.filter(indicator=indicator), user)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    entering = restrict_by_unit(DataValue.objects.filter(indicator_id__in=ids, is_current=True), user).values("unit_id")
    paths = UnitVersion.objects.filter(Q(unit_id__in=entering) | Q(unit_id__in=list(counts))).values_list("path", flat=True)
    wanted = {int(p[i : i + PATH_SEGMENT]) for p in paths for i in range(0, len(p), PATH_SEGMENT)}
    units = restrict_units(OrgUnit.objects.filter(pk__in=wanted), user).prefetch_related(_versions())
    choices = []
    for unit in units:
        version = unit.version_on(day) or unit.latest_version
        choices.append(
            (
                version.path if version else "",
                UnitChoice(unit, name_on(unit, day), version.depth if version else 0, counts.get(unit.pk, 0)),
            )
        )
    choices.sort(key=lambda pair: pair[0])
    top = min((c.depth for _path, c in choices), default=0)
    return [UnitChoice(c.unit, c.name, c.depth - top, c.targets) for _path, c in choices]


def main_unit(choices: Sequence[UnitChoice]) -> UnitChoice | None:
    """The unit holding the most targets (the district for a district resolution),
    else the top unit with figures."""
    with_targets = [c for c in choices if c.targets]
    if with_targets:
        return max(with_targets, key=lambda c: (c.targets, -c.depth))
    return min(choices, key=lambda c: c.depth) if choices else None


def reference_day(unit: OrgUnit, period: Period) -> dt.date:
    """The day the unit's children are listed on: the period's last day, or the
    nearest day within the unit's life."""
    day = max(period.last_day, unit.valid_from)
    if unit.valid_to is not None:
        day = min(day, unit.valid_to - dt.timedelta(days=1))
    return day


def indicator_page(
    user: Any,
    indicator: Indicator,
    *,
    unit: OrgUnit | None,
    period: Period,
    day: dt.date,
    trend_periods: Sequence[Period],
    include_submitted: bool = False,
) -> IndicatorPage:
    """Targets, the figures of ``unit`` and of the units under it for ``period``, its
    trend over ``trend_periods``, the entered figures the rolled-up one comes from,
    and its status on ``day``. Approved figures only, unless ``include_submitted``."""
    targets = list(
        restrict_by_unit(Target.objects.filter(indicator=indicator), user)
        .select_related("source", "unit")
        .prefetch_related(Prefetch("unit__versions", queryset=UnitVersion.objects.order_by("valid_from")))
        .order_by("period_start", "-period_end", "unit_id")
    )
    page = IndicatorPage(
        indicator=indicator,
        day=day,
        targets=[TargetRow(t, name_on(t.unit, t.period_start)) for t in targets],
        period=period,
    )
    if unit is None:
        return page
    ref = reference_day(unit, period)
    page.unit, page.unit_name = unit, name_on(unit, ref)
    children = list(
        restrict_versions(UnitVersion.objects.filter(valid_on_q(ref), parent=unit), user)
        .select_related("unit")
        .order_by("path")
    )
    subjects = [unit, *(c.unit for c in children)]
    trend = list(trend_periods)
    # One rollup for the table and the trend (the children's trends come along unused).
    figures = rollups.table([indicator], subjects, sorted({period, *trend}), include_submitted=include_submitted)
    trend_figures = figures
    own = {
        v.unit_id: v
        for v in restrict_by_unit(
            DataValue.objects.filter(
                indicator=indicator,
                is_current=True,
                period_kind=period.kind.value,
                period_start=period.start,
                period_end=period.end,
                unit__in=subjects,
            ),
            user,
        )
    }
    row_targets = {
        t.unit_id: t
        for t in targets
        if t.period_kind == period.kind.value and t.period_start == period.start and t.period_end == period.end
    }
    page.total = UnitRow(
        unit, page.unit_name, figures[(indicator.pk, unit.pk, period)], own.get(unit.pk), row_targets.get(unit.pk), True
    )
    rows = []
    for child in children:
        figure = figures[(indicator.pk, child.unit_id, period)]
        row = UnitRow(child.unit, child.name, figure, own.get(child.unit_id), row_targets.get(child.unit_id))
        territorial = child.unit.kind in UnitKind.territorial()
        if territorial or figure.has_value or row.own is not None or row.target is not None:
            rows.append(row)
    # Best first: the highest figure, or the lowest when lower is better.
    lower_better = indicator.direction == Indicator.Direction.LOWER

    def best_first(row: UnitRow) -> Decimal:
        value = row.figure.value or Decimal(0)
        return value if lower_better else -value

    ranked = sorted((r for r in rows if r.figure.value is not None), key=best_first)
    ranks = {id(r): n for n, r in enumerate(ranked, start=1)}
    page.rows = [UnitRow(r.unit, r.name, r.figure, r.own, r.target, rank=ranks.get(id(r))) for r in rows]
    unit_targets = {period_of(t.target): t.target for t in page.targets if t.target.unit_id == unit.pk}
    page.trend = [
        TrendRow(p, trend_figures.get((indicator.pk, unit.pk, p), rollups.EMPTY), unit_targets.get(p)) for p in trend
    ]
    page.sources, page.more_sources = source_values(user, indicator, unit, period)
    page.evaluation = evaluate([indicator], unit, on=day, include_submitted=include_submitted)[0]
    return page


def trend_periods(valued: Sequence[Period], indicator: Indicator) -> list[Period]:
    """The periods of a trend: those with figures in the reporting frequency, oldest
    first, the latest ``TREND_LENGTH``."""
    kinds = {PeriodKind(indicator.frequency)}
    for part in (indicator.numerator, indicator.denominator):
        if part is not None:
            kinds.add(PeriodKind(part.frequency))
    chosen = sorted((p for p in valued if p.kind in kinds), key=lambda p: (p.start, p.end))
    return chosen[-TREND_LENGTH:]


def _minimal(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def source_values(
    user: Any, indicator: Indicator, unit: OrgUnit, period: Period, limit: int = SOURCE_ROWS
) -> tuple[list[SourceValue], bool]:
    """The entered figures (and those of a ratio's parts) that roll into ``unit``'s
    figure for ``period``, as the rollup counts them: rows of units that stood in the
    subtree when the row's period began, and rows of units that passed into the
    subtree in a reorganisation, with the share that passes. Draft and submitted rows
    are listed too, marked: they do not count until approved."""
    paths = _minimal(v.path for v in unit.versions.all())
    inside = UnitVersion.objects.filter(path_q(paths), unit=OuterRef("unit_id"), valid_from__lte=OuterRef("period_start")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("period_start"))
    )
    ref_version = unit.version_on(reference_day(unit, period))
    shares: dict[int, Decimal] = {}
    if ref_version is not None:
        ref = reference_day(unit, period)
        successors = UnitVersion.objects.filter(valid_on_q(ref), path_q([ref_version.path])).values("unit_id")
        shares = dict(
            UnitLineage.objects.filter(successor__in=successors)
            .values("predecessor_id")
            .annotate(total=Sum("share"))
            .values_list("predecessor_id", "total")
        )
    rows = list(
        restrict_by_unit(
            DataValue.objects.filter(
                indicator_id__in=_part_ids(indicator),
                is_current=True,
                period_start__gte=period.start,
                period_end__lte=period.end,
                period_kind=F("indicator__frequency"),
            ),
            user,
        )
        .annotate(direct=Exists(inside))
        .filter(Q(direct=True) | Q(unit_id__in=list(shares)))
        .select_related("indicator", "unit", "entered_by")
        .prefetch_related(Prefetch("unit__versions", queryset=UnitVersion.objects.order_by("valid_from")))
        .order_by("period_start", "indicator__order", "indicator__code", "unit_id")[: limit + 1]
    )
    values = [
        SourceValue(
            row,
            name_on(row.unit, row.period_start),
            None if row.direct else shares.get(row.unit_id),  # type: ignore[attr-defined]
        )
        for row in rows[:limit]
    ]
    return values, len(rows) > limit


# --- The page of one figure


def get_value_or_404(user: Any, pk: Any) -> DataValue:
    """A figure in the user's scope (its own unit, not the units above): else 404."""
    try:
        return (
            restrict_by_unit(DataValue.objects.all(), user)
            .select_related("indicator", "source", "entered_by", "unit")
            .prefetch_related(_versions_of("unit"))
            .get(pk=int(pk))
        )
    except (DataValue.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy số liệu.")) from None


def _versions_of(relation: str) -> Prefetch:
    return Prefetch(f"{relation}__versions", queryset=UnitVersion.objects.order_by("valid_from"))


def value_history(value: DataValue) -> list[DataValue]:
    """Every version of the figure, newest first: from the one in force back along
    ``replaces`` to the first one entered. One query."""
    rows = list(
        DataValue.objects.filter(
            indicator_id=value.indicator_id,
            unit_id=value.unit_id,
            period_kind=value.period_kind,
            period_start=value.period_start,
        ).select_related("entered_by", "source")
    )
    by_pk = {row.pk: row for row in rows}
    successor = {row.replaces_id: row for row in rows if row.replaces_id}
    newest = by_pk.get(value.pk, value)
    while newest.pk in successor:
        newest = successor[newest.pk]
    chain = [newest]
    while chain[-1].replaces_id in by_pk and len(chain) <= len(rows):
        chain.append(by_pk[chain[-1].replaces_id])  # type: ignore[index]
    return chain


# --- The indicators card of a unit's page


@dataclass(frozen=True)
class UnitIndicator:
    evaluation: Evaluation
    latest: DataValue | None  # the unit's own latest figure

    @property
    def indicator(self) -> Indicator:
        return self.evaluation.indicator

    @property
    def target_period(self) -> Period | None:
        return period_of(self.evaluation.target) if self.evaluation.target else None

    @property
    def latest_period(self) -> Period | None:
        return period_of(self.latest) if self.latest else None


UNIT_CARD_ROWS = 100


def unit_indicators(user: Any, unit: OrgUnit, day: dt.date) -> tuple[list[UnitIndicator], bool]:
    """The indicators with targets or figures of this unit, each judged on ``day``, with
    the unit's latest own figure; and whether there are more than the card lists
    (``UNIT_CARD_ROWS``). A fixed number of queries: the indicators, the targets,
    the rollup (two or three) and the latest figures."""
    targets = restrict_by_unit(Target.objects.filter(unit=unit), user)
    values = restrict_by_unit(DataValue.objects.filter(unit=unit, is_current=True), user)
    indicators = list(
        Indicator.objects.filter(Q(pk__in=targets.values("indicator_id")) | Q(pk__in=values.values("indicator_id")))
        .select_related("program")
        .order_by("program__order", "program__number", "order", "code")[: UNIT_CARD_ROWS + 1]
    )
    if not indicators:
        return [], False
    shown = indicators[:UNIT_CARD_ROWS]
    latest: dict[int, DataValue] = {}
    for row in values.filter(indicator__in=shown).order_by("indicator_id", "-period_start", "period_end"):
        latest.setdefault(row.indicator_id, row)
    evaluations = evaluate(shown, unit, on=day)
    return [UnitIndicator(e, latest.get(e.indicator.pk)) for e in evaluations], len(indicators) > UNIT_CARD_ROWS
