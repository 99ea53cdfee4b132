"""A review report as a PDF in the official format, in pure Python (decision 0020).

The same page as the DOCX writer draws (tiendo.reviews.writers.docx), set with fpdf2
in the vendored Liberation Serif, the free font with Times New Roman's metrics: the
two-column header with its rules, the type and subject, the justified body with its
headings, tables whose header row repeats on every page, the same chart PNGs, page
numbers centred in the top margin from page 2, "Nơi nhận:" and the signature. A
table of eight columns or more gets a landscape page, as in the DOCX.

fpdf2 does not lay out text as Word does, so the PDF is close to the DOCX, not
identical: line breaks can fall a word apart. The DOCX stays the file to edit; this
one is for reading and printing as it is.
"""

from __future__ import annotations

import io
import logging

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from PIL import Image

from tiendo.reviews.document import (
    Chart,
    Header,
    Heading,
    Layout,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from tiendo.reviews.writers import layout as lay
from tiendo.reviews.writers.charts import render_chart

# fontTools logs every table it prunes while subsetting the font, at INFO: a dozen
# lines per PDF in the server log, with nothing to act on.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FAMILY = "LiberationSerif"
PT = 25.4 / 72  # one point in mm
SINGLE = 1.15  # Word's "single" line for Times New Roman, in ems
RULE_MM = 0.3
WIDE_TABLE_COLUMNS = 8
CHART_WIDTH_MM = 160
SIGNATURE_GAP_MM = 25  # room for the signature and the seal


def _line_height(size: float, spacing: float = 1.0) -> float:
    return size * PT * SINGLE * spacing


class _Pdf(FPDF):
    """An A4 page with the document's margins; the page header prints "DỰ THẢO" on
    page 1 of a draft and the page number, centred in the top margin, from page 2."""

    def __init__(self, margins: lay.Margins, *, draft: bool) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.draft = draft
        self.set_margins(margins.left, margins.top, margins.right)
        self.set_auto_page_break(auto=True, margin=margins.bottom)
        for style, path in lay.FONT_FILES.items():
            self.add_font(FAMILY, style, str(path))

    def header(self) -> None:
        top = self.t_margin
        if self.page_no() == 1:
            if self.draft:
                self.set_font(FAMILY, "B", 12)
                width = self.get_string_width(lay.DRAFT_MARK) + 4
                self.set_xy(self.w - self.r_margin - width, max(5.0, top / 2 - 3))
                self.cell(width, 6, lay.DRAFT_MARK, border=1, align=Align.C)
        else:
            self.set_font(FAMILY, "", lay.PAGE_NUMBER_SIZE)
            self.set_xy(self.l_margin, max(5.0, top / 2 - 3))
            self.cell(self.epw, 6, str(self.page_no()), align=Align.C)
        self.set_xy(self.l_margin, top)


def write_pdf(document: OfficialDocument) -> bytes:
    """The document as the bytes of a PDF file."""
    header = document.header
    margins = lay.margins(header.layout)
    pdf = _Pdf(margins, draft=document.draft)
    pdf.set_title(lay.nfc(f"{header.doc_type} {header.subject}"))
    pdf.set_subject(lay.nfc(header.subject))
    pdf.set_author(lay.nfc(header.issuing_body))
    pdf.set_creator("tiendo")
    pdf.set_lang("vi-VN")
    pdf.add_page()
    _header_block(pdf, header)
    _title(pdf, header)
    landscape = False
    for block in document.body:
        wide = isinstance(block, Table) and len(block.columns) >= WIDE_TABLE_COLUMNS
        if wide != landscape:
            pdf.add_page(orientation="landscape" if wide else "portrait")
            landscape = wide
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            _body_paragraph(pdf, block.text, style=("B" if block.bold else "") + ("I" if block.italic else ""))
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Chart):
            _chart(pdf, block)
    if landscape:
        pdf.add_page(orientation="portrait")
    for note in document.notes:
        _body_paragraph(pdf, note, style="I")
    _signature(pdf, document.signature, document.recipients)
    return bytes(pdf.output())


# --- Lines --------------------------------------------------------------------------


def _text(
    pdf: _Pdf,
    x: float,
    y: float,
    width: float,
    text: str,
    size: float,
    *,
    style: str = "",
    align: Align = Align.C,
    spacing: float = 1.0,
) -> float:
    """Lines of text in a column from (x, y); returns the y under them. A "\\n" breaks
    the line where the builder wants it, as in the DOCX."""
    pdf.set_font(FAMILY, style, size)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, _line_height(size, spacing), lay.nfc(text), align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
    return pdf.get_y()


def _rule(pdf: _Pdf, centre: float, y: float, length: float) -> float:
    pdf.set_line_width(RULE_MM)
    pdf.line(centre - length / 2, y, centre + length / 2, y)
    return y + 1


def _rule_under(pdf: _Pdf, text: str, size: float, centre: float, y: float, room: float, share: float = 1.0) -> float:
    """A rule under a centred line, ``share`` of its length (at most the column)."""
    length = min(room, lay.text_width_pt(text, size, bold=True) * PT) * share
    return _rule(pdf, centre, y + 0.6, length)


# --- Header -------------------------------------------------------------------------


def _header_block(pdf: _Pdf, header: Header) -> None:
    sizes = lay.SIZES[header.layout]
    x = pdf.l_margin
    left_width = pdf.epw * lay.HEADER_LEFT_SHARE[header.layout]
    right_x, right_width = x + left_width, pdf.epw - left_width
    left_centre, right_centre = x + left_width / 2, right_x + right_width / 2
    top = pdf.t_margin
    national = lay.national_title(header.layout)
    if header.layout is Layout.PARTY:
        y = _text(pdf, x, top, left_width, header.superior_body.upper(), sizes.superior)
        y = _text(pdf, x, y, left_width, header.issuing_body.upper(), sizes.issuing, style="B")
        y = _text(pdf, x, y, left_width, lay.PARTY_STAR, sizes.issuing)
        left_bottom = _text(pdf, x, y, left_width, lay.number_line(header), sizes.number)
        y = _text(pdf, right_x, top, right_width, national, sizes.national, style="B")
        y = _rule_under(pdf, national, sizes.national, right_centre, y, right_width)
        right_bottom = _text(
            pdf, right_x, y + 5.5, right_width, lay.place_date_line(header), sizes.date, style="I", align=Align.R
        )
        pdf.set_y(max(left_bottom, right_bottom))
        return
    y = _text(pdf, x, top, left_width, header.superior_body.upper(), sizes.superior)
    issuing = header.issuing_body.upper()
    y = _text(pdf, x, y, left_width, issuing, sizes.issuing, style="B")
    left_bottom = _rule_under(pdf, issuing, sizes.issuing, left_centre, y, left_width, share=0.4)
    y = _text(pdf, right_x, top, right_width, national, sizes.national, style="B")
    y = _text(pdf, right_x, y, right_width, lay.STATE_MOTTO, sizes.motto, style="B")
    right_bottom = _rule_under(pdf, lay.STATE_MOTTO, sizes.motto, right_centre, y, right_width)
    y = max(left_bottom, right_bottom) + 2
    left_bottom = _text(pdf, x, y, left_width, lay.number_line(header), sizes.number)
    right_bottom = _text(pdf, right_x, y, right_width, lay.place_date_line(header), sizes.date, style="I")
    pdf.set_y(max(left_bottom, right_bottom))


def _title(pdf: _Pdf, header: Header) -> None:
    sizes = lay.SIZES[header.layout]
    x = pdf.l_margin
    y = _text(pdf, x, pdf.get_y() + 8, pdf.epw, header.doc_type.upper(), sizes.doc_type, style="B")
    y = _text(pdf, x, y, pdf.epw, header.subject, sizes.subject, style="B")
    if header.layout is Layout.PARTY:
        y = _text(pdf, x, y, pdf.epw, lay.PARTY_SUBJECT_DASHES, sizes.subject)
    else:
        y = _rule_under(pdf, header.subject, sizes.subject, x + pdf.epw / 2, y, pdf.epw, share=0.35)
    pdf.set_y(y + 4)


# --- Body ---------------------------------------------------------------------------


def _room(pdf: _Pdf, height: float) -> None:
    """Start a new page unless ``height`` mm still fit: keeps a heading or a caption
    with what follows it."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page(orientation=str(pdf.cur_orientation.value))


def _heading(pdf: _Pdf, heading: Heading) -> None:
    _room(pdf, 4 * _line_height(lay.BODY_SIZE, lay.LINE_SPACING))
    pdf.set_y(pdf.get_y() + lay.PARAGRAPH_SPACE_PT * PT)
    _body_paragraph(pdf, heading.text, style="BI" if heading.level >= 3 else "B")


def _body_paragraph(pdf: _Pdf, text: str, *, style: str = "") -> None:
    pdf.set_font(FAMILY, style, lay.BODY_SIZE)
    for part in lay.nfc(text).split("\n"):
        with (
            pdf.text_columns(text_align=Align.J, line_height=SINGLE * lay.LINE_SPACING) as columns,
            columns.paragraph(
                first_line_indent=lay.FIRST_LINE_INDENT_MM, bottom_margin=lay.PARAGRAPH_SPACE_PT * PT
            ) as paragraph,
        ):
            paragraph.write(part)


def _table(pdf: _Pdf, table: Table) -> None:
    size = lay.TABLE_SIZE
    _room(pdf, 30)
    if table.title:
        y = _text(pdf, pdf.l_margin, pdf.get_y() + 2, pdf.epw, table.title, lay.CAPTION_SIZE, style="B")
        pdf.set_y(y + 2)
    shares = lay.column_shares(table, pdf.epw / PT)
    aligns = tuple(Align.R if lay.is_numeric(column) else Align.L for column in table.columns)
    pdf.set_font(FAMILY, "", size)
    pdf.set_line_width(0.2)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=shares,
        width=pdf.epw,
        align=Align.L,  # "centre" would centre on the paper, not between the unequal margins
        text_align=aligns,
        line_height=_line_height(size),
        headings_style=bold,
        repeat_headings=1,  # the header row again on every page the table runs onto
        borders_layout=TableBordersLayout.ALL,
        padding=(0.8, 1.5),
    ) as grid:
        head = grid.row()
        for column in table.columns:
            head.cell(lay.nfc(column.title), align=Align.C)
        for data in table.rows:
            row = grid.row()
            for column, value in zip(table.columns, data.cells, strict=False):
                text = "" if data.heading and value is None else lay.cell_text(value, column)
                row.cell(lay.nfc(text), style=bold if data.heading else None)
    notes = [table.note] if table.note else []
    if lay.table_has_missing(table):
        notes.append(lay.MISSING_LEGEND)
    y = pdf.get_y() + 1
    for note in notes:
        y = _text(pdf, pdf.l_margin, y, pdf.epw, note, lay.NOTE_SIZE, style="I", align=Align.L)
    pdf.set_y(y + lay.PARAGRAPH_SPACE_PT * PT)


def _chart(pdf: _Pdf, chart: Chart) -> None:
    png = render_chart(chart)
    with Image.open(io.BytesIO(png)) as image:
        pixels_wide, pixels_high = image.size
    width = min(pdf.epw, CHART_WIDTH_MM)
    height = width * pixels_high / pixels_wide
    caption = _line_height(lay.CAPTION_SIZE) + 3 if chart.title else 0
    _room(pdf, caption + height)
    y = pdf.get_y()
    if chart.title:
        y = _text(pdf, pdf.l_margin, y + 2, pdf.epw, chart.title, lay.CAPTION_SIZE, style="B") + 1
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, y=y, w=width, h=height)
    pdf.set_y(y + height + lay.PARAGRAPH_SPACE_PT * PT)


# --- Signature and recipients -------------------------------------------------------


def _signature(pdf: _Pdf, signature: Signature, recipients: tuple[str, ...]) -> None:
    left_width = pdf.epw * lay.SIGNATURE_LEFT_SHARE
    right_x, right_width = pdf.l_margin + left_width, pdf.epw - left_width
    recipients_height = _line_height(lay.RECIPIENTS_LABEL_SIZE) + len(recipients) * _line_height(lay.RECIPIENTS_SIZE)
    signature_height = 3 * _line_height(lay.BODY_SIZE) + SIGNATURE_GAP_MM
    _room(pdf, 5 + max(recipients_height, signature_height))  # the block stays on one page
    top = pdf.get_y() + 5
    y = top
    if recipients:
        y = _text(
            pdf, pdf.l_margin, y, left_width, lay.RECIPIENTS_LABEL, lay.RECIPIENTS_LABEL_SIZE, style="BI", align=Align.L
        )
        for item in recipients:
            y = _text(pdf, pdf.l_margin, y, left_width, item, lay.RECIPIENTS_SIZE, align=Align.L)
    left_bottom = y
    y = _text(pdf, right_x, top, right_width, signature.on_behalf.upper(), lay.BODY_SIZE, style="B")
    y = _text(pdf, right_x, y, right_width, signature.title.upper(), lay.BODY_SIZE, style="B") + SIGNATURE_GAP_MM
    if signature.name:
        y = _text(pdf, right_x, y, right_width, signature.name, lay.BODY_SIZE, style="B")
    pdf.set_y(max(left_bottom, y))
