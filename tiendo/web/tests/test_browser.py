"""End to end in headless Chromium: what a user sees when logging in and reading the unit tree.

Runs against pytest-django's live server on the small tree of ``tiendo.testing``. The
``browser`` fixture (tiendo/conftest.py) skips these tests when no chromium is installed,
except in CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tiendo.accounts.models import Role
from tiendo.browsing import assert_no_horizontal_scroll, log_in, open_page
from tiendo.testing import SmallTree, build_small_tree, make_user

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for collected static files; tests serve them from the apps.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

LOGIN = "/tai-khoan/dang-nhap/"
TREE = "/don-vi/"
@pytest.fixture
def small_tree(browser: Browser, transactional_db: None) -> SmallTree:
    # ``browser`` first: its fixture allows the ORM next to Playwright's event loop.
    return build_small_tree()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, timeout_ms=5000)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, phone=True, timeout_ms=5000)
    yield page
    page.context.close()


def tree_link(page: Page, name: str):
    return page.get_by_role("tree").get_by_role("link", name=name, exact=True)


def test_login_page_is_vietnamese_and_a_wrong_password_is_refused_in_vietnamese(live_server, page, small_tree):
    make_user("a1.baocao", Role.REPORTER, small_tree.ward_a1)
    page.goto(live_server.url + LOGIN)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title(re.compile("Đăng nhập"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

    log_in(page, live_server.url, "a1.baocao", "mat-khau-sai-hoan-toan")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("a1.baocao")
    assert page.url.endswith(LOGIN)


def test_ward_reporter_sees_own_ward_and_not_the_next_one(live_server, page, small_tree):
    make_user("a1.baocao", Role.REPORTER, small_tree.ward_a1)
    log_in(page, live_server.url, "a1.baocao")
    expect(page.get_by_role("heading", name="Xin chào, a1.baocao")).to_be_visible()

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đơn vị").click()
    expect(page.get_by_role("heading", name="Cây đơn vị", exact=True)).to_be_visible()
    # Today the ward no longer exists: the page says so and names its successors.
    notice = page.get_by_role("note").filter(has_text="Phường A1")
    expect(notice).to_contain_text("đã kết thúc từ 1/7/2025")
    expect(notice).to_contain_text("Phường Mới")
    expect(page.locator("main")).not_to_contain_text("Phường A2")

    # Back to the day before the reform: the ward and its residential groups, nothing else.
    notice.get_by_role("link", name="Xem cây khi đơn vị còn hoạt động").click()
    expect(tree_link(page, "Phường A1")).to_be_visible()
    expect(tree_link(page, "Tổ dân phố A1-1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Phường A2")
    expect(page.locator("main")).not_to_contain_text("Quận A")


def test_city_viewer_picks_a_date_and_searches_without_accents(live_server, page, small_tree):
    make_user("tp.xem", Role.VIEWER, small_tree.city)
    log_in(page, live_server.url, "tp.xem")
    page.goto(live_server.url + TREE)
    expect(tree_link(page, "Phường Mới")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Quận A")

    page.get_by_label("Xem theo ngày").fill("30/6/2025")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_text("Cây đơn vị vào ngày 30/6/2025")).to_be_visible()
    expect(tree_link(page, "Quận A")).to_be_visible()
    expect(tree_link(page, "Phường A1")).to_be_visible()
    expect(tree_link(page, "Phường A2")).to_be_visible()
    expect(page.get_by_role("tree").get_by_role("link", name="Phường Mới")).to_have_count(0)

    page.get_by_label("Tìm đơn vị").fill("phuong a1")
    page.get_by_label("Tìm đơn vị").press("Enter")
    results = page.locator("#tree-body")
    expect(results.get_by_role("heading", name=re.compile("Kết quả tìm"))).to_be_visible()
    found = results.get_by_role("link", name="Phường A1", exact=True).first
    expect(found).to_be_visible()
    expect(results.get_by_role("link", name="Phường A2", exact=True)).to_have_count(0)
    # The search kept the date, and the result leads to the unit's page.
    expect(page.get_by_text("Cây đơn vị vào ngày 30/6/2025")).to_be_visible()
    found.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phường A1")


def test_pages_fit_a_phone_screen(live_server, phone, small_tree):
    make_user("tp.xem", Role.VIEWER, small_tree.city)
    phone.goto(live_server.url + LOGIN)
    expect(phone.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    # The stylesheet is there (otherwise nothing below would say anything about the layout).
    expect(phone.locator(".site-header")).to_have_css("background-color", "rgb(164, 22, 26)")
    assert_no_horizontal_scroll(phone)

    log_in(phone, live_server.url, "tp.xem")
    expect(phone.get_by_role("heading", name="Xin chào, tp.xem")).to_be_visible()
    assert_no_horizontal_scroll(phone)

    phone.goto(f"{live_server.url}{TREE}?ngay=30/6/2025")
    expect(tree_link(phone, "Quận A")).to_be_visible()
    expect(phone.get_by_label("Xem theo ngày")).to_be_visible()
    expect(phone.get_by_label("Tìm đơn vị")).to_be_visible()
    assert_no_horizontal_scroll(phone)

    tree_link(phone, "Phường A1").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Phường A1")
    expect(phone.get_by_role("note").filter(has_text="đã kết thúc")).to_contain_text("Phường Mới")
    assert_no_horizontal_scroll(phone)
