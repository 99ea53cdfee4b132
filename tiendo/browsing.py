"""Helpers of the end-to-end tests in headless Chromium (the ``browser`` and ``shots``
fixtures live in tiendo/conftest.py): a fresh page as a desk or a phone, the login,
and the check that a page does not scroll sideways."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TEST_PASSWORD = "mat-khau-thu-nghiem-1"  # noqa: S105 - the test users' password (tiendo.testing.make_user)
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def open_page(browser: Browser, *, phone: bool = False, timeout_ms: int = 8000, **options: Any) -> Page:
    """A page in a context of its own (own cookies: one person each), Vietnamese locale."""
    if phone:
        options = {"viewport": PHONE, "is_mobile": True, "has_touch": True, **options}
    context = browser.new_context(locale="vi-VN", **{"viewport": DESK, **options})
    context.set_default_timeout(timeout_ms)
    return context.new_page()


def log_in(page: Page, base_url: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(base_url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def assert_no_horizontal_scroll(page: Page, width: int = PHONE["width"]) -> None:
    # Compared with the screen width itself: a mobile browser widens its layout viewport
    # (and window.innerWidth) to fit content that overflows.
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " viewport: window.innerWidth})"
    )
    assert max(widths.values()) <= width, f"the page scrolls sideways on {page.url}: {widths}"
