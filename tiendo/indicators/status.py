"""The one function that judges an indicator: status is computed, never typed.

See docs/status.md for the rules with worked examples. In short, with target T,
actual A (to date), the share e of the target period gone by when A was measured:

- no actual                         → chưa có số liệu
- A better than T                   → vượt (a running total under a ceiling is
                                      judged by projection until the period ends)
- A equal to T                      → đạt
- period over, data reach its end   → chưa đạt
- period over, data stop before     → chưa có số liệu (for the end of the period)
- period running, cumulative figure → đúng tiến độ if the linear projection A / e
                                      is within the tolerance of T, else có nguy cơ
- period running, a level or rate   → đúng tiến độ if A is within the tolerance of T,
                                      else có nguy cơ không đạt
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    EXCEEDED = "exceeded"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_ACHIEVED = "not_achieved"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        """The status as shown, in the active language."""
        return str(LABELS[self])

    @property
    def done(self) -> bool:
        """Counted as "hoàn thành" (achieved) in a report."""
        return self in (Status.EXCEEDED, Status.ACHIEVED)

    @property
    def in_progress(self) -> bool:
        """Counted as "đang thực hiện" (in progress) in a report."""
        return self in (Status.ON_TRACK, Status.AT_RISK)


LABELS = {
    Status.EXCEEDED: _("Vượt"),
    Status.ACHIEVED: _("Đạt"),
    Status.ON_TRACK: _("Đúng tiến độ"),
    Status.AT_RISK: _("Có nguy cơ không đạt"),
    Status.NOT_ACHIEVED: _("Chưa đạt"),
    Status.NO_DATA: _("Chưa có số liệu"),
}

ORDER = [Status.EXCEEDED, Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.NOT_ACHIEVED, Status.NO_DATA]


@dataclass(frozen=True)
class Assessment:
    status: Status
    percent_of_target: Decimal | None
    projected: Decimal | None


def assess(
    *,
    target: Decimal | None,
    actual: Decimal | None,
    higher_is_better: bool,
    elapsed: float,
    period_over: bool,
    data_reach_end: bool,
    cumulative: bool,
    tolerance: float,
) -> Assessment:
    """Judge ``actual`` against ``target``.

    ``elapsed`` is the share (0..1) of the target period gone by on the day the
    actual was measured; ``cumulative`` is true for figures that add up over the
    period (a flow, or a running total), false for levels and rates.
    """
    if actual is None or target is None:
        return Assessment(Status.NO_DATA, None, None)
    percent = (actual / target * 100) if target else None
    better = actual > target if higher_is_better else actual < target
    # A running total under a ceiling can still grow past it: judge it by projection.
    settled = period_over or higher_is_better or not cumulative
    if settled and actual == target:
        return Assessment(Status.ACHIEVED, percent, None)
    if settled and better:
        return Assessment(Status.EXCEEDED, percent, None)
    if period_over:
        return Assessment(Status.NOT_ACHIEVED if data_reach_end else Status.NO_DATA, percent, None)
    projected = actual / Decimal(str(max(elapsed, 1e-6))) if cumulative else actual
    margin = Decimal(str(tolerance)) * abs(target)
    on_track = projected >= target - margin if higher_is_better else projected <= target + margin
    return Assessment(Status.ON_TRACK if on_track else Status.AT_RISK, percent, projected if cumulative else None)
