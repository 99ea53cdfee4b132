"""The status function, with the worked examples of docs/status.md."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tiendo.indicators.status import Status, assess


def judge(target, actual, *, higher=True, elapsed=0.5, over=False, reach_end=False, cumulative=True, tolerance=0.1):
    return assess(
        target=None if target is None else D(str(target)),
        actual=None if actual is None else D(str(actual)),
        higher_is_better=higher,
        elapsed=elapsed,
        period_over=over,
        data_reach_end=reach_end,
        cumulative=cumulative,
        tolerance=tolerance,
    ).status


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 1. 93,18% families "văn hóa" against a target of 90%: a rate, already above.
        ({"target": 90, "actual": "93.18", "cumulative": False}, Status.EXCEEDED),
        # 2. 14/14 wards meeting the health standard, target 14.
        ({"target": 14, "actual": 14, "cumulative": False}, Status.ACHIEVED),
        # 3. 9,25 ha of new gardens against 10,4 ha for the term, 55% of the term gone:
        #    projection 9,25 / 0,55 = 16,8 ha ≥ 10,4 → on track.
        ({"target": "10.4", "actual": "9.25", "elapsed": 0.55}, Status.ON_TRACK),
        # 4. 2 of 10 gardens with 55% gone: projection 3,6 < 9 (10 less 10%) → at risk.
        ({"target": 10, "actual": 2, "elapsed": 0.55}, Status.AT_RISK),
        # 5. A rate of 85% against 90% mid-term: within 10% of the target → on track.
        ({"target": 90, "actual": 85, "cumulative": False}, Status.ON_TRACK),
        # 6. A rate of 70% against 90% mid-term: more than 10% short → at risk.
        ({"target": 90, "actual": 70, "cumulative": False}, Status.AT_RISK),
        # 7. The term is over and the data reach its end: 8 of 10 → not achieved.
        ({"target": 10, "actual": 8, "over": True, "reach_end": True}, Status.NOT_ACHIEVED),
        # 8. The term is over but the last figure is from mid-term: no data for the end.
        ({"target": 10, "actual": 8, "over": True, "reach_end": False}, Status.NO_DATA),
        # 9. Lower is better: 3 incidents against a ceiling of 5.
        ({"target": 5, "actual": 3, "higher": False, "cumulative": False}, Status.EXCEEDED),
        # 10. Lower is better, cumulative: 4 incidents in 40% of the year, ceiling 5:
        #     projection 10 > 5,5 → at risk.
        ({"target": 5, "actual": 4, "higher": False, "elapsed": 0.4}, Status.AT_RISK),
        # 11. No figure at all.
        ({"target": 10, "actual": None}, Status.NO_DATA),
    ],
)
def test_worked_examples(case, expected):
    assert judge(**case) is expected


def test_tolerance_is_a_setting():
    assert judge(90, 80, cumulative=False, tolerance=0.1) is Status.AT_RISK
    assert judge(90, 80, cumulative=False, tolerance=0.15) is Status.ON_TRACK


def test_reports_group_statuses_as_done_and_in_progress():
    assert Status.EXCEEDED.done and Status.ACHIEVED.done
    assert Status.ON_TRACK.in_progress and Status.AT_RISK.in_progress
    assert not Status.NOT_ACHIEVED.done and not Status.NO_DATA.in_progress
