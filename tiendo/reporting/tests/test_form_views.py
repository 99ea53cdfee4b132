"""The form of one unit's report: filling, sending, reviewing, locking, conflicts and scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.indicators.models import DataValue
from tiendo.indicators.services import record_value
from tiendo.lib import periods
from tiendo.reporting import services
from tiendo.reporting.models import Submission
from tiendo.testing import build_reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree)


def url(setup, submission):
    return reverse("reporting:form", args=[setup.round.pk, submission.unit_id])


def logged_in(client, user):
    client.force_login(user)
    return client


def post_figures(client, setup, submission, action="save", version=None, **figures):
    submission.refresh_from_db()
    data = {"action": action, "version": version or submission.version}
    for indicator, (value, note) in figures.items():
        pk = getattr(setup, indicator).pk
        data[f"gia_tri_{pk}"] = value
        data[f"ghi_chu_{pk}"] = note
    return client.post(url(setup, submission), data, follow=True)


def current(setup, indicator, submission):
    row = DataValue.objects.filter(indicator=getattr(setup, indicator), unit=submission.unit, is_current=True).first()
    return row.value if row else None


def test_reporter_sees_form_with_explanations(client, setup, personas):
    response = logged_in(client, personas["ward_reporter"]).get(url(setup, setup.a1))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tổng số hộ gia đình" in body and "Theo sổ hộ khẩu của công an phường." in body
    assert f'name="gia_tri_{setup.households.pk}"' in body and 'inputmode="decimal"' in body
    assert "Lưu và gửi báo cáo" in body


def test_vietnamese_numbers_are_read_and_bad_ones_refused(client, setup, personas):
    c = logged_in(client, personas["ward_reporter"])
    response = post_figures(c, setup, setup.a1, households=("21.327", ""), rate=("82,3", ""))
    assert "Đã lưu nháp 2 số liệu." in response.content.decode()
    assert current(setup, "households", setup.a1) == Decimal("21327")
    assert current(setup, "rate", setup.a1) == Decimal("82.3")
    response = post_figures(c, setup, setup.a1, households=("1.5", ""), cultured=("900", ""))
    assert "không phải là số viết đúng cách" in response.content.decode()
    assert current(setup, "households", setup.a1) == Decimal("21327")
    assert current(setup, "cultured", setup.a1) is None  # nothing half-way


def test_out_of_bounds_value_is_refused_next_to_its_field(client, setup, personas):
    response = post_figures(logged_in(client, personas["ward_reporter"]), setup, setup.a1, rate=("120", ""))
    assert "phải từ 0 đến 100%" in response.content.decode()
    assert current(setup, "rate", setup.a1) is None


def test_reporter_cannot_read_or_write_another_wards_form(client, setup, personas):
    c = logged_in(client, personas["ward_reporter"])
    assert c.get(url(setup, setup.a2)).status_code == 404
    response = c.post(url(setup, setup.a2), {"action": "save", "version": 1, f"gia_tri_{setup.households.pk}": "5"})
    assert response.status_code == 404
    assert current(setup, "households", setup.a2) is None
    from django.test import Client

    assert logged_in(Client(), personas["outsider"]).get(url(setup, setup.a1)).status_code == 404


def test_later_save_of_same_form_is_refused_and_shows_the_other_change(client, setup, personas, django_user_model):
    from tiendo.accounts.models import Role
    from tiendo.testing import make_user

    colleague = make_user("a1.baocao2", Role.REPORTER, setup.a1.unit)
    opened_version = setup.a1.version
    services.save_figures(colleague, [services.Entry(setup.a1, setup.households, Decimal(1250))])
    response = post_figures(
        logged_in(client, personas["ward_reporter"]), setup, setup.a1, version=opened_version, households=("1.300", "")
    )
    body = response.content.decode()
    assert "Người khác đã lưu báo cáo này" in body
    assert "1.250" in body and "a1.baocao2" in body
    assert current(setup, "households", setup.a1) == Decimal(1250)
    assert 'value="1.300"' in body  # the user's typing is kept for a second try


def test_rule_breach_blocks_sending_but_keeps_the_draft(client, setup, personas):
    response = post_figures(
        logged_in(client, personas["ward_reporter"]), setup, setup.a1, "submit",
        households=("100", ""), cultured=("120", ""),
    )
    body = response.content.decode()
    assert "Số hộ văn hóa không thể nhiều hơn tổng số hộ." in body
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.DRAFT
    assert current(setup, "cultured", setup.a1) == Decimal(120)


def test_outlier_needs_a_comment_before_sending(client, setup, personas):
    reporter = personas["ward_reporter"]
    for quarter, households in ((4, 1000), (1, 1010), (2, 1020)):
        period = periods.quarter(2024 if quarter < 4 else 2023, quarter)
        record_value(None, indicator=setup.households, unit=setup.a1.unit, period=period, value=households, state="approved")
    c = logged_in(client, reporter)
    response = post_figures(c, setup, setup.a1, "submit", households=("5.000", ""), cultured=("900", ""))
    body = response.content.decode()
    assert "khác xa so với trước" in body and "1.000–1.020" in body and "Cần ghi chú giải thích" in body
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.DRAFT
    response = post_figures(c, setup, setup.a1, "submit", households=("5.000", "Sáp nhập thêm tổ dân phố"), cultured=("900", ""))
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.SUBMITTED


def test_review_cycle_and_locks(client, setup, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    rc = logged_in(client, reporter)
    post_figures(rc, setup, setup.a1, "submit", households=("1.200", ""), cultured=("1.000", ""))
    assert current(setup, "households", setup.a1) == Decimal(1200)
    # The reporter cannot approve their own report with a crafted POST.
    rc.post(url(setup, setup.a1), {"action": "approve"})
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.SUBMITTED

    from django.test import Client

    vc = logged_in(Client(), reviewer)
    page = vc.get(url(setup, setup.a1)).content.decode()
    assert "Duyệt báo cáo" in page and "Trả lại để sửa" in page
    vc.post(url(setup, setup.a1), {"action": "return", "comment": "", f"y_kien_{setup.cultured.pk}": "Số hộ văn hóa chưa khớp"})
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.RETURNED

    page = rc.get(url(setup, setup.a1)).content.decode()
    assert "Số hộ văn hóa chưa khớp" in page
    # The returned figure, and the total a rule checks it against, are open; the rest stays locked.
    assert f'name="gia_tri_{setup.cultured.pk}"' in page and f'name="gia_tri_{setup.households.pk}"' in page
    assert f'name="gia_tri_{setup.rate.pk}"' not in page
    post_figures(rc, setup, setup.a1, "save", rate=("50", ""))  # not returned: ignored, not stored
    assert current(setup, "rate", setup.a1) is None
    post_figures(rc, setup, setup.a1, "submit", cultured=("950", ""))
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.SUBMITTED

    vc.post(url(setup, setup.a1), {"action": "approve"})
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.APPROVED
    page = rc.get(url(setup, setup.a1)).content.decode()
    assert "Báo cáo điều chỉnh" in page and "1.000 → <strong>950</strong>" in page

    # Locked: neither the form nor a crafted POST nor the service changes it.
    post_figures(rc, setup, setup.a1, "save", cultured=("1", ""))
    assert current(setup, "cultured", setup.a1) == Decimal(950)
    with pytest.raises(services.FiguresRefused) as refused:
        services.save_figures(reporter, [services.Entry(setup.a1, setup.cultured, Decimal(1))])
    assert "đã được duyệt và khóa" in refused.value.problems[0].message

    # Reopening needs a reason, and the correction is a restatement with it.
    response = vc.post(url(setup, setup.a1), {"action": "reopen", "reason": ""})
    assert "This field is required" in response.content.decode() or "Trường này là bắt buộc" in response.content.decode()
    vc.post(url(setup, setup.a1), {"action": "reopen", "reason": "Công an phường rà soát lại số hộ"})
    post_figures(rc, setup, setup.a1, "submit", cultured=("940", ""))
    setup.a1.refresh_from_db()
    last = setup.a1.versions.order_by("-number").first()
    assert setup.a1.state == Submission.State.SUBMITTED and last.number == 3
    assert last.reason == "Công an phường rà soát lại số hộ"
    row = DataValue.objects.get(indicator=setup.cultured, unit=setup.a1.unit, is_current=True)
    assert row.change_reason == "Công an phường rà soát lại số hộ"
    assert DataValue.objects.filter(indicator=setup.cultured, unit=setup.a1.unit).count() == 3  # history kept


def test_other_districts_reviewer_cannot_review(client, setup, personas):
    post_figures(logged_in(client, personas["ward_reporter"]), setup, setup.a1, "submit", households=("10", ""), cultured=("5", ""))
    from django.test import Client

    other = logged_in(Client(), personas["new_ward_viewer"])
    assert other.post(url(setup, setup.a1), {"action": "approve"}).status_code == 404
    viewer = logged_in(Client(), personas["district_viewer"])
    viewer.post(url(setup, setup.a1), {"action": "approve"})
    setup.a1.refresh_from_db()
    assert setup.a1.state == Submission.State.SUBMITTED


def test_form_page_query_count_does_not_grow_with_indicators(client, setup, personas):
    from tiendo.indicators.models import Indicator
    from tiendo.reporting.models import DataSetIndicator

    c = logged_in(client, personas["ward_reporter"])
    c.get(url(setup, setup.a1))
    with CaptureQueriesContext(connection) as small:
        c.get(url(setup, setup.a1))
    for n in range(20):
        extra = Indicator.objects.create(code=f"THEM_{n}", name=f"Chỉ tiêu thêm {n}", frequency="quarter")
        DataSetIndicator.objects.create(data_set=setup.data_set, indicator=extra, order=10 + n)
    with CaptureQueriesContext(connection) as big:
        c.get(url(setup, setup.a1))
    assert len(big) == len(small)
    assert len(small) <= 25
