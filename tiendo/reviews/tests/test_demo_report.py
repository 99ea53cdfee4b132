"""The demo's mid-term report (sơ kết giữa nhiệm kỳ) of the 2020–2025 resolution, as
a user gets it: built through the services, exported as PDF and DOCX, read back, and
its first page drawn as a PNG (issue 6's acceptance).

With ``TIENDO_SCREENSHOTS`` set (``make screenshots``), the first pages go to
``review-report-page1.png`` (the PDF) and ``review-report-docx-page1.png`` (the DOCX
converted by LibreOffice) in that folder. ``pdftoppm`` (poppler-utils) and
``soffice`` are optional here: without them the rendering is skipped with a notice.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from pypdf import PdfReader

from tiendo.demo.seed_figures import ON_MIDTERM
from tiendo.plans.models import Program, Resolution
from tiendo.reviews import builder, services
from tiendo.reviews import document as doc
from tiendo.reviews.models import Review, ReviewExport
from tiendo.reviews.writers import layout as lay

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def render_page(pdf: bytes, page: int, target: Path, resolution: int = 80) -> None:
    """Page ``page`` of ``pdf`` as the PNG ``target``, drawn by pdftoppm."""
    tool = shutil.which("pdftoppm")
    assert tool
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - a fixed tool on a file we wrote
            [tool, "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile",
             str(source), str(Path(folder) / "page")],
            check=True, capture_output=True, timeout=120,
        )
        target.write_bytes((Path(folder) / "page.png").read_bytes())


def screenshot_folder() -> Path | None:
    folder = os.environ.get("TIENDO_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


class DemoMidTermReport(TestCase):
    """The demo loaded once for the class; the exports are made once too."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.resolution = Resolution.objects.get(term_start=2020)
        cls.reviewer = User.objects.get(username="quan.tonghop")
        cls.review = services.create_review(
            cls.reviewer, kind=Review.Kind.MIDTERM, resolution=cls.resolution, period_code="NK2020-2025", as_of=ON_MIDTERM
        )
        cls.pdf = cls.exported(ReviewExport.Format.PDF)
        cls.docx = cls.exported(ReviewExport.Format.DOCX)

    @classmethod
    def exported(cls, fmt: str) -> bytes:
        export = services.request_export(cls.reviewer, cls.review, fmt)  # inline in the test settings
        assert export.state == ReviewExport.State.DONE, export.message
        with default_storage.open(export.file_path) as stored:
            data = stored.read()
        default_storage.delete(export.file_path)
        return data

    def test_the_pdf_opens_with_the_vietnamese_text_intact(self):
        reader = PdfReader(io.BytesIO(self.pdf))
        pages = [page.extract_text() for page in reader.pages]
        assert len(pages) >= 3
        first = pages[0]
        assert "QUẬN ỦY LONG BIÊN" in first and "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in first
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "BÁO CÁO" in first
        flat = " ".join(" ".join(pages).split())  # the subject wraps over lines
        assert " ".join(self.review.subject.split()) in flat
        for program in Program.objects.filter(resolution=self.resolution):
            assert program.number in flat, program.number
            assert " ".join(program.title.split()) in flat, program.title
        assert "có 32 chỉ tiêu, trong đó 6 chỉ tiêu thuộc Nghị quyết" in flat
        assert "T/M BAN THƯỜNG VỤ" in flat and "BÍ THƯ" in flat
        assert "\ufffd" not in flat  # no character lost to the font

    def test_the_narrative_reads_as_a_report_and_figures_keep_their_precision(self):
        review = Review.objects.get(pk=self.review.pk)
        document = builder.compose(review, builder.compute(review))
        text = "\n".join(b.text for b in document.body if isinstance(b, (doc.Heading, doc.Paragraph)))
        # The unit in lower case inside a sentence; the term said once (it is in the resolution's title).
        assert "Tính đến ngày 18/4/2023, trên địa bàn quận Long Biên, Nghị quyết Đại hội" in text
        assert "trong nhiệm kỳ 2020-2025" not in text.split("\n")[1]
        assert "đạt 497/450 đảng viên (bằng 110,4% chỉ tiêu), vượt chỉ tiêu." in text
        assert "đạt 92,7% (chỉ tiêu 90%), vượt chỉ tiêu." in text and "92,7%/90%" not in text
        assert "dẫn đầu là phường " in text and "Phường" not in text.split("3. Kết quả nổi bật")[1].split("\n")[1]
        # Bảng 2: an integer figure next to a 2-decimal one in the same column.
        indicators = next(b for b in document.body if isinstance(b, doc.Table) and b.title.startswith("Bảng 2."))
        shown = {
            row.cells[0]: [lay.cell_text(v, c) for v, c in zip(row.cells[2:4], indicators.columns[2:4], strict=True)]
            for row in indicators.rows
        }
        assert shown["Số đảng viên mới được kết nạp trong năm (phát triển Đảng)"] == ["450", "497"]
        assert any(len(actual.partition(",")[2]) == 2 for _target, actual in shown.values())  # e.g. "31,44"
        assert not any(actual.endswith(",00") or actual.endswith(",0") for _target, actual in shown.values())
        pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(self.pdf)).pages)
        assert "497,00" not in pdf_text and "450,00" not in pdf_text

    def test_first_page_as_png(self):
        if not shutil.which("pdftoppm"):
            pytest.skip("pdftoppm not installed (apt-get install poppler-utils): first page not rendered")
        folder = screenshot_folder()
        with tempfile.TemporaryDirectory() as scratch:
            target = (folder or Path(scratch)) / "review-report-page1.png"
            render_page(self.pdf, 1, target)
            assert target.read_bytes().startswith(PNG_MAGIC)

    def test_docx_first_page_as_png_through_libreoffice(self):
        soffice = shutil.which("soffice")
        if not soffice or not shutil.which("pdftoppm"):
            pytest.skip("soffice or pdftoppm not installed: the DOCX is not rendered")
        folder = screenshot_folder()
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            (work / "report.docx").write_bytes(self.docx)
            subprocess.run(  # noqa: S603 - a fixed tool on a file we wrote
                [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                 "--outdir", str(work), str(work / "report.docx")],
                check=True, capture_output=True, timeout=180,
            )
            converted = (work / "report.pdf").read_bytes()
            text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(converted)).pages)
            assert "QUẬN ỦY LONG BIÊN" in text
            target = (folder or work) / "review-report-docx-page1.png"
            render_page(converted, 1, target)
            assert target.read_bytes().startswith(PNG_MAGIC)


@pytest.fixture
def demo_review(browser: object, transactional_db: None) -> Review:
    # ``browser`` first: its fixture allows the ORM next to Playwright's event loop.
    from tiendo.browsing import TEST_PASSWORD

    call_command("load_demo", verbosity=0)
    reviewer = User.objects.get(username="quan.tonghop")
    reviewer.set_password(TEST_PASSWORD)
    reviewer.save(update_fields=["password"])
    return services.create_review(
        reviewer, kind=Review.Kind.MIDTERM, resolution=Resolution.objects.get(term_start=2020),
        period_code="NK2020-2025", as_of=ON_MIDTERM,
    )


def test_the_preview_reads_like_the_paper_on_a_phone(live_server, demo_review, browser, shots):
    from playwright.sync_api import expect

    from tiendo.browsing import assert_no_horizontal_scroll, log_in, open_page

    for phone in (False, True):
        page = open_page(browser, phone=phone)
        log_in(page, live_server.url, "quan.tonghop")
        page.goto(f"{live_server.url}/bao-cao-tong-hop/{demo_review.pk}/")
        preview = page.locator(".official-document")
        expect(preview.get_by_text("QUẬN ỦY LONG BIÊN", exact=True)).to_be_visible()
        expect(preview.get_by_text("ĐẢNG CỘNG SẢN VIỆT NAM", exact=True)).to_be_visible()
        font = preview.evaluate("node => getComputedStyle(node).fontFamily")
        assert "Times New Roman" in font
        if phone:
            assert_no_horizontal_scroll(page)
        else:
            # The two header blocks side by side, as on the paper.
            left = page.locator(".doc-header__left").bounding_box()
            right = page.locator(".doc-header__right").bounding_box()
            assert left and right and abs(left["y"] - right["y"]) < 2 and left["x"] < right["x"]
        # The header and the first paragraphs and table: the whole report would be a 1 MB picture.
        box = preview.bounding_box()
        assert box
        page.set_viewport_size({"width": page.viewport_size["width"], "height": 1100})  # type: ignore[index]
        preview.scroll_into_view_if_needed()
        page.screenshot(
            path=str(shots / f"review-report-preview{'-phone' if phone else ''}.png"),
            clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": min(box["height"], 1100)},
            full_page=True,
        )
        page.context.close()
