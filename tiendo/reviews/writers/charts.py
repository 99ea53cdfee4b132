"""A report's charts as PNG images, for the DOCX and the PDF (decision 0021).

The web pages draw their charts as inline SVG (decision 0014); a Word file needs a
picture, so here matplotlib draws the same two kinds: units ranked as horizontal
bars, and a trend over periods with the target as a dashed line. Both files embed
the same PNG.

matplotlib is used without pyplot: a ``Figure`` with its own Agg canvas, so nothing
global (the backend, rcParams) is touched and two requests can draw at once. Every
text gets the vendored Liberation Serif by file name, never a system font, so the
Vietnamese marks come out the same on any machine. The chart's title is not drawn
in the picture: the writers print it as a caption, where it can be read and copied.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter, MaxNLocator

from tiendo.lib.vn import format_number
from tiendo.reviews.document import Chart, ChartKind
from tiendo.reviews.writers.layout import FONT_FILES, nfc

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with the State's margins
DPI = 200
# Dark, distinct colours that stay apart when printed in grey, each with its own
# marker and dash so a black-and-white copy still tells the series apart.
COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#7f6000")
MARKERS = ("o", "s", "^", "D", "v")
DASHES = ("-", "--", "-.", ":", "-")
TARGET_COLOUR = "#c00000"
MISSING_TEXT = "chưa có số liệu"


def _font(size: float, *, bold: bool = False, italic: bool = False) -> FontProperties:
    style = ("B" if bold else "") + ("I" if italic else "")
    return FontProperties(fname=str(FONT_FILES[style]), size=size)


def _plain(text: str) -> str:
    """matplotlib reads text between two "$" as mathematics; a unit such as "$" must print as is."""
    return nfc(text).replace("$", r"\$")


def _decimals_for(step: float) -> int:
    if step <= 0 or step >= 1:
        return 0
    return min(6, max(0, -math.floor(math.log10(step) + 1e-9)))


def _value_label(value: float, unit: str, decimals: int | None = None) -> str:
    """A figure as written in the text (82,3; 12.352,75), "%" glued on for percentages.
    Without ``decimals``, up to two decimals and no trailing zeros."""
    number = Decimal(repr(round(float(value), 2))) if decimals is None else Decimal(repr(float(value)))
    text = format_number(number, decimals)
    return f"{text}%" if unit == "%" else text


def _floats(values: Sequence[Decimal | None]) -> list[float]:
    return [math.nan if value is None else float(value) for value in values]


def _vn_axis(axis: object, unit: str) -> None:
    """Tick labels the Vietnamese way (21.327; 82,3), with decimals from the tick step."""

    def label(value: float, _position: int | None) -> str:
        ticks = axis.get_majorticklocs()  # type: ignore[attr-defined]
        step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
        return _value_label(value, unit, _decimals_for(step))

    axis.set_major_locator(MaxNLocator(nbins=6))  # type: ignore[attr-defined]
    axis.set_major_formatter(FuncFormatter(label))  # type: ignore[attr-defined]


def _style_ticks(ax: object, size: float) -> None:
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:  # type: ignore[attr-defined]
        label.set_fontproperties(_font(size))


def _figure(height: float) -> Figure:
    # "constrained" keeps the tick labels and the legend below the plot inside the picture.
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(figure)  # its own canvas: pyplot's global state is never used
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" stamp: the same chart gives the same bytes whatever matplotlib drew it.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def render_chart(chart: Chart) -> bytes:
    """The chart as a PNG image, 16 cm wide at 200 dpi."""
    if chart.kind is ChartKind.BAR:
        return _bar_chart(chart)
    return _line_chart(chart)


def _bar_chart(chart: Chart) -> bytes:
    """Units ranked best first (by the first series), one bar per series, the target as
    a dashed line, each figure written at the end of its bar, a unit with no figure
    named with "chưa có số liệu" rather than dropped."""
    series = chart.series or ()
    first = _floats(series[0].values) if series else []
    count = len(chart.labels)

    def sort_key(index: int) -> tuple[int, float]:
        value = first[index] if index < len(first) else math.nan
        return (1, 0.0) if math.isnan(value) else (0, -value)

    order = sorted(range(count), key=sort_key)
    height = max(2.2, 0.32 * count * max(1, len(series)) ** 0.5 + 1.1)
    figure = _figure(height)
    ax = figure.add_subplot()
    bar_height = 0.8 / max(1, len(series))
    all_values: list[float] = []
    for index, item in enumerate(series):
        values = _floats(item.values)
        all_values.extend(v for v in values if not math.isnan(v))
        for position, label_index in enumerate(order):
            value = values[label_index] if label_index < len(values) else math.nan
            y = position + (index - (len(series) - 1) / 2) * bar_height
            if math.isnan(value):
                if index == 0:
                    ax.text(0, y, " " + MISSING_TEXT, va="center", ha="left", fontproperties=_font(9, italic=True))
                continue
            ax.barh(
                y,
                value,
                height=bar_height * 0.9,
                color=COLOURS[index % len(COLOURS)],
                label=_plain(item.name) if position == 0 else None,
            )
            ax.text(
                value,
                y,
                " " + _value_label(value, chart.unit),
                va="center",
                ha="left",
                fontproperties=_font(9),
            )
    if chart.target is not None:
        target = float(chart.target)
        all_values.append(target)
        ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, label=_target_label(chart))
    ax.set_yticks(range(count), [_plain(chart.labels[i]) for i in order])
    ax.invert_yaxis()  # the best at the top
    ax.set_ylim(max(count, 1) - 0.5, -0.5)
    largest = max(all_values, default=1.0)
    ax.set_xlim(min(0.0, min(all_values, default=0.0)), largest * 1.15 if largest > 0 else 1.0)
    _vn_axis(ax.xaxis, chart.unit)
    if chart.unit and chart.unit != "%":  # "%" is already on every tick
        ax.set_xlabel(_plain(chart.unit), fontproperties=_font(10))
    _finish(ax, figure, legend=len(series) > 1 or chart.target is not None)
    return _png(figure)


def _target_label(chart: Chart) -> str:
    assert chart.target is not None
    value = format_number(chart.target)
    unit = "%" if chart.unit == "%" else (f" {chart.unit}" if chart.unit else "")
    return _plain(f"Chỉ tiêu: {value}{unit}")


def _line_chart(chart: Chart) -> bytes:
    """A trend over the periods: one line per series, a gap where a figure is missing,
    the target as a dashed horizontal line."""
    figure = _figure(3.3)
    ax = figure.add_subplot()
    positions = list(range(len(chart.labels)))
    all_values: list[float] = []
    for index, item in enumerate(chart.series):
        values = _floats(item.values)[: len(positions)]
        all_values.extend(v for v in values if not math.isnan(v))
        ax.plot(
            positions[: len(values)],
            values,
            color=COLOURS[index % len(COLOURS)],
            marker=MARKERS[index % len(MARKERS)],
            linestyle=DASHES[index % len(DASHES)],
            linewidth=1.6,
            markersize=5,
            label=_plain(item.name),
        )
        if len(chart.series) == 1:
            for x, value in zip(positions, values, strict=False):
                if not math.isnan(value):
                    ax.annotate(
                        _value_label(value, chart.unit),
                        (x, value),
                        textcoords="offset points",
                        xytext=(0, 7),
                        ha="center",
                        fontproperties=_font(9),
                    )
    if chart.target is not None:
        target = float(chart.target)
        all_values.append(target)
        ax.axhline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, label=_target_label(chart))
    ax.set_xticks(positions, [_plain(label) for label in chart.labels])
    if positions:
        ax.set_xlim(-0.5, len(positions) - 0.5)
    if all_values:
        low, high = min(all_values), max(all_values)
        pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
        ax.set_ylim(min(0.0, low - pad) if low >= 0 and low - pad < 0 else low - pad, high + pad)
    _vn_axis(ax.yaxis, chart.unit)
    if chart.unit and chart.unit != "%":
        ax.set_ylabel(_plain(chart.unit), fontproperties=_font(10))
    # A period with no figure is named, not left as an unexplained gap in the line.
    missing = [
        x for x in positions if chart.series and all(x >= len(s.values) or s.values[x] is None for s in chart.series)
    ]
    for x in missing:
        ax.text(
            x,
            0.02,
            MISSING_TEXT,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            color="#595959",
            fontproperties=_font(9, italic=True),
        )
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _finish(ax, figure, legend=len(chart.series) > 1 or chart.target is not None)
    return _png(figure)


def _finish(ax: object, figure: Figure, *, legend: bool) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]
    # Tick labels exist only once drawn; later draws keep these properties.
    figure.canvas.draw()
    _style_ticks(ax, 10)
    if legend:
        handles, labels = ax.get_legend_handles_labels()  # type: ignore[attr-defined]
        figure.legend(
            handles, labels, loc="outside lower center", ncols=min(4, len(labels)), prop=_font(9), frameon=False
        )
