"""End to end in headless Chromium: a ward reporter fills and sends the quarterly
report, the district reviewer returns it with a comment on one figure, the reporter
corrects and resends, the reviewer approves, and the district's page shows the new
figure and the moved counts.

Screenshots of each step go to ``$TIENDO_SCREENSHOTS`` when set (``make
screenshots`` sets it to docs/screenshots/), else to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tiendo.accounts.models import Role
from tiendo.browsing import log_in, open_page
from tiendo.lib import periods
from tiendo.lib.dates import today
from tiendo.testing import ReportingSetup, build_reporting, build_small_tree, make_user

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

@pytest.fixture
def setup(browser: Browser, transactional_db: None) -> ReportingSetup:
    # This quarter's round, open since five days and due in ten: the new ward reports to the city.
    tree = build_small_tree()
    assert tree.new_ward is not None and tree.ward_b is not None
    make_user("moi.baocao", Role.REPORTER, tree.new_ward, first_name="Lan", last_name="Nguyễn")
    make_user("tp.tonghop", Role.REVIEWER, tree.city, first_name="Hùng", last_name="Trần")
    day = today()
    return build_reporting(
        tree,
        periods.containing(periods.PeriodKind.QUARTER, day).code,
        units=[tree.new_ward, tree.ward_b],
        reviewing_unit=tree.city,
        opens_on=day - dt.timedelta(days=5),
        due_on=day + dt.timedelta(days=10),
    )


@pytest.fixture
def pages(browser: Browser) -> Iterator[tuple[Page, Page]]:
    reporter, reviewer = open_page(browser), open_page(browser)
    yield reporter, reviewer
    reporter.context.close()
    reviewer.context.close()


def test_report_is_sent_returned_corrected_and_approved(live_server, setup, pages, shots):
    reporter, reviewer = pages
    base = live_server.url
    round_url = f"{base}/bao-cao/dot/{setup.round.pk}/"

    # The district office sees nobody has reported yet.
    log_in(reviewer, base, "tp.tonghop")
    reviewer.goto(round_url)
    expect(reviewer.get_by_test_id("round-progress")).to_contain_text("0/2")

    # 1. The ward reporter finds the form from the reporting page, types Vietnamese numbers and sends.
    log_in(reporter, base, "moi.baocao")
    reporter.goto(base + "/bao-cao/")
    reporter.get_by_role("link", name=f"Phường Mới: Báo cáo tiến độ hằng quý – {setup.round.period.label}").click()
    reporter.get_by_label("Tổng số hộ gia đình").fill("1.200")
    reporter.get_by_label("Số hộ đạt danh hiệu gia đình văn hóa").fill("1.000")
    reporter.get_by_label("Tỷ lệ thu ngân sách so với dự toán").fill("82,3")
    reporter.screenshot(path=shots / "reporting-1-fill.png", full_page=True)
    reporter.get_by_role("button", name="Lưu và gửi báo cáo").click()
    expect(reporter.get_by_role("status")).to_contain_text("Đã gửi báo cáo đến Thành phố Thử")
    expect(reporter.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()

    # 2. The reviewer sees the count move, opens the report and returns one figure with a comment.
    reviewer.goto(round_url)
    expect(reviewer.get_by_test_id("round-progress")).to_have_text("1/2 đơn vị đã nộp, 1 đúng hạn")
    expect(reviewer.get_by_test_id("figure-TONG_HO")).to_have_text("—")  # sent, not approved: not counted yet
    reviewer.get_by_role("link", name="Phường Mới", exact=True).click()
    reviewer.get_by_label("Ý kiến về “Số hộ đạt danh hiệu gia đình văn hóa”").fill(
        "Số hộ văn hóa cao hơn quý trước nhiều, đề nghị kiểm tra lại"
    )
    reviewer.screenshot(path=shots / "reporting-2-review.png", full_page=True)
    reviewer.get_by_role("button", name="Trả lại để sửa").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Đã trả lại báo cáo")

    # 3. The reporter sees the comment, may change only that figure (and the total it is
    # checked against), and resends.
    reporter.reload()
    expect(reporter.get_by_text("Số hộ văn hóa cao hơn quý trước nhiều")).to_be_visible()
    expect(reporter.get_by_label("Tỷ lệ thu ngân sách so với dự toán")).to_have_count(0)
    reporter.get_by_label("Số hộ đạt danh hiệu gia đình văn hóa").fill("950")
    reporter.screenshot(path=shots / "reporting-3-correct.png", full_page=True)
    reporter.get_by_role("button", name="Lưu và gửi báo cáo").click()
    expect(reporter.get_by_role("status")).to_contain_text("Đã gửi báo cáo")

    # 4. The reviewer approves; the figures are locked and counted on the district's page.
    reviewer.reload()
    expect(reviewer.get_by_text("1.000 →")).to_be_visible()  # the restatement shows what changed
    reviewer.get_by_role("button", name="Duyệt báo cáo").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Đã duyệt báo cáo của Phường Mới")
    reviewer.goto(round_url)
    expect(reviewer.get_by_test_id("round-progress")).to_contain_text("1/2")
    expect(reviewer.get_by_test_id("figure-TONG_HO")).to_have_text("1.200")
    expect(reviewer.get_by_test_id("figure-GD_VANHOA")).to_have_text("950")
    reviewer.screenshot(path=shots / "reporting-4-dashboard.png", full_page=True)

    reporter.reload()
    expect(reporter.get_by_text("Báo cáo đã được duyệt; số liệu đã khóa.")).to_be_visible()
    expect(reporter.get_by_role("button", name="Lưu nháp")).to_have_count(0)


def test_the_form_fits_a_phone_and_is_filled_from_the_keyboard(live_server, setup, browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    context.set_default_timeout(8000)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "moi.baocao")
        page.goto(f"{live_server.url}/bao-cao/dot/{setup.round.pk}/don-vi/{setup.a1.unit_id}/")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
        assert max(widths) <= 375, f"the form scrolls sideways on a phone: {widths}"
        # Tab goes value → note → next value: a clerk types a column of figures without the mouse.
        page.get_by_label("Tổng số hộ gia đình").fill("1.200")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.type("1.000")
        page.keyboard.press("Enter")  # Enter saves a draft: the first button of the form
        expect(page.get_by_role("status")).to_contain_text("Đã lưu nháp 2 số liệu.")
    finally:
        context.close()
