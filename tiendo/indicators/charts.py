"""Small charts drawn on the server as inline SVG: no JavaScript, no chart library, no CDN.

Every chart comes with its figures in a table or in text next to it, so the chart is
decoration for the eye; each still carries a text alternative (``role="img"`` and an
``aria-label``) saying what it shows. Numbers in attributes are written with a dot
(SVG syntax); numbers a reader sees go through ``tiendo.lib.vn``. Colours come from
CSS classes (``tiendo.css``), the one place they are defined, and a status is never
told by colour alone: its name is always written beside it.

Horizontal positions are percentages of the chart's width, so text keeps its size
on a phone instead of shrinking with a scaled drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tiendo.indicators.models import Indicator
from tiendo.indicators.status import Status
from tiendo.lib.vn import format_number

_ids = count(1)


def _id(prefix: str) -> str:
    """A document-unique id for aria-labelledby (several charts share a page)."""
    return f"{prefix}-{next(_ids)}"


def _num(value: float) -> str:
    """A coordinate for an SVG attribute: dot decimal, two places, no locale."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _scale(values: Sequence[Decimal], extra: Sequence[Decimal] = ()) -> tuple[float, float]:
    numbers = [float(v) for v in (*values, *extra)]
    low, high = min(numbers), max(numbers)
    if high == low:  # a flat series sits in the middle
        low, high = low - 1, high + 1
    return low, high


def figure_text(indicator: Indicator, value: Decimal | None) -> str:
    """A figure as a chart label reads it: the indicator's decimals, "%" for a rate."""
    if value is None:
        return "—"
    text = format_number(value, indicator.decimals)
    return f"{text}%" if indicator.is_percent else text


# --- Status bar: how many indicators stand at each status, as one stacked bar


def status_bar(rows: Sequence[tuple[Status, int]], *, label: str) -> SafeString:
    """A stacked bar of counts by status; ``label`` is its text alternative (the counts in words)."""
    return parts_bar([Part(str(status.label), n, status.value) for status, n in rows], label=label)


# --- Sparkline: a small trend in a table cell


def sparkline(values: Sequence[Decimal | None], *, label: str, width: int = 104, height: int = 26) -> SafeString:
    """A small line over ``values`` in order (``None``: a gap), the last point marked.

    ``label`` says in words what it shows (periods and figures)."""
    known = [v for v in values if v is not None]
    if not known:
        return SafeString("")
    low, high = _scale(known)
    pad = 3.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def point(index: int, value: Decimal) -> tuple[float, float]:
        x = pad + index * step if len(values) > 1 else width / 2
        y = height - pad - (float(value) - low) / (high - low) * (height - 2 * pad)
        return x, y

    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(point(index, value))
    runs = [run for run in runs if run]
    lines = format_html_join(
        "",
        '<polyline points="{}" class="line"/>',
        ((" ".join(f"{_num(x)},{_num(y)}" for x, y in run),) for run in runs if len(run) > 1),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" class="{}"/>',
        (
            (_num(x), _num(y), 2.5 if last else 1.5, "dot dot--last" if last else "dot")
            for run_index, run in enumerate(runs)
            for point_index, (x, y) in enumerate(run)
            for last in [run_index == len(runs) - 1 and point_index == len(run) - 1]
            if last or len(run) == 1
        ),
    )
    return format_html(
        '<svg class="chart sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'focusable="false">{}{}</svg>',
        width,
        height,
        width,
        height,
        label,
        lines,
        dots,
    )


# --- Ranked bars: the units of a level, best first


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    text: str  # the value as a reader sees it, formatted by the caller


def ranked_bars(bars: Sequence[Bar], *, title: str, target: Decimal | None = None, target_text: str = "") -> SafeString:
    """Horizontal bars in the given order, the name above each bar and its value at the right.

    Bars start at zero (a bar's length is its value); negative values draw no bar.
    With ``target``, a dashed mark shows where the target lies on the same scale."""
    if not bars:
        return SafeString("")
    top = max([float(b.value) for b in bars] + ([float(target)] if target is not None else []))
    top = top if top > 0 else 1.0
    row = 34
    height = row * len(bars) + (18 if target is not None else 4)
    title_id = _id("bars")
    rows = []
    for index, bar in enumerate(bars):
        y = index * row
        share = max(float(bar.value), 0.0) / top * 100
        rows.append(
            format_html(
                '<g><text x="0" y="{}" class="label">{}</text>'
                '<text x="100%" y="{}" class="value" text-anchor="end">{}</text>'
                '<rect x="0" y="{}" width="100%" height="10" class="track"/>'
                '<rect x="0" y="{}" width="{}%" height="10" class="bar"/></g>',
                y + 13,
                bar.label,
                y + 13,
                bar.text,
                y + 18,
                y + 18,
                _num(share),
            )
        )
    mark = ""
    if target is not None and float(target) >= 0:
        x = _num(float(target) / top * 100)
        mark = format_html(
            '<line x1="{}%" x2="{}%" y1="14" y2="{}" class="target"/>'
            '<text x="{}%" y="{}" class="target-label" text-anchor="{}">{}</text>',
            x,
            x,
            height - 16,
            x,
            height - 4,
            "end" if float(target) / top > 0.5 else "start",
            target_text,
        )
    return format_html(
        '<svg class="chart ranked-bars" width="100%" height="{}" role="img" aria-labelledby="{}" focusable="false">'
        '<title id="{}">{}</title>{}{}</svg>',
        height,
        title_id,
        title_id,
        title,
        mark_safe("".join(rows)),  # noqa: S308 - each row built by format_html
        mark,
    )


# --- Line: a figure over periods


@dataclass(frozen=True)
class Point:
    label: str  # the period, as a reader sees it on the axis
    value: Decimal | None
    text: str  # the value as a reader sees it


def line_chart(points: Sequence[Point], *, title: str, target: Decimal | None = None, target_text: str = "") -> SafeString:
    """A line over periods, each point labelled with its value (first, last, lowest and
    highest only when there are many), the periods along the bottom."""
    known = [p.value for p in points if p.value is not None]
    if not known:
        return SafeString("")
    low, high = _scale(known, [target] if target is not None else [])
    span = high - low
    low, high = low - span * 0.08, high + span * 0.12
    plot_top, plot_height = 22.0, 130.0
    left, right = 6.0, 94.0  # percent of the width

    def xy(index: int, value: Decimal) -> tuple[float, float]:
        x = left + (right - left) * (index / (len(points) - 1) if len(points) > 1 else 0.5)
        y = plot_top + plot_height - (float(value) - low) / (high - low) * plot_height
        return x, y

    placed = [(i, p, *xy(i, p.value)) for i, p in enumerate(points) if p.value is not None]
    few = len(points) <= 8
    values = [float(p.value) for _i, p, _x, _y in placed if p.value is not None]
    ends = (0, len(placed) - 1, values.index(min(values)), values.index(max(values)))
    keep = {placed[k][0] for k in ends}  # first, last, lowest, highest
    # Lines are drawn in a 100×H box stretched to the width; strokes and dots keep their size.
    segments = []
    run: list[tuple[float, float]] = []
    previous = -2
    for i, _p, x, y in placed:
        if i != previous + 1 and run:
            segments.append(run)
            run = []
        run.append((x, y))
        previous = i
    segments.append(run)
    paths = format_html_join(
        "",
        '<path d="{}" class="line" vector-effect="non-scaling-stroke"/>',
        (("M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in seg),) for seg in segments if len(seg) > 1),
    )
    dots = format_html_join(
        "",
        '<path d="M{} {} Z" class="dot" vector-effect="non-scaling-stroke"/>',
        ((_num(x), _num(y)) for _i, _p, x, y in placed),
    )
    target_line = ""
    if target is not None:
        ty = _num(xy(0, target)[1])
        target_line = format_html(
            '<path d="M0 {} L100 {}" class="target" vector-effect="non-scaling-stroke"/>', ty, ty
        )
    height = plot_top + plot_height + 30
    labels = format_html_join(
        "",
        '<text x="{}%" y="{}" class="value" text-anchor="middle">{}</text>',
        ((_num(x), _num(y - 8), p.text) for i, p, x, y in placed if few or i in keep),
    )
    axis = format_html_join(
        "",
        '<text x="{}%" y="{}" class="axis" text-anchor="middle">{}</text>',
        (
            (_num(left + (right - left) * (i / (len(points) - 1) if len(points) > 1 else 0.5)), _num(height - 8), p.label)
            for i, p in enumerate(points)
            if few or i in (0, len(points) - 1) or i % max(len(points) // 6, 1) == 0
        ),
    )
    target_label = (
        format_html(
            '<text x="100%" y="{}" class="target-label" text-anchor="end">{}</text>', _num(xy(0, target)[1] - 4), target_text
        )
        if target is not None
        else ""
    )
    title_id = _id("line")
    return format_html(
        '<svg class="chart line-chart" width="100%" height="{}" role="img" aria-labelledby="{}" focusable="false">'
        '<title id="{}">{}</title>'
        '<line x1="0" x2="100%" y1="{}" y2="{}" class="baseline"/>'
        '<svg x="0" y="0" width="100%" height="{}" viewBox="0 0 100 {}" preserveAspectRatio="none">{}{}{}</svg>'
        "{}{}{}</svg>",
        _num(height),
        title_id,
        title_id,
        title,
        _num(plot_top + plot_height + 6),
        _num(plot_top + plot_height + 6),
        _num(height),
        _num(height),
        target_line,
        paths,
        dots,
        target_label,
        labels,
        axis,
    )


# --- Parts bar: a whole split into named parts (reports sent on time, late, not sent)


@dataclass(frozen=True)
class Part:
    name: str  # said in the tooltip and, by the caller, in a legend beside the bar
    count: int
    fill: str  # a ``fill-*`` class of tiendo.css, so colours stay defined in one place


def parts_bar(parts: Sequence[Part], *, label: str) -> SafeString:
    """One stacked bar of ``parts`` in order; ``label`` is its text alternative.
    ``status_bar`` is the same bar for indicator statuses."""
    total = sum(p.count for p in parts)
    if not total:
        return SafeString("")
    segments = []
    left = 0.0
    for part in parts:
        if not part.count:
            continue
        width = 100 * part.count / total
        segments.append((_num(left), _num(width), part.fill, part.name, format_number(part.count)))
        left += width
    body = format_html_join(
        "",
        '<rect x="{}%" y="0" width="{}%" height="100%" class="fill-{}"><title>{}: {}</title></rect>',
        segments,
    )
    return format_html(
        '<svg class="chart status-bar" width="100%" height="14" role="img" aria-label="{}" focusable="false">{}</svg>',
        label,
        body,
    )
