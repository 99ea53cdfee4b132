"""End to end in headless Chromium: a district leader logs in, lands on the dashboard,
opens a chart's table, picks another indicator to compare, and reads the same page on
a phone without scrolling sideways.

Screenshots go to ``$TIENDO_SCREENSHOTS`` when set (``make screenshots`` sets it to
docs/screenshots/), else to a temporary folder. The ``browser`` fixture skips these
tests without chromium, except in CI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tiendo.accounts.models import Role
from tiendo.browsing import assert_no_horizontal_scroll, log_in, open_page
from tiendo.lib.dates import today
from tiendo.plans.tests.factories import ResolutionData, build_resolution
from tiendo.reporting.models import Submission
from tiendo.tasks import services as tasks
from tiendo.testing import build_reporting, build_small_tree, make_user

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

@pytest.fixture
def data(browser: Browser, transactional_db: None) -> ResolutionData:
    # ``browser`` first: its fixture allows the ORM next to Playwright's event loop.
    tree = build_small_tree()
    make_user("tp.lanhdao", Role.VIEWER, tree.city, first_name="Minh", last_name="Lê")
    assigner = make_user("tp.giaoviec", Role.REVIEWER, tree.city)
    data = build_resolution(tree, extra_wards=4, years=3)
    for n, (unit, days) in enumerate([(tree.new_ward, -6), (tree.new_ward, -2), (tree.ward_b, -9), (tree.ward_b, 15)]):
        tasks.create_task(
            assigner, title=f"Nhiệm vụ {n + 1}", expected_output="Báo cáo kết quả", assigned_by=tree.city,
            lead_unit=unit, deadline=today() + dt.timedelta(days=days), assigned_on=today() - dt.timedelta(days=60),
        )
    setup = build_reporting(tree)
    Submission.objects.filter(pk=setup.a1.pk).update(
        state=Submission.State.SUBMITTED, first_submitted_at=dt.datetime(2024, 10, 5, 9, tzinfo=dt.UTC)
    )
    return data


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    page = open_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, phone=True)
    yield page
    page.context.close()


def test_a_leader_reads_the_dashboard_and_compares_the_wards(live_server, data, desk, shots):
    base = live_server.url
    log_in(desk, base, "tp.lanhdao")
    # The home page of a leader is the dashboard.
    expect(desk.get_by_role("heading", name="Chỉ tiêu theo chương trình")).to_be_visible()
    expect(desk.get_by_text("3/4 nhiệm vụ chưa hoàn thành quá hạn, ở 2 đơn vị chủ trì.")).to_be_visible()
    expect(desk.get_by_text("1/2 đơn vị đã nộp, 1 đúng hạn")).to_be_visible()
    # The resolution at mid-term.
    desk.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổng quan").click()
    desk.get_by_label("Đánh giá tại ngày").fill("30/6/2023")
    desk.get_by_role("button", name="Xem").first.click()
    expect(desk.get_by_text("5 chỉ tiêu: hoàn thành 2, đang thực hiện 2, chưa có số liệu 1")).to_be_visible()
    # Another indicator to compare: the trees planted by each ward, the most first.
    desk.get_by_label("Chỉ tiêu", exact=True).select_option(label="Số cây xanh trồng mới (trong Nghị quyết)")
    desk.locator("#so-sanh").get_by_role("button", name="Xem").click()
    comparison = desk.locator("#so-sanh")
    expect(comparison.locator("svg.ranked-bars")).to_be_visible()
    expect(comparison.locator("svg.line-chart")).to_be_visible()
    comparison.get_by_text("Xem dạng bảng").first.click()
    # 2023, the latest year with figures: the fourth added ward planted the most (15).
    expect(comparison.get_by_test_id("comparison").get_by_role("row").nth(1)).to_contain_text("Phường thêm 3")
    # A figure opens the indicator page of that ward and year.
    comparison.get_by_test_id("comparison").get_by_role("link", name="15", exact=True).click()
    expect(desk.get_by_role("heading", name="Số cây xanh trồng mới")).to_be_visible()
    assert "ky=2023" in desk.url
    # Today: the resolution, the overdue tasks and the open round on one page.
    desk.goto(f"{base}/tong-quan/?chi_tieu={data.indicators['CAY'].pk}")
    expect(desk.locator("#nhiem-vu-qua-han svg.ranked-bars")).to_be_visible()
    desk.screenshot(path=shots / "dashboard.png", full_page=True)


def test_the_dashboard_fits_a_phone(live_server, data, phone, shots):
    base = live_server.url
    log_in(phone, base, "tp.lanhdao")
    phone.goto(base + "/tong-quan/?ngay=30/6/2023")
    expect(phone.get_by_role("heading", name="Chỉ tiêu trong Nghị quyết")).to_be_visible()
    for details in phone.locator("details.table-view").all():  # the tables too, not only the charts
        details.evaluate("element => { element.open = true; }")
    assert_no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "dashboard-phone.png", full_page=True)
