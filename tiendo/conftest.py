"""Shared fixtures: the small tree, personas on it, and the browser for end-to-end tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tiendo.accounts.models import Role
from tiendo.testing import SmallTree, build_small_tree, make_user


@pytest.fixture
def tree(db: None) -> SmallTree:
    return build_small_tree()


@pytest.fixture
def personas(tree: SmallTree) -> dict:
    assert tree.new_ward is not None
    return {
        "system_admin": make_user("quantri", Role.SYSTEM_ADMIN),
        "city_viewer": make_user("tp.xem", Role.VIEWER, tree.city),
        "district_viewer": make_user("quan.xem", Role.VIEWER, tree.district),
        "district_reviewer": make_user("quan.tonghop", Role.REVIEWER, tree.district),
        "district_admin": make_user("quan.quantri", Role.UNIT_ADMIN, tree.district),
        "ward_reporter": make_user("a1.baocao", Role.REPORTER, tree.ward_a1),
        "other_ward_reporter": make_user("a2.baocao", Role.REPORTER, tree.ward_a2),
        "new_ward_viewer": make_user("moi.xem", Role.VIEWER, tree.new_ward),
        "outsider": make_user("nguoingoai"),
    }


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium through Playwright. Required in CI, skipped elsewhere."""
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's chromium for the browser tests (.ci/run installs it)")
        pytest.skip("no chromium found: browser tests skipped (apt-get install chromium to run them)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the browser tests put their screenshots: ``$TIENDO_SCREENSHOTS`` (``make
    screenshots`` sets docs/screenshots/), else a temporary folder."""
    folder = Path(os.environ.get("TIENDO_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
