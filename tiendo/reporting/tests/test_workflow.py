"""The submit – return – approve workflow, through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiendo.indicators.models import DataValue
from tiendo.reporting import services
from tiendo.reporting.models import Submission
from tiendo.testing import build_reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree)


def fill(setup, user, submission, **values):
    by_code = {i.code: i for i in (setup.households, setup.cultured, setup.rate)}
    entries = [services.Entry(submission, by_code[code], Decimal(v)) for code, v in values.items()]
    return services.save_figures(user, entries)


def test_reporter_fills_submits_reviewer_returns_then_approves(setup, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    fill(setup, reporter, setup.a1, TONG_HO="1200", GD_VANHOA="1000", TL_THU_NS="82.3")
    version = services.submit(reporter, setup.a1)
    assert version.number == 1 and version.figures["TONG_HO"]["value"] == "1200.000000"
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.SUBMITTED
    with pytest.raises(services.FiguresRefused):
        fill(setup, reporter, setup.a1, TONG_HO="1300")
    services.return_submission(reviewer, setup.a1, value_comments={setup.cultured.pk: "Kiểm tra lại số hộ văn hóa"})
    setup.a1.refresh_from_db()
    with pytest.raises(services.FiguresRefused):  # not returned, and no rule ties it to the returned figure
        fill(setup, reporter, setup.a1, TL_THU_NS="50")
    fill(setup, reporter, setup.a1, GD_VANHOA="950")
    second = services.submit(reporter, setup.a1)
    assert second.number == 2 and "Kiểm tra lại" in second.reason
    assert services.version_differences(second) == [("GD_VANHOA", "1.000", "950")]
    services.approve(reviewer, setup.a1)
    assert set(DataValue.objects.filter(unit=setup.a1.unit, is_current=True).values_list("state", flat=True)) == {"approved"}


def test_rule_breach_blocks_submission(setup, personas):
    reporter = personas["ward_reporter"]
    fill(setup, reporter, setup.a1, TONG_HO="100", GD_VANHOA="120")
    with pytest.raises(ValidationError) as refused:
        services.submit(reporter, setup.a1)
    assert "Số hộ văn hóa không thể nhiều hơn tổng số hộ." in refused.value.messages


def test_a_figure_tied_by_a_rule_to_a_returned_one_can_be_corrected(setup, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    fill(setup, reporter, setup.a1, TONG_HO="1000", GD_VANHOA="900")
    services.submit(reporter, setup.a1)
    services.return_submission(reviewer, setup.a1, value_comments={setup.cultured.pk: "Số hộ văn hóa là 1.050"})
    setup.a1.refresh_from_db()
    # The right figure breaks the rule against the old total: the total may be corrected as well.
    fill(setup, reporter, setup.a1, GD_VANHOA="1050", TONG_HO="1100")
    assert services.submit(reporter, setup.a1).number == 2


def test_unchanged_figures_stay_approved_through_a_restatement(setup, personas):
    from tiendo.indicators import rollups

    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    fill(setup, reporter, setup.a1, TONG_HO="1000", GD_VANHOA="900")
    services.submit(reporter, setup.a1)
    services.approve(reviewer, setup.a1)
    services.reopen(reviewer, setup.a1, reason="Rà soát lại số hộ văn hóa")
    fill(setup, reporter, setup.a1, GD_VANHOA="880")
    services.submit(reporter, setup.a1)
    district, period = setup.round.reviewing_unit, setup.round.period
    assert rollups.value(setup.households, district, period).value == 1000  # unchanged: still counted
    assert rollups.value(setup.cultured, district, period).value is None  # corrected: waits for approval
    assert rollups.value(setup.cultured, district, period, include_submitted=True).value == 880
    services.approve(reviewer, setup.a1)
    assert rollups.value(setup.cultured, district, period).value == 880


def test_reporter_cannot_fill_other_ward(setup, personas):
    with pytest.raises(services.FiguresRefused):
        fill(setup, personas["ward_reporter"], setup.a2, TONG_HO="100")


def test_a_district_reports_to_the_city_and_only_the_city_reviews_it(tree, personas):
    from tiendo.accounts.models import Role
    from tiendo.testing import make_user

    setup = build_reporting(tree, "2024-Q3", units=[tree.district, tree.agency], reviewing_unit=tree.city)
    district_reporter = make_user("quan.baocao", Role.REPORTER, tree.district)
    city_reviewer = make_user("tp.tonghop", Role.REVIEWER, tree.city)
    fill(setup, district_reporter, setup.a1, TONG_HO="52000", GD_VANHOA="48000")
    services.submit(district_reporter, setup.a1)
    with pytest.raises(ValidationError):  # the district's own reviewer does not approve what the district sends up
        services.approve(personas["district_reviewer"], setup.a1)
    services.approve(city_reviewer, setup.a1)
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.APPROVED
    assert setup.a1.versions.get().sent_to == tree.city


def test_a_round_refuses_units_outside_the_reviewing_unit(tree):
    from tiendo.lib import periods

    data_set = build_reporting(tree).data_set
    with pytest.raises(ValidationError, match="không thuộc"):
        services.open_round(
            None, data_set=data_set, period=periods.parse("2024-Q4"), reviewing_unit=tree.ward_a1,
            units=[tree.ward_a2], opens_on=periods.parse("2024-Q4").start, due_on=periods.parse("2024-Q4").end,
        )
