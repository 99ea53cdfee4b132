"""End to end in headless Chromium: the Long Biên district office assigns a task to
phường Phúc Lợi; the ward's reporter reports progress with a signed PDF, then
reports an overdue task done with its evidence; the district confirms it and the
overdue board empties.

Screenshots of each step go to ``$TIENDO_SCREENSHOTS`` when set (``make
screenshots`` sets it to docs/screenshots/), else to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tiendo.accounts.models import Role
from tiendo.attachments.models import Attachment
from tiendo.browsing import log_in, open_page
from tiendo.lib.dates import today
from tiendo.lib.vn import format_date
from tiendo.orgs import services as orgs
from tiendo.orgs.models import OrgUnit, UnitKind
from tiendo.tasks import services
from tiendo.tasks.models import Task
from tiendo.testing import FOUNDED, make_user

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@dataclass
class Setup:
    district: OrgUnit
    phuc_loi: OrgUnit
    bo_de: OrgUnit
    overdue: Task


@pytest.fixture
def setup(browser: Browser, transactional_db: None, settings, tmp_path: Path) -> Setup:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "files"}},
    }

    def unit(kind: str, name: str, parent: OrgUnit | None) -> OrgUnit:
        return orgs.create_unit(None, kind=kind, name=name, parent=parent, valid_from=FOUNDED)

    hanoi = unit(UnitKind.CITY, "Thành phố Hà Nội", None)
    district = unit(UnitKind.DISTRICT, "Quận Long Biên", hanoi)
    phuc_loi = unit(UnitKind.WARD, "Phường Phúc Lợi", district)
    bo_de = unit(UnitKind.WARD, "Phường Bồ Đề", district)
    make_user("quan.tonghop", Role.REVIEWER, district, first_name="Hùng", last_name="Trần")
    make_user("phucloi.baocao", Role.REPORTER, phuc_loi, first_name="Lan", last_name="Nguyễn")
    # Assigned a month ago, due three days ago and not yet reported: on the overdue board.
    overdue = services.create_task(
        None, title="Báo cáo kết quả ra quân tổng vệ sinh môi trường", expected_output="Báo cáo kèm ảnh",
        assigned_by=district, lead_unit=phuc_loi, deadline=today() - dt.timedelta(days=3),
    )
    return Setup(district, phuc_loi, bo_de, overdue)


@pytest.fixture
def pages(browser: Browser) -> Iterator[tuple[Page, Page]]:
    district, ward = open_page(browser), open_page(browser)
    yield district, ward
    district.context.close()
    ward.context.close()


def test_district_assigns_ward_reports_with_files_district_confirms(live_server, setup, pages, shots, tmp_path):
    district, ward = pages
    base = live_server.url
    deadline = today() + dt.timedelta(days=14)

    # The district office sees the ward's overdue task on the board.
    log_in(district, base, "quan.tonghop")
    district.goto(base + "/nhiem-vu/qua-han/")
    expect(district.get_by_test_id(f"days-{setup.overdue.pk}")).to_have_text("3 ngày")

    # 1. It assigns a new task to phường Phúc Lợi from the task list, with phường Bồ Đề coordinating.
    district.goto(base + "/nhiem-vu/danh-sach/")
    district.get_by_role("link", name="Giao nhiệm vụ").click()
    district.get_by_role("textbox", name="Nhiệm vụ", exact=True).fill("Chỉnh trang vỉa hè tuyến phố Phúc Lợi")
    district.get_by_label("Sản phẩm").fill("Báo cáo kết quả kèm ảnh trước và sau khi chỉnh trang")
    district.get_by_label("Đơn vị chủ trì").select_option(str(setup.phuc_loi.pk))
    district.get_by_label("Đơn vị phối hợp").select_option([str(setup.bo_de.pk)])
    district.get_by_label("Thời hạn").fill(format_date(deadline))
    district.get_by_label("Mức độ").select_option("high")
    district.screenshot(path=shots / "tasks-1-assign.png", full_page=True)
    district.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(district.get_by_role("status")).to_contain_text("Đã giao nhiệm vụ cho Phường Phúc Lợi.")
    expect(district.get_by_test_id("task-status")).to_have_text("Chưa hoàn thành trong hạn")
    task = Task.objects.get(title="Chỉnh trang vỉa hè tuyến phố Phúc Lợi")
    assert task.deadline == deadline and list(task.coordinating_units.all()) == [setup.bo_de]

    # 2. The ward's reporter finds it among their work and reports progress with the signed minutes.
    minutes = tmp_path / "Bien ban nghiem thu dot 1.pdf"
    minutes.write_bytes(PDF)
    log_in(ward, base, "phucloi.baocao")
    ward.goto(base + "/nhiem-vu/")
    ward.get_by_role("link", name="Chỉnh trang vỉa hè tuyến phố Phúc Lợi").click()
    ward.get_by_label("Tiến độ (%)").fill("50")
    ward.get_by_label("Kết quả thực hiện").fill("Đã lát xong 2 trên 4 tuyến phố")
    ward.get_by_label("Tệp đính kèm (có thể chọn nhiều tệp)").set_input_files(minutes)
    ward.screenshot(path=shots / "tasks-2-progress.png", full_page=True)
    ward.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(ward.get_by_role("status")).to_contain_text("Đã ghi nhận.")
    expect(ward.get_by_test_id("task-progress")).to_have_text("50%")
    link = ward.get_by_role("link", name="Bien ban nghiem thu dot 1.pdf")
    expect(link).to_be_visible()
    download = ward.context.request.get(base + link.get_attribute("href"))
    assert download.ok and download.body() == PDF

    # ...then reports the overdue task done, with a text and a file as evidence.
    report = tmp_path / "Bao cao ve sinh moi truong.pdf"
    report.write_bytes(PDF)
    ward.goto(base + "/nhiem-vu/")
    ward.get_by_role("link", name="Báo cáo kết quả ra quân tổng vệ sinh môi trường").click()
    ward.get_by_label("Minh chứng hoàn thành").fill("Báo cáo số 12/BC-UBND ngày hôm nay, kèm ảnh")
    ward.get_by_label("Tệp minh chứng (có thể chọn nhiều tệp)").set_input_files(report)
    ward.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(ward.get_by_role("status")).to_contain_text("Đã ghi nhận.")
    expect(ward.get_by_test_id("evidence-files")).to_contain_text("Bao cao ve sinh moi truong.pdf")
    assert Attachment.objects.count() == 2

    # 3. The district finds it waiting for confirmation, reads the evidence and confirms.
    district.goto(base + "/nhiem-vu/")
    district.get_by_role("link", name="Báo cáo kết quả ra quân tổng vệ sinh môi trường").click()
    expect(district.get_by_test_id("evidence-files")).to_contain_text("Bao cao ve sinh moi truong.pdf")
    district.screenshot(path=shots / "tasks-3-confirm.png", full_page=True)
    district.get_by_role("button", name="Xác nhận đã hoàn thành").click()
    expect(district.get_by_role("status")).to_contain_text("Đã ghi nhận.")
    expect(district.get_by_test_id("task-status")).to_have_text("Đã hoàn thành quá hạn")

    # 4. The overdue board no longer lists it.
    district.goto(base + "/nhiem-vu/qua-han/")
    expect(district.get_by_text("Không có nhiệm vụ nào quá hạn.")).to_be_visible()
    expect(district.get_by_test_id(f"days-{setup.overdue.pk}")).to_have_count(0)
    district.screenshot(path=shots / "tasks-4-overdue.png", full_page=True)
