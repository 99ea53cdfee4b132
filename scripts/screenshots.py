"""Screenshots of the Long Biên demo for the documentation (``make screenshots``).

Builds a throwaway SQLite database in a temporary directory, loads the demo, serves it
with gunicorn on a free localhost port (static files collected into the same temporary
directory, served by WhiteNoise as in production) and photographs it with headless
Debian chromium through Playwright:

    docs/screenshots/login.png        the login page
    docs/screenshots/tree.png         the city viewer's tree on 30/6/2025: district and wards
    docs/screenshots/tree-2025.png    the tree today, after the reform of 1/7/2025
    docs/screenshots/unit.png         the old phường Phúc Lợi and its successors
    docs/screenshots/unit-phone.png   the same page on a 390×844 phone screen

Nothing outside the temporary directory and docs/screenshots/ is written.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWER = "thanhpho.xem"  # the city viewer of the demo (manage.py load_demo --print-accounts)
BEFORE_REFORM = "30/6/2025"
SETTINGS_MODULE = "tiendo_screenshot_settings"
OVERLAY = """\
from pathlib import Path

from tiendo.settings import *  # noqa: F403

STATIC_ROOT = Path({static!r})
"""


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    sys.exit("screenshots need chromium (Debian: apt-get install chromium), or CHROMIUM_PATH")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(tmp: Path) -> tuple[str, int]:
    """Database, static files and demo in ``tmp``; returns the viewer's password and the old ward's id."""
    (tmp / f"{SETTINGS_MODULE}.py").write_text(OVERLAY.format(static=str(tmp / "static")))
    sys.path[:0] = [str(tmp), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tiendo.demo import longbien, users
    from tiendo.orgs.models import OrgUnit, UnitKind

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo")
    old_phuc_loi = OrgUnit.objects.get(
        kind=UnitKind.WARD, versions__name="Phường Phúc Lợi", valid_to=longbien.REFORM
    ).pk
    connections.close_all()
    return users.DEMO_PASSWORD, old_phuc_loi


def start_server(port: int, tmp: Path) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``port`` with the settings overlay in ``tmp``; waits until it answers."""
    log = tmp / "gunicorn.log"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "tiendo.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--error-logfile", "-"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp), str(ROOT)]))
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/suc-khoe/", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {port} within 30 s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def photograph(base: str, password: str, old_ward: int) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shoot(page, name: str, *, full_page: bool = True) -> None:
        path = OUT / name
        page.screenshot(path=str(path), full_page=full_page)
        written.append(path)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            desktop = browser.new_context(locale="vi-VN", viewport=DESKTOP)
            desktop.set_default_timeout(10_000)
            page = desktop.new_page()
            page.goto(f"{base}/tai-khoan/dang-nhap/")
            expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
            shoot(page, "login.png", full_page=False)

            page.get_by_label("Tên đăng nhập").fill(VIEWER)
            page.get_by_label("Mật khẩu").fill(password)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

            page.goto(f"{base}/don-vi/?ngay={BEFORE_REFORM}")
            expect(page.get_by_role("tree").get_by_role("link", name="Quận Long Biên", exact=True)).to_be_visible()
            shoot(page, "tree.png")

            page.goto(f"{base}/don-vi/")
            expect(page.get_by_role("tree").get_by_role("link", name="Phường Phúc Lợi", exact=True)).to_be_visible()
            shoot(page, "tree-2025.png")

            unit_url = f"{base}/don-vi/{old_ward}/?ngay={BEFORE_REFORM}"
            page.goto(unit_url)
            expect(page.get_by_role("heading", level=1)).to_have_text("Phường Phúc Lợi")
            expect(page.get_by_role("heading", name="Kế tiếp (đơn vị nhận)")).to_be_visible()
            shoot(page, "unit.png")

            phone = browser.new_context(
                locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, storage_state=desktop.storage_state()
            )
            phone.set_default_timeout(10_000)
            phone_page = phone.new_page()
            phone_page.goto(unit_url)
            expect(phone_page.get_by_role("heading", level=1)).to_have_text("Phường Phúc Lợi")
            shoot(phone_page, "unit-phone.png")
        finally:
            browser.close()
    return written


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tiendo-screenshots-") as name:
        tmp = Path(name)
        os.environ["TIENDO_DATA_DIR"] = str(tmp)
        os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
        os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite file
        os.environ.setdefault("TIENDO_ENV", "test")
        password, old_ward = prepare(tmp)
        port = free_port()
        server = start_server(port, tmp)
        try:
            written = photograph(f"http://127.0.0.1:{port}", password, old_ward)
        finally:
            stop_server(server)
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"screenshots done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
