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
    docs/screenshots/resolution.png   the 2020–2025 resolution evaluated at 18/4/2023 (district viewer):
                                      program 02 with 24 indicators done and 8 in progress
    docs/screenshots/program.png      program 02-CTr/QU at the same date (district viewer)
    docs/screenshots/indicator.png    the "Gia đình văn hóa" indicator, 93,18% in 2022 (district reviewer)
    docs/screenshots/indicator-wards.png  an illustrative indicator entered by the wards, with the
                                      ranking chart of the wards (district reviewer)
    docs/screenshots/value.png        the 93,18% figure with its source article (district reviewer)
    docs/screenshots/admin-rename.png the rename form of the old phường Phúc Lợi (district unit admin)
    docs/screenshots/users.png        users and roles as the district unit admin sees them
    docs/screenshots/resolution-phone.png, indicator-phone.png  the resolution and indicator pages
                                      on a phone screen
    docs/screenshots/reporting-*.png  periodic reporting on the demo: quarter IV/2024 for the
                                      district office (12/14 sent, 10 on time), a ward's timeliness,
                                      the new Phúc Lợi's overdue draft (desktop and phone), the
                                      upload page, the city's review of Việt Hưng's report
    docs/screenshots/notifications.png, schedules.png  the city reviewer's notifications and schedules
    docs/screenshots/tasks-mine.png   the new Phúc Lợi reporter's tasks (one split to three residential groups)
    docs/screenshots/tasks-detail.png Việt Hưng's overdue archive task as the city reviewer sees it: progress
                                      reports, one with a PDF the script uploads first (the demo holds no
                                      files), and an extension request waiting for a decision
    docs/screenshots/tasks-overdue.png, tasks-new.png  the city reviewer's overdue board, and the assign form
                                      under the city's (illustrative) plan 215/KH-UBND
    docs/screenshots/tasks-list.png   the district reviewer's list filtered on "chưa hoàn thành quá hạn"
    docs/screenshots/tasks-by-unit.png  the district's lead units with their on-time rates
    docs/screenshots/tasks-directive.png  seed 003's conclusion 312-TB/QU with its five tasks (and the Front's
                                      sub-tasks of the 14 wards)
    docs/screenshots/inspections-list.png, inspections-detail.png  the inspections the district reviewer sees,
                                      and the city's inspection of 17/5/2022: team, conclusion, six
                                      recommendations followed up as tasks
    docs/screenshots/dashboard-demo.png  the home page of the district's leadership (quan.xem): the
                                      dashboard of the 2020–2025 resolution on the demo data
    docs/screenshots/dashboard-demo-phone.png  the dashboard at mid-term (18/4/2023) on a 375 px phone
    docs/screenshots/reviews-new.png  the district reviewer's "Tạo báo cáo" form, filled for the mid-term
                                      report of the 2020–2025 resolution at 18/4/2023
    docs/screenshots/reviews-detail.png  that report, created through the form: preview and export buttons
    docs/screenshots/reviews-export.png  the same page after "Xuất DOCX": the file's download link
    docs/screenshots/reviews-list.png the district reviewer's list of review reports

The end-to-end tests take their own screenshots when run with
TIENDO_SCREENSHOTS=docs/screenshots (``make screenshots`` does): the reporting workflow
(send, return, correct, approve) reporting-1-fill.png … reporting-4-dashboard.png, and
the tasks workflow (tiendo/tasks/tests/test_browser_tasks.py: assign, report progress
with a file, report done, confirm) tasks-1-assign.png, tasks-2-progress.png,
tasks-3-confirm.png, tasks-4-overdue.png.

Arguments, if any, are file-name patterns: ``scripts/screenshots.py 'tasks-*'`` walks
the same pages but writes only the matching files.

Nothing outside the temporary directory and docs/screenshots/ is written.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 375, "height": 812}  # the narrowest phone the dashboard is photographed on
VIEWER = "thanhpho.xem"  # the city viewer of the demo (manage.py load_demo --print-accounts)
DISTRICT_VIEWER = "quan.xem"  # the district's leadership: reads resolutions and programs
REVIEWER = "quan.tonghop"  # the district's reviewer: reads indicators and their figures
UNIT_ADMIN = "quan.quantri"  # the district's unit administrator: the tree and the accounts
WARD_REPORTER = "phucloimoi.baocao"  # the new Phúc Lợi's reporter: quarterly reports to the city
CITY_REVIEWER = "thanhpho.tonghop"  # reviews the new wards' quarterly reports
ARCHIVE_REPORTER = "viethungmoi.baocao"  # the new Việt Hưng's reporter: the overdue archive task
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"  # a file for the progress report
# Photograph only the files whose names match one of these patterns (``screenshots.py 'tasks-*'``).
ONLY: list[str] = []
BEFORE_REFORM = "30/6/2025"
MID_TERM = "18/4/2023"  # the mid-term review article (seed 001): program 02 has 24 done, 8 in progress
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


@dataclass(frozen=True)
class Demo:
    """What the pages to photograph are about, looked up in the freshly loaded demo."""

    password: str
    old_ward: int  # the old phường Phúc Lợi (until 30/6/2025)
    resolution: int  # the 2020–2025 Congress resolution of Quận Long Biên
    program: int  # its program 02-CTr/QU
    indicator: int  # CT02_GDVH, the "Gia đình văn hóa" rate (93,18% in 2022)
    ward_indicator: int  # CT02_MH20, illustrative, entered ward by ward
    value: int  # the 93,18% figure, from the mid-term article
    q4_2024: int  # the round of quarter IV/2024: 12 of 14 wards sent, 10 on time
    q3_2026: int  # the current round: the new wards report to the city
    new_phuc_loi: int  # its draft is partly filled and overdue
    viet_hung: int  # sent, waiting for the city's review
    conclusion_2022: int = 0  # seed 003: the district secretary's conclusion 312-TB/QU and its five tasks
    city_plan: int = 0  # the city's (illustrative) plan for the new wards, with their current tasks
    archive_task: int = 0  # Việt Hưng's archive task: a progress report and an extension waiting for a decision
    inspection: int = 0  # seed 002: the city's inspection of 17/5/2022, its team and follow-up tasks


def prepare(tmp: Path) -> Demo:
    """Database, static files and demo in ``tmp``; returns what the pages are about."""
    (tmp / f"{SETTINGS_MODULE}.py").write_text(OVERLAY.format(static=str(tmp / "static")))
    sys.path[:0] = [str(tmp), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tiendo.demo import longbien, plans_data, users
    from tiendo.indicators.models import DataValue, Indicator
    from tiendo.orgs.models import OrgUnit, UnitKind
    from tiendo.plans.models import Program

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo")
    old_phuc_loi = OrgUnit.objects.get(
        kind=UnitKind.WARD, versions__name="Phường Phúc Lợi", valid_to=longbien.REFORM
    ).pk
    program = Program.objects.get(resolution__title=plans_data.RESOLUTION_TITLE, number="02-CTr/QU")
    indicator = Indicator.objects.get(code="CT02_GDVH")
    value = DataValue.objects.get(indicator=indicator, is_current=True, period_kind="year", period_start__year=2022)
    demo = Demo(
        password=users.DEMO_PASSWORD,
        old_ward=old_phuc_loi,
        resolution=program.resolution_id,
        program=program.pk,
        indicator=indicator.pk,
        ward_indicator=Indicator.objects.get(code="CT02_MH20").pk,
        value=value.pk,
        q4_2024=0,
        q3_2026=0,
        new_phuc_loi=0,
        viet_hung=0,
    )
    from tiendo.reporting.models import Round

    q4_2024 = Round.objects.get(data_set__code="TD_QUY", period_kind="quarter", period_start="2024-10-01")
    q3_2026 = Round.objects.get(data_set__code="TD_QUY", period_kind="quarter", period_start="2026-07-01")
    waiting = q3_2026.submissions.get(state="submitted")
    phuc_loi = q3_2026.submissions.get(unit__versions__name="Phường Phúc Lợi")
    tasks = tasks_demo()
    connections.close_all()
    return dataclasses.replace(
        demo, q4_2024=q4_2024.pk, q3_2026=q3_2026.pk, new_phuc_loi=phuc_loi.unit_id, viet_hung=waiting.unit_id, **tasks
    )


def tasks_demo() -> dict[str, int]:
    """The directives, task and inspection photographed, looked up in the loaded demo."""
    from tiendo.demo import inspections_data, tasks_data
    from tiendo.inspections.models import Inspection
    from tiendo.tasks.models import Directive, Task

    archive = Task.objects.get(title="Chỉnh lý, bàn giao hồ sơ lưu trữ của các phường cũ về phường mới", parent=None)
    inspection = Inspection.objects.get(team_name=inspections_data.TEAM_NAME, starts_on=inspections_data.CONCLUDED)
    return {
        "conclusion_2022": Directive.objects.get(number=tasks_data.CONCLUSION_2022).pk,
        "city_plan": Directive.objects.get(number=tasks_data.CITY_PLAN).pk,
        "archive_task": archive.pk,
        "inspection": inspection.pk,
    }


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


def photograph(base: str, demo: Demo) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shoot(page, name: str, *, full_page: bool = True) -> None:
        if ONLY and not any(fnmatch.fnmatch(name, pattern) for pattern in ONLY):
            return
        path = OUT / name
        page.screenshot(path=str(path), full_page=full_page)
        written.append(path)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)

        def sign_in(username: str):
            """A desktop context signed in as ``username``, and a phone context sharing its session."""
            context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
            context.set_default_timeout(10_000)
            page = context.new_page()
            page.goto(f"{base}/tai-khoan/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(demo.password)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
            return context, page

        def phone_of(context):
            phone = browser.new_context(
                locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, storage_state=context.storage_state()
            )
            phone.set_default_timeout(10_000)
            return phone.new_page()

        try:
            desktop = browser.new_context(locale="vi-VN", viewport=DESKTOP)
            desktop.set_default_timeout(10_000)
            page = desktop.new_page()
            page.goto(f"{base}/tai-khoan/dang-nhap/")
            expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
            shoot(page, "login.png", full_page=False)
            desktop.close()

            # The city viewer: the tree before and after the reform, and a unit page.
            city, page = sign_in(VIEWER)
            page.goto(f"{base}/don-vi/?ngay={BEFORE_REFORM}")
            expect(page.get_by_role("tree").get_by_role("link", name="Quận Long Biên", exact=True)).to_be_visible()
            shoot(page, "tree.png")

            page.goto(f"{base}/don-vi/")
            expect(page.get_by_role("tree").get_by_role("link", name="Phường Phúc Lợi", exact=True)).to_be_visible()
            shoot(page, "tree-2025.png")

            unit_url = f"{base}/don-vi/{demo.old_ward}/?ngay={BEFORE_REFORM}"
            page.goto(unit_url)
            expect(page.get_by_role("heading", level=1)).to_have_text("Phường Phúc Lợi")
            expect(page.get_by_role("heading", name="Kế tiếp (đơn vị nhận)")).to_be_visible()
            shoot(page, "unit.png")

            phone_page = phone_of(city)
            phone_page.goto(unit_url)
            expect(phone_page.get_by_role("heading", level=1)).to_have_text("Phường Phúc Lợi")
            shoot(phone_page, "unit-phone.png")
            city.close()

            # The district's leadership: the resolution and program 02 at mid-term.
            leaders, page = sign_in(DISTRICT_VIEWER)
            resolution_url = f"{base}/nghi-quyet/{demo.resolution}/?ngay={MID_TERM}"
            page.goto(resolution_url)
            expect(page.get_by_role("heading", level=1)).to_contain_text("lần thứ IV")
            program_02 = page.locator(".program-list > li").filter(has_text="02-CTr/QU")
            expect(program_02).to_contain_text("hoàn thành 24, đang thực hiện 8")
            shoot(page, "resolution.png")

            page.goto(f"{base}/chuong-trinh/{demo.program}/?ngay={MID_TERM}")
            expect(page.get_by_role("heading", level=1)).to_have_text("Chương trình 02-CTr/QU")
            expect(page.locator("main")).to_contain_text("hoàn thành 24, đang thực hiện 8")
            shoot(page, "program.png")

            phone_page = phone_of(leaders)
            phone_page.goto(resolution_url)
            expect(phone_page.get_by_role("heading", level=1)).to_contain_text("lần thứ IV")
            shoot(phone_page, "resolution-phone.png")
            leaders.close()

            # The district's reviewer: indicators and a figure with its source.
            reviewer, page = sign_in(REVIEWER)
            indicator_url = f"{base}/chi-tieu/{demo.indicator}/?ngay={MID_TERM}"
            page.goto(indicator_url)
            expect(page.get_by_role("heading", level=1)).to_contain_text("Gia đình văn hóa")
            expect(page.locator("main")).to_contain_text("93,18")
            shoot(page, "indicator.png")

            page.goto(f"{base}/chi-tieu/{demo.ward_indicator}/?ngay={MID_TERM}&ky=2022")
            expect(page.get_by_role("heading", level=1)).to_contain_text("minh họa")
            expect(page.get_by_role("heading", name="Xếp hạng")).to_be_visible()
            shoot(page, "indicator-wards.png")

            page.goto(f"{base}/so-lieu/{demo.value}/")
            expect(page.get_by_role("heading", name="Nguồn số liệu")).to_be_visible()
            shoot(page, "value.png")

            phone_page = phone_of(reviewer)
            phone_page.goto(indicator_url)
            expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Gia đình văn hóa")
            shoot(phone_page, "indicator-phone.png")
            reviewer.close()

            # The district's unit administrator: a change to the tree, and the accounts.
            admin, page = sign_in(UNIT_ADMIN)
            page.goto(f"{base}/don-vi/{demo.old_ward}/doi-ten/?ngay={BEFORE_REFORM}")
            expect(page.get_by_role("heading", level=1)).to_have_text("Đổi tên / đổi mã")
            shoot(page, "admin-rename.png")

            page.goto(f"{base}/tai-khoan/nguoi-dung/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Người dùng")
            shoot(page, "users.png")
            admin.close()

            # Periodic reporting. The district office on quarter IV/2024, and a ward's record.
            reviewer, page = sign_in(REVIEWER)
            page.goto(f"{base}/bao-cao/dot/{demo.q4_2024}/")
            expect(page.get_by_test_id("round-progress")).to_have_text("12/14 đơn vị đã nộp, 10 đúng hạn")
            shoot(page, "reporting-round.png")
            page.get_by_role("link", name="lịch sử nộp").first.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shoot(page, "reporting-timeliness.png")
            reviewer.close()

            # The new Phúc Lợi's reporter: what waits, and the overdue draft of quarter III/2026.
            ward, page = sign_in(WARD_REPORTER)
            page.goto(f"{base}/bao-cao/")
            shoot(page, "reporting-rounds.png")
            form_url = f"{base}/bao-cao/dot/{demo.q3_2026}/don-vi/{demo.new_phuc_loi}/"
            page.goto(form_url)
            expect(page.get_by_role("button", name="Lưu và gửi báo cáo")).to_be_visible()
            shoot(page, "reporting-form.png")
            phone_page = phone_of(ward)
            phone_page.goto(form_url)
            expect(phone_page.get_by_role("button", name="Lưu nháp")).to_be_visible()
            shoot(phone_page, "reporting-form-phone.png")
            page.goto(f"{base}/bao-cao/dot/{demo.q3_2026}/tai-len/")
            shoot(page, "reporting-upload.png")
            ward.close()

            # The city's reviewer: Việt Hưng's report waits; notifications; schedules.
            city_office, page = sign_in(CITY_REVIEWER)
            page.goto(f"{base}/bao-cao/dot/{demo.q3_2026}/don-vi/{demo.viet_hung}/")
            expect(page.get_by_role("button", name="Duyệt báo cáo")).to_be_visible()
            shoot(page, "reporting-review.png")
            page.goto(f"{base}/bao-cao/thong-bao/")
            shoot(page, "notifications.png")
            page.goto(f"{base}/bao-cao/lich/")
            shoot(page, "schedules.png")
            city_office.close()

            # Directives and tasks. The new Phúc Lợi's reporter: the ward's tasks, most pressing first.
            ward, page = sign_in(WARD_REPORTER)
            page.goto(f"{base}/nhiem-vu/")
            expect(page.locator("main")).to_contain_text("Rà soát, kiện toàn tổ dân phố sau sắp xếp")
            shoot(page, "tasks-mine.png")
            ward.close()

            # Việt Hưng's reporter reports progress on the archive task with a PDF: the demo itself holds no
            # files, and the task page should show how one looks (this writes only to the throwaway database).
            ward, page = sign_in(ARCHIVE_REPORTER)
            page.goto(f"{base}/nhiem-vu/{demo.archive_task}/")
            page.get_by_label("Tiến độ (%)").fill("70")
            page.get_by_label("Kết quả thực hiện").fill("Đã chỉnh lý xong hồ sơ của phường Gia Thụy cũ; kèm mục lục.")
            page.get_by_label("Tệp đính kèm (có thể chọn nhiều tệp)").set_input_files(
                files=[{"name": "Muc luc ho so Gia Thuy.pdf", "mimeType": "application/pdf", "buffer": PDF}]
            )
            page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
            expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận.")
            ward.close()

            # The city's office: that task with its file and the extension waiting for a decision, the
            # overdue board, and the form that assigns a task under the city's plan.
            city_office, page = sign_in(CITY_REVIEWER)
            page.goto(f"{base}/nhiem-vu/{demo.archive_task}/")
            expect(page.get_by_role("link", name="Muc luc ho so Gia Thuy.pdf")).to_be_visible()
            shoot(page, "tasks-detail.png")
            page.goto(f"{base}/nhiem-vu/qua-han/")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shoot(page, "tasks-overdue.png")
            page.goto(f"{base}/nhiem-vu/moi/?van_ban={demo.city_plan}")
            page.get_by_role("textbox", name="Nhiệm vụ", exact=True).fill(
                "Rà soát, sắp xếp trụ sở làm việc của phường sau sắp xếp"
            )
            page.get_by_label("Sản phẩm").fill("Báo cáo hiện trạng và phương án sử dụng trụ sở")
            shoot(page, "tasks-new.png")
            city_office.close()

            # The district's reviewer: the list filtered, the units' on-time rates, seed 003's conclusion,
            # and the city's inspection of 17/5/2022 with its follow-up.
            reviewer, page = sign_in(REVIEWER)
            page.goto(f"{base}/nhiem-vu/danh-sach/?status=overdue")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shoot(page, "tasks-list.png")
            page.goto(f"{base}/nhiem-vu/theo-don-vi/")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shoot(page, "tasks-by-unit.png")
            page.goto(f"{base}/nhiem-vu/van-ban/{demo.conclusion_2022}/")
            expect(page.get_by_role("heading", level=1)).to_contain_text("312-TB/QU")
            shoot(page, "tasks-directive.png")
            page.goto(f"{base}/kiem-tra-giam-sat/")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shoot(page, "inspections-list.png")
            page.goto(f"{base}/kiem-tra-giam-sat/{demo.inspection}/")
            expect(page.locator("main")).to_contain_text("Nguyễn Thị Tuyến")
            shoot(page, "inspections-detail.png")
            reviewer.close()

            # The district's leadership: their home page is the dashboard; on a phone, at mid-term.
            leaders, page = sign_in(DISTRICT_VIEWER)
            expect(page.get_by_role("heading", name="Chỉ tiêu theo chương trình")).to_be_visible()
            shoot(page, "dashboard-demo.png")
            phone = browser.new_context(
                locale="vi-VN", viewport=SMALL_PHONE, is_mobile=True, has_touch=True,
                storage_state=leaders.storage_state(),
            )
            phone.set_default_timeout(10_000)
            phone_page = phone.new_page()
            phone_page.goto(f"{base}/tong-quan/?ngay={MID_TERM}")
            expect(phone_page.get_by_role("heading", name="Chỉ tiêu trong Nghị quyết")).to_be_visible()
            shoot(phone_page, "dashboard-demo-phone.png")
            phone.close()
            leaders.close()

            # The district's reviewer writes the mid-term report of the 2020–2025 resolution through the form
            # (on the throwaway database), reads it and exports it as DOCX.
            reviewer, page = sign_in(REVIEWER)
            page.goto(f"{base}/bao-cao-tong-hop/tao/")
            page.get_by_label("Loại báo cáo").select_option("midterm")
            page.get_by_label("Nghị quyết", exact=True).select_option(str(demo.resolution))
            page.get_by_label("Kỳ báo cáo").fill("NK2020-2025")
            page.get_by_label("Số liệu tính đến ngày").fill(MID_TERM)
            shoot(page, "reviews-new.png")
            page.get_by_role("button", name="Soạn báo cáo").click()
            expect(page.get_by_role("heading", name="Xem trước")).to_be_visible()
            # The whole report is several screens long: the top of it (title, export buttons, the start of
            # the preview) is what the guide shows.
            page.set_viewport_size({"width": DESKTOP["width"], "height": 1300})
            shoot(page, "reviews-detail.png", full_page=False)
            page.set_viewport_size(DESKTOP)
            page.get_by_role("button", name="Xuất DOCX").click()
            expect(page.locator("#exports").get_by_role("link").first).to_contain_text("Tải về")
            page.locator("#export-title").scroll_into_view_if_needed()
            shoot(page, "reviews-export.png", full_page=False)
            page.goto(f"{base}/bao-cao-tong-hop/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo tổng hợp")
            shoot(page, "reviews-list.png")
            reviewer.close()
        finally:
            browser.close()
    return written


def main() -> int:
    ONLY[:] = sys.argv[1:]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tiendo-screenshots-") as name:
        tmp = Path(name)
        os.environ["TIENDO_DATA_DIR"] = str(tmp)
        os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
        os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite file
        os.environ.setdefault("TIENDO_ENV", "test")
        demo = prepare(tmp)
        port = free_port()
        server = start_server(port, tmp)
        try:
            written = photograph(f"http://127.0.0.1:{port}", demo)
        finally:
            stop_server(server)
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"screenshots done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
