"""The DOCX, PDF and XLSX writers of a review report, checked against the official
formats (Hướng dẫn 36-HD/VPTW, Nghị định 30/2020/NĐ-CP; docs/formats.md).

The sample document's text carries every kind of Vietnamese mark: ă â đ ê ô ơ ư, the
five tones, upper and lower case, so a font or an encoding that drops one shows.
``sample_document`` is also what the sample files under /tmp/review-samples were made from.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from docx import Document as read_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from tiendo.reviews.document import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    Header,
    Heading,
    Layout,
    OfficialDocument,
    Paragraph,
    Row,
    Series,
    Signature,
    Table,
)
from tiendo.reviews.writers import layout as lay
from tiendo.reviews.writers.charts import _value_label, render_chart
from tiendo.reviews.writers.docx import write_docx
from tiendo.reviews.writers.pdf import write_pdf
from tiendo.reviews.writers.xlsx import sheet_name, write_xlsx

DIACRITICS = "Ủy ban Phúc Lợi Nghị quyết ỗ ữ ặ ẫ ỹ ĂÂĐÊÔƠƯ ăâđêôơư à á ả ã ạ ỳ Ỷ Ỹ Ỵ Ý"
WARDS = (
    "Phúc Lợi",
    "Bồ Đề",
    "Việt Hưng",
    "Long Biên",
    "Thạch Bàn",
    "Ngọc Thụy",
    "Gia Thụy",
    "Cự Khối",
)

PARTY_HEADER = Header(
    layout=Layout.PARTY,
    superior_body="Đảng bộ thành phố Hà Nội",
    issuing_body="Quận ủy Long Biên",
    number="127-BC/QU",
    symbol="BC/QU",
    place="Long Biên",
    date=dt.date(2023, 4, 18),
    doc_type="Báo cáo",
    subject="Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội đại biểu Đảng bộ quận lần thứ VI, nhiệm kỳ 2020 - 2025",
)

STATE_HEADER = Header(
    layout=Layout.STATE,
    superior_body="UBND thành phố Hà Nội",
    issuing_body="Ủy ban nhân dân quận Long Biên",
    number="12/BC-UBND",
    symbol="BC-UBND",
    place="Long Biên",
    date=dt.date(2023, 2, 5),
    doc_type="Báo cáo",
    subject="Kết quả thực hiện các chỉ tiêu kinh tế - xã hội năm 2022",
)

INDICATORS = Table(
    title="Bảng 1. Kết quả thực hiện các chỉ tiêu chủ yếu",
    columns=(
        Column("Chỉ tiêu"),
        Column("Đơn vị tính"),
        Column("Kế hoạch", ColumnKind.DECIMAL, 1),
        Column("Thực hiện", ColumnKind.DECIMAL, 1),
        Column("Tỷ lệ", ColumnKind.PERCENT, 1),
    ),
    rows=(
        Row(("I. Kinh tế", None, None, None, None), heading=True),
        Row(("Thu ngân sách trên địa bàn", "tỷ đồng", Decimal("36875"), Decimal("45799.4"), Decimal("124.2"))),
        Row(("Tỷ lệ hộ dân dùng nước sạch", "%", Decimal("100"), Decimal("99.95"), Decimal("99.95"))),
        Row(("II. Xã hội", None, None, None, None), heading=True),
        Row(("Số lao động được tạo việc làm", "người", 21000, 21327, Decimal("101.557")), heading=False),
        Row(("Diện tích cây xanh tăng thêm", "ha", Decimal("9.25"), None, None)),
        Row(("Tuyến phố xanh - sạch - đẹp", "tuyến", 14, "14/14 phường", Decimal("100"))),
    ),
    note="Nguồn: số liệu các phường gửi đến 14/12/2022; " + DIACRITICS,
)

WIDE = Table(
    title="Bảng 2. Kết quả theo phường",
    columns=(Column("Chỉ tiêu"), *(Column(ward, ColumnKind.INTEGER) for ward in WARDS)),
    rows=tuple(
        Row((f"Chỉ tiêu số {index}", *(1000 * index + 137 * ward for ward in range(len(WARDS)))))
        for index in range(1, 4)
    ),
)

RANKING = Chart(
    kind=ChartKind.BAR,
    title="Biểu đồ 1. Tỷ lệ hộ gia đình văn hóa theo phường",
    labels=WARDS,
    series=(
        Series(
            "Năm 2022",
            (
                Decimal("96.5"),
                Decimal("92.25"),
                Decimal("88"),
                None,
                Decimal("95.1"),
                Decimal("90.4"),
                Decimal("97"),
                Decimal("85.3"),
            ),
        ),
    ),
    unit="%",
    target=Decimal("90"),
)

TREND = Chart(
    kind=ChartKind.LINE,
    title="Biểu đồ 2. Thu ngân sách trên địa bàn qua các năm",
    labels=("2020", "2021", "2022", "2023"),
    series=(Series("Thực hiện", (Decimal("8250.5"), Decimal("9104"), None, Decimal("12352.75"))),),
    unit="tỷ đồng",
    target=Decimal("11000"),
)


def sample_document(layout: Layout, *, draft: bool = False, wide: bool = True) -> OfficialDocument:
    party = layout is Layout.PARTY
    body: list = [
        Paragraph(
            "Thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị, Ban Thường vụ Quận ủy "
            "báo cáo kết quả như sau. " + DIACRITICS + " " + "Nội dung được trình bày căn đều hai bên. " * 6
        ),
        Heading(1, "I. KẾT QUẢ THỰC HIỆN"),
        Heading(2, "1. Về phát triển kinh tế"),
        Paragraph("Thu ngân sách đạt 45.799/36.875 tỷ đồng, bằng 124,2% kế hoạch; tạo việc làm cho 21.327 lao động."),
        INDICATORS,
        Heading(3, "a) Về chỉnh trang đô thị"),
        Paragraph("Đã hoàn thành 14/14 phường đạt chuẩn văn minh đô thị.", italic=True),
        RANKING,
        TREND,
    ]
    if wide:
        body.append(WIDE)
    body += [
        Heading(1, "II. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM"),
        Paragraph("Tiếp tục đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ Nhân dân.", bold=True),
    ]
    return OfficialDocument(
        header=PARTY_HEADER if party else STATE_HEADER,
        body=tuple(body),
        signature=(
            Signature("T/M Ban Thường vụ", "Phó Bí thư", "Nguyễn Văn Được")
            if party
            else Signature("TM. Ủy ban nhân dân", "Chủ tịch", "Trần Thị Ngọc Ẩn")
        ),
        recipients=("- Thường trực Thành ủy,", "- Các đồng chí Thành ủy viên,", "- Lưu Văn phòng Quận ủy."),
        draft=draft,
        notes=("Số liệu đã thay đổi từ khi báo cáo được lập: chỉ tiêu số 2 được cập nhật ngày 5/1/2023.",),
    )


# --- The tests ------------------------------------------------------------------------
# No test here touches the database: pytest-django refuses any query in a test without
# the db fixture, so these also prove the writers are pure functions of the document.

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def docx_of(document: OfficialDocument):
    return read_docx(io.BytesIO(write_docx(document)))


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def text_paragraph(cell, text: str):
    return next(p for p in cell.paragraphs if p.text == text)


def style_of(paragraph) -> tuple[float, bool, bool]:
    """(size in pt, bold, italic) of a paragraph's runs, which must all agree."""
    runs = [run for run in paragraph.runs if run.text]
    styles = {(run.font.size.pt, bool(run.bold), bool(run.italic)) for run in runs}
    assert len(styles) == 1, (paragraph.text, styles)
    return styles.pop()


def rule_after(cell, text: str):
    """The paragraph right under ``text`` in the cell, which must draw a bottom rule."""
    paragraphs = cell.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == text)
    rule = paragraphs[index + 1]
    assert rule.text == ""
    borders = rule._p.pPr.find(qn("w:pBdr"))
    assert borders is not None and borders.find(qn("w:bottom")).get(qn("w:val")) == "single"
    return rule


def rule_length_pt(rule, cell) -> float:
    fmt = rule.paragraph_format
    return cell.width.pt - 2 * 5.4 - fmt.left_indent.pt - fmt.right_indent.pt


def assert_page(section, top: int, bottom: int, left: int, right: int) -> None:
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert section.orientation == WD_ORIENT.PORTRAIT
    for got, want in ((section.top_margin, top), (section.bottom_margin, bottom)):
        assert abs(got - Mm(want)) < Mm(0.1)
    for got, want in ((section.left_margin, left), (section.right_margin, right)):
        assert abs(got - Mm(want)) < Mm(0.1)


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


class TestDocxHeader:
    def test_party_header_follows_hd36(self):
        doc = docx_of(sample_document(Layout.PARTY))
        assert_page(doc.sections[0], 25, 25, 35, 15)
        left, right = doc.tables[0].rows[0].cells
        assert lines(left) == ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "QUẬN ỦY LONG BIÊN", "*", "Số 127-BC/QU"]
        assert [style_of(text_paragraph(left, t)) for t in lines(left)] == [
            (14, False, False),
            (14, True, False),
            (14, False, False),
            (14, False, False),
        ]
        assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in left.paragraphs)
        assert ":" not in lines(left)[-1]  # "Số 127-BC/QU": a hyphen, no colon
        national = text_paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM")
        assert style_of(national) == (15, True, False)
        # The rule is as long as the text above it.
        rule = rule_after(right, "ĐẢNG CỘNG SẢN VIỆT NAM")
        assert rule_length_pt(rule, right) == pytest.approx(lay.text_width_pt(national.text, 15, bold=True), abs=1)
        date = text_paragraph(right, "Long Biên, ngày 18 tháng 4 năm 2023")
        assert style_of(date) == (14, False, True)
        # No cell borders: the header is a layout table, not a grid.
        assert doc.tables[0]._tbl.tblPr.find(qn("w:tblBorders")) is None
        assert doc.tables[0].style is None or "Grid" not in doc.tables[0].style.name

    def test_party_date_is_not_padded(self):
        header = replace(PARTY_HEADER, date=dt.date(2023, 2, 5))
        doc = docx_of(replace(sample_document(Layout.PARTY), header=header))
        assert "Long Biên, ngày 5 tháng 2 năm 2023" in lines(doc.tables[0].rows[0].cells[1])

    def test_state_header_follows_decree_30(self):
        doc = docx_of(sample_document(Layout.STATE))
        assert_page(doc.sections[0], 20, 20, 30, 15)
        top, bottom = doc.tables[0].rows
        left, right = top.cells
        assert lines(left) == ["UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"]
        assert style_of(left.paragraphs[0]) == (13, False, False)
        assert style_of(left.paragraphs[1]) == (13, True, False)
        issuing_rule = rule_after(left, "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN")
        # A short rule: a third to a half of the issuing body's line.
        assert 0.2 * left.width.pt < rule_length_pt(issuing_rule, left) < 0.5 * left.width.pt
        assert lines(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        assert style_of(right.paragraphs[0]) == (13, True, False)
        assert style_of(right.paragraphs[1]) == (14, True, False)
        motto_rule = rule_after(right, "Độc lập - Tự do - Hạnh phúc")
        assert rule_length_pt(motto_rule, right) == pytest.approx(
            lay.text_width_pt("Độc lập - Tự do - Hạnh phúc", 14, bold=True), abs=1
        )
        number, date = bottom.cells
        assert lines(number) == ["Số: 12/BC-UBND"]  # with a colon
        assert lines(date) == ["Long Biên, ngày 05 tháng 02 năm 2023"]  # day < 10 and month 1–2 padded
        assert style_of(date.paragraphs[0]) == (14, False, True)
        assert date.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER

    def test_state_pads_only_months_one_and_two(self):
        header = replace(STATE_HEADER, date=dt.date(2023, 7, 5))
        doc = docx_of(replace(sample_document(Layout.STATE), header=header))
        assert lines(doc.tables[0].rows[1].cells[1]) == ["Long Biên, ngày 05 tháng 7 năm 2023"]

    def test_a_draft_leaves_a_gap_for_the_number(self):
        party = replace(PARTY_HEADER, number="")
        state = replace(STATE_HEADER, number="")
        assert lay.number_line(party) == "Số       -BC/QU"
        assert lay.number_line(state) == "Số:       /BC-UBND"
        doc = docx_of(replace(sample_document(Layout.STATE, draft=True), header=state))
        assert lines(doc.tables[0].rows[1].cells[0]) == ["Số:       /BC-UBND"]

    def test_a_line_break_in_a_body_name_is_kept(self):
        header = replace(STATE_HEADER, issuing_body="Ủy ban nhân dân\nquận Long Biên")
        doc = docx_of(replace(sample_document(Layout.STATE), header=header))
        assert lines(doc.tables[0].rows[0].cells[0])[1] == "ỦY BAN NHÂN DÂN\nQUẬN LONG BIÊN"
        assert (
            "ỦY BAN NHÂN DÂN\nQUẬN LONG BIÊN"
            in pdf_text(write_pdf(replace(sample_document(Layout.STATE), header=header)))[0]
        )

    def test_type_and_subject_are_centred_and_bold(self):
        for layout, type_size in ((Layout.PARTY, 16), (Layout.STATE, 14)):
            doc = docx_of(sample_document(layout))
            paragraphs = [p for p in doc.paragraphs if p.text]
            kind, subject = paragraphs[0], paragraphs[1]
            assert kind.text == "BÁO CÁO" and style_of(kind) == (type_size, True, False)
            assert subject.text.startswith(("Sơ kết", "Kết quả")) and style_of(subject) == (14, True, False)
            assert kind.alignment == subject.alignment == WD_ALIGN_PARAGRAPH.CENTER

    def test_margins_come_from_the_setting(self):
        with override_settings(REVIEW_MARGINS_MM={"party": (20, 20, 30, 15), "state": (25, 22, 35, 20)}):
            assert_page(docx_of(sample_document(Layout.PARTY)).sections[0], 20, 20, 30, 15)
            assert_page(docx_of(sample_document(Layout.STATE)).sections[0], 25, 22, 35, 20)


class TestDocxBody:
    def test_every_run_is_times_new_roman_in_every_script_slot(self):
        data = write_docx(sample_document(Layout.PARTY, draft=True))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
            xml = {name: archive.read(name).decode() for name in parts}
        doc = read_docx(io.BytesIO(data))
        runs = [run for p in doc.paragraphs for run in p.runs]
        runs += [run for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for run in p.runs]
        section = doc.sections[0]
        runs += [run for h in (section.header, section.first_page_header) for p in h.paragraphs for run in p.runs]
        assert len(runs) > 100
        for run in runs:
            fonts = run._element.rPr.rFonts
            assert [fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")] == [
                "Times New Roman"
            ] * 4, run.text
        defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
        assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
        assert "Calibri" not in xml["word/document.xml"]

    def test_body_is_justified_indented_and_spaced(self):
        doc = docx_of(sample_document(Layout.STATE))
        body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Nghị quyết số 57-NQ/TW"))
        fmt = body.paragraph_format
        assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert style_of(body) == (14, False, False)
        assert fmt.first_line_indent >= Mm(10)
        assert fmt.space_after >= Pt(6)
        assert 1.0 <= fmt.line_spacing <= 1.5
        heading = next(p for p in doc.paragraphs if p.text == "I. KẾT QUẢ THỰC HIỆN")
        assert style_of(heading) == (14, True, False) and heading.paragraph_format.keep_with_next
        assert style_of(next(p for p in doc.paragraphs if p.text.startswith("a) "))) == (14, True, True)
        note = next(p for p in doc.paragraphs if p.text.startswith("Số liệu đã thay đổi"))
        assert style_of(note) == (14, False, True)

    def test_vietnamese_text_is_intact_and_composed(self):
        decomposed = unicodedata.normalize("NFD", "Phường Ngọc Thụy đạt chỉ tiêu")
        document = replace(sample_document(Layout.PARTY), body=(Paragraph(decomposed + " " + DIACRITICS),))
        doc = docx_of(document)
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "Phường Ngọc Thụy đạt chỉ tiêu " + DIACRITICS in text
        assert unicodedata.is_normalized("NFC", text)

    def test_table_numbers_are_written_the_vietnamese_way(self):
        doc = docx_of(sample_document(Layout.PARTY))
        grid = next(t for t in doc.tables if t.rows[0].cells[0].text == "Chỉ tiêu" and len(t.columns) == 5)
        header = grid.rows[0]
        assert [c.text for c in header.cells] == ["Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ"]
        assert all(style_of(c.paragraphs[0])[1] for c in header.cells)  # bold
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
        rows = {row.cells[0].text: [c.text for c in row.cells] for row in grid.rows[1:]}
        assert rows["Thu ngân sách trên địa bàn"] == [
            "Thu ngân sách trên địa bàn",
            "tỷ đồng",
            "36.875,0",
            "45.799,4",
            "124,2%",
        ]
        assert rows["Số lao động được tạo việc làm"][2:] == ["21.000,0", "21.327,0", "101,6%"]
        assert rows["Diện tích cây xanh tăng thêm"][2:] == ["9,3", "—", "—"]
        assert rows["Tuyến phố xanh - sạch - đẹp"][3] == "14/14 phường"
        assert rows["I. Kinh tế"][1:] == ["", "", "", ""]  # a group row has no dashes
        figure = next(r for r in grid.rows if r.cells[0].text == "Thu ngân sách trên địa bàn").cells[3]
        assert figure.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        group = next(r for r in grid.rows if r.cells[0].text == "I. Kinh tế").cells[0]
        assert style_of(group.paragraphs[0])[1]
        texts = [p.text for p in doc.paragraphs]
        assert lay.MISSING_LEGEND in texts and INDICATORS.note in texts

    def test_charts_are_embedded_as_png(self):
        doc = docx_of(sample_document(Layout.STATE))
        assert len(doc.inline_shapes) == 2
        images = [part for part in doc.part.package.parts if part.content_type == "image/png"]
        assert len(images) == 2 and all(part.blob.startswith(PNG_MAGIC) for part in images)
        captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ")]
        assert captions == [RANKING.title, TREND.title]

    def test_signature_and_recipients(self):
        doc = docx_of(sample_document(Layout.PARTY))
        left, right = doc.tables[-1].rows[0].cells
        assert lines(right) == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Được"]
        assert all(style_of(text_paragraph(right, t)) == (14, True, False) for t in lines(right))
        assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in right.paragraphs)
        assert lines(left)[0] == "Nơi nhận:" and style_of(left.paragraphs[0]) == (12, True, True)
        assert lines(left)[1:] == [
            "- Thường trực Thành ủy,",
            "- Các đồng chí Thành ủy viên,",
            "- Lưu Văn phòng Quận ủy.",
        ]
        assert {style_of(text_paragraph(left, t)) for t in lines(left)[1:]} == {(11, False, False)}
        assert doc.tables[-1].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None

    def test_a_draft_leaves_the_name_blank(self):
        document = replace(sample_document(Layout.STATE), signature=Signature("TM. Ủy ban nhân dân", "Chủ tịch"))
        right = docx_of(document).tables[-1].rows[0].cells[1]
        assert lines(right) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]

    def test_page_numbers_from_page_two_and_the_draft_mark(self):
        draft = docx_of(sample_document(Layout.STATE, draft=True)).sections[0]
        assert draft.different_first_page_header_footer
        assert " PAGE " in [e.text for e in draft.header._element.iter(qn("w:instrText"))]
        assert draft.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert [p.text for p in draft.first_page_header.paragraphs] == ["DỰ THẢO"]
        assert not list(draft.first_page_header._element.iter(qn("w:instrText")))  # no number on page 1
        issued = docx_of(sample_document(Layout.STATE)).sections[0]
        assert [p.text for p in issued.first_page_header.paragraphs] == [""]

    def test_a_wide_table_gets_a_landscape_page(self):
        doc = docx_of(sample_document(Layout.STATE))
        orientations = [s.orientation for s in doc.sections]
        assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
        assert doc.sections[1].page_width > doc.sections[1].page_height
        # Only page 1 has the page without a number.
        assert [s.different_first_page_header_footer for s in doc.sections] == [True, False, False]
        assert len(docx_of(sample_document(Layout.STATE, wide=False)).sections) == 1

    def test_an_empty_report_still_writes(self):
        document = OfficialDocument(header=PARTY_HEADER, body=(), signature=Signature("T/M Ban Thường vụ", "Bí thư"))
        doc = docx_of(document)
        assert lines(doc.tables[-1].rows[0].cells[0]) == []  # no recipients, no "Nơi nhận:"


@pytest.fixture(scope="module")
def party() -> bytes:
    return write_pdf(sample_document(Layout.PARTY))


@pytest.fixture(scope="module")
def workbook():
    return load_workbook(io.BytesIO(write_xlsx(sample_document(Layout.STATE, draft=True))))


class TestPdf:
    def test_a_pdf_with_the_vietnamese_text_intact(self, party):
        assert party.startswith(b"%PDF-")
        pages = pdf_text(party)
        text = "\n".join(pages)
        for expected in (
            "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
            "QUẬN ỦY LONG BIÊN",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số 127-BC/QU",
            "Long Biên, ngày 18 tháng 4 năm 2023",
            "BÁO CÁO",
            "Phúc Lợi",
            "Nghị quyết",
            "ỗ ữ ặ ẫ ỹ",
            "ĂÂĐÊÔƠƯ",
            "ăâđêôơư",
            "36.875,0",
            "45.799,4",
            "124,2%",
            "“—”: chưa có số liệu.",
            "Nơi nhận:",
            "T/M BAN THƯỜNG VỤ",
            "Nguyễn Văn Được",
        ):
            assert expected in text, expected
        assert "DỰ THẢO" not in text
        assert len(pages) >= 3
        assert pages[1].lstrip().startswith("2")  # numbered from page 2
        assert not pages[0].lstrip().startswith("1")

    def test_fonts_are_the_vendored_ones_embedded(self, party):
        reader = PdfReader(io.BytesIO(party))
        names = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                names.add(str(font["/BaseFont"]))
                descendant = font["/DescendantFonts"][0].get_object()
                assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not referenced
        assert names and all("LiberationSerif" in name for name in names)

    def test_state_pdf_with_draft_mark_and_padded_date(self):
        pages = pdf_text(write_pdf(sample_document(Layout.STATE, draft=True)))
        assert "DỰ THẢO" in pages[0] and "DỰ THẢO" not in "".join(pages[1:])
        for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 12/BC-UBND"):
            assert expected in pages[0]
        assert "Long Biên, ngày 05 tháng 02 năm 2023" in pages[0]

    def test_a_wide_table_gets_a_landscape_page_with_a_repeated_header(self):
        many = Table(
            title="Bảng dài",
            columns=WIDE.columns,
            rows=tuple(Row((f"Dòng {n}", *range(8))) for n in range(80)),
        )
        document = replace(sample_document(Layout.STATE), body=(Paragraph("Mở đầu."), many, Paragraph("Kết thúc.")))
        reader = PdfReader(io.BytesIO(write_pdf(document)))
        shapes = [(float(p.mediabox.width) > float(p.mediabox.height)) for p in reader.pages]
        assert shapes[0] is False and shapes[-1] is False and shapes[1:-1] and all(shapes[1:-1])
        landscape = [p.extract_text() for p in reader.pages[1:-1]]
        assert len(landscape) >= 2 and all("Phúc Lợi" in text and "Cự Khối" in text for text in landscape)

    def test_page_one_renders(self, party):
        tool = shutil.which("pdftoppm")
        if not tool:
            pytest.skip("pdftoppm not installed: page rendering not checked (apt-get install poppler-utils)")
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "report.pdf"
            source.write_bytes(party)
            subprocess.run(  # noqa: S603 - a fixed tool on a file we wrote
                [tool, "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(Path(folder) / "page")],
                check=True,
                capture_output=True,
            )
            (image,) = Path(folder).glob("page*.png")
            assert image.read_bytes().startswith(PNG_MAGIC)


class TestCharts:
    def test_both_kinds_render_as_png(self):
        for chart in (RANKING, TREND):
            png = render_chart(chart)
            assert png.startswith(PNG_MAGIC) and len(png) > 10_000

    def test_labels_are_vietnamese_numbers(self):
        assert _value_label(12352.75, "tỷ đồng") == "12.352,75"
        assert _value_label(96.5, "%") == "96,5%"
        assert _value_label(97.0, "%") == "97%"
        assert _value_label(8000.0, "tỷ đồng", 0) == "8.000"

    def test_odd_charts_do_not_break(self):
        for chart in (
            Chart(ChartKind.BAR, "Trống", (), ()),
            Chart(ChartKind.LINE, "Trống", (), ()),
            Chart(ChartKind.BAR, "Chưa có số liệu", ("Phúc Lợi", "Bồ Đề"), (Series("2022", (None, None)),)),
            Chart(ChartKind.LINE, "Một điểm", ("2022",), (Series("$ 5", (Decimal("-3.5"),)),), unit="$"),
            Chart(
                ChartKind.BAR, "Âm", ("A", "B"), (Series("x", (Decimal(-2), Decimal(5))), Series("y", (Decimal(1),)))
            ),
        ):
            assert render_chart(chart).startswith(PNG_MAGIC)

    def test_fonts_come_from_the_package(self):
        package = Path(lay.__file__).resolve().parents[1]
        for path in lay.FONT_FILES.values():
            assert path.is_file() and package in path.parents
        assert (lay.FONTS_DIR / "LICENSE").read_text().count("SIL Open Font License") >= 1


class TestXlsx:
    def test_first_sheet_holds_the_header(self, workbook):
        assert workbook.sheetnames == ["Thông tin", "Bảng 1. Kết quả thực hiện các c", "Bảng 2. Kết quả theo phường"]
        info = {row[0]: row[1] for row in workbook["Thông tin"].iter_rows(min_row=3, values_only=True) if row[0]}
        assert info["Cơ quan ban hành"] == "Ủy ban nhân dân quận Long Biên"
        assert info["Số, ký hiệu"] == "Số: 12/BC-UBND"
        assert info["Ngày"] == dt.datetime(2023, 2, 5)
        assert info["Trích yếu"] == STATE_HEADER.subject
        assert info["Tình trạng"] == "Dự thảo"

    def test_figures_are_numbers_with_formats(self, workbook):
        sheet = workbook.worksheets[1]
        assert sheet["A1"].value == INDICATORS.title
        assert [c.value for c in sheet[3]] == ["Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ"]
        rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
        revenue = rows["Thu ngân sách trên địa bàn"]
        assert [c.value for c in revenue] == ["Thu ngân sách trên địa bàn", "tỷ đồng", 36875, 45799.4, 124.2]
        assert [c.number_format for c in revenue[2:]] == ["#,##0.0", "#,##0.0", '#,##0.0"%"']
        assert rows["Số lao động được tạo việc làm"][3].value == 21327
        green = rows["Diện tích cây xanh tăng thêm"]
        assert green[2].value == 9.25 and green[3].value is None  # missing: an empty cell...
        notes = [row[0].value for row in sheet.iter_rows(min_row=4) if row[0].value]
        assert "Ô để trống: chưa có số liệu." in notes  # ...said so under the table
        assert rows["Tuyến phố xanh - sạch - đẹp"][3].value == "14/14 phường"
        assert INDICATORS.note in notes  # every mark intact

    def test_sheets_print_on_a4_with_frozen_repeated_header(self, workbook):
        for sheet in workbook.worksheets[1:]:
            assert sheet.freeze_panes == "A4"
            assert sheet.print_title_rows == "$3:$3"
            assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # "9": A4
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert workbook.worksheets[1].page_setup.orientation == "portrait"
        assert workbook.worksheets[2].page_setup.orientation == "landscape"  # nine columns

    def test_text_stays_text_and_huge_figures_stay_exact(self):
        table = Table(
            title="=Bảng: [thử]*?",
            columns=(Column("Tên"), Column("Giá trị", ColumnKind.DECIMAL, 6)),
            rows=(Row(("=1+1", Decimal("12345678901234.123456"))),),
        )
        document = replace(sample_document(Layout.PARTY), body=(table, table))
        workbook = load_workbook(io.BytesIO(write_xlsx(document)))
        assert workbook.sheetnames[1:] == ["=Bảng thử", "=Bảng thử (2)"]
        sheet = workbook.worksheets[1]
        assert sheet["A4"].value == "=1+1" and sheet["A4"].data_type == "s"
        assert sheet["B4"].value == "12.345.678.901.234,123456"

    def test_sheet_names_excel_accepts(self):
        used = {"thông tin"}
        long = "Bảng 12. Kết quả thực hiện các chỉ tiêu chủ yếu của quận"
        first = sheet_name(long, 12, used)
        used.add(first.casefold())
        second = sheet_name(long, 13, used)
        assert len(first) <= 31 and len(second) <= 31 and first != second
        assert sheet_name("Thông tin", 1, used) == "Thông tin (2)"
        assert sheet_name(" ''/ ", 4, used) == "Bảng 4"
        assert sheet_name("a/b\\c[d]e:f*g?h", 1, set()) == "a b c d e f g h"


class TestMarginsSetting:
    def test_bad_margins_are_refused(self, monkeypatch):
        from tiendo.settings import _margins_mm

        monkeypatch.setenv("REVIEW_MARGINS_MM_PARTY", "20,20,30")
        with pytest.raises(ImproperlyConfigured):
            _margins_mm("REVIEW_MARGINS_MM_PARTY", (25, 25, 35, 15))
        monkeypatch.setenv("REVIEW_MARGINS_MM_PARTY", "20,20,30,x")
        with pytest.raises(ImproperlyConfigured):
            _margins_mm("REVIEW_MARGINS_MM_PARTY", (25, 25, 35, 15))
        monkeypatch.setenv("REVIEW_MARGINS_MM_PARTY", "20, 20, 30, 15")
        assert _margins_mm("REVIEW_MARGINS_MM_PARTY", (25, 25, 35, 15)) == (20, 20, 30, 15)
        monkeypatch.delenv("REVIEW_MARGINS_MM_PARTY")
        assert _margins_mm("REVIEW_MARGINS_MM_PARTY", (25, 25, 35, 15)) == (25, 25, 35, 15)


MIXED = Table(
    title="Bảng 2. Kết quả thực hiện từng chỉ tiêu",
    columns=(
        Column("Chỉ tiêu"),
        Column("Kế hoạch", ColumnKind.DECIMAL, None),
        Column("Thực hiện", ColumnKind.DECIMAL, None),
        Column("Tỷ lệ", ColumnKind.PERCENT, 1),
    ),
    rows=(
        Row(("Số hộ gia đình văn hóa", Decimal("480"), Decimal("497.00"), Decimal("103.5"))),
        Row(("Tỷ lệ hộ gia đình văn hóa", Decimal("80"), Decimal("82.35"), Decimal("102.9"))),
        Row(("Thu ngân sách", Decimal("36875.0"), Decimal("45799.4"), Decimal("124.2"))),
        Row(("Số lớn", Decimal("1E+3"), Decimal("1.20E+4"), None)),
    ),
)


def mixed_document() -> OfficialDocument:
    return replace(sample_document(Layout.PARTY), body=(Paragraph("Bảng số liệu:"), MIXED))


class TestFiguresOfDifferentPrecision:
    """An integer figure next to a 2-decimal one in the same column reads as stored:
    "497" and "82,35", not "497,00"."""

    EXPECTED = {
        "Số hộ gia đình văn hóa": ["480", "497", "103,5%"],
        "Tỷ lệ hộ gia đình văn hóa": ["80", "82,35", "102,9%"],
        "Thu ngân sách": ["36.875", "45.799,4", "124,2%"],
        "Số lớn": ["1.000", "12.000", "—"],  # never "1E+3"
    }

    def test_cell_text(self):
        for row in MIXED.rows:
            texts = [lay.cell_text(v, c) for v, c in zip(row.cells[1:], MIXED.columns[1:], strict=True)]
            assert texts == self.EXPECTED[row.cells[0]]

    def test_docx(self):
        grid = next(t for t in docx_of(mixed_document()).tables if t.rows[0].cells[0].text == "Chỉ tiêu")
        rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in grid.rows[1:]}
        assert rows == self.EXPECTED

    def test_pdf(self):
        text = "\n".join(pdf_text(write_pdf(mixed_document())))
        for texts in self.EXPECTED.values():
            for expected in texts[:2]:
                assert expected in text, expected
        assert "497,00" not in text and "E+" not in text

    def test_xlsx_keeps_numbers_with_a_format_per_cell(self):
        book = load_workbook(io.BytesIO(write_xlsx(mixed_document())))
        rows = {row[0].value: row for row in book.worksheets[1].iter_rows(min_row=4) if row[0].value in self.EXPECTED}
        assert [(c.value, c.number_format) for c in rows["Số hộ gia đình văn hóa"][1:3]] == [(480, "#,##0"), (497, "#,##0")]
        assert [(c.value, c.number_format) for c in rows["Tỷ lệ hộ gia đình văn hóa"][1:3]] == [
            (80, "#,##0"), (82.35, "#,##0.00"),
        ]
        assert [(c.value, c.number_format) for c in rows["Thu ngân sách"][1:3]] == [(36875, "#,##0"), (45799.4, "#,##0.0")]
        assert [(c.value, c.number_format) for c in rows["Số lớn"][1:3]] == [(1000, "#,##0"), (12000, "#,##0")]
        assert rows["Thu ngân sách"][3].number_format == '#,##0.0"%"'  # a fixed column keeps its decimals
