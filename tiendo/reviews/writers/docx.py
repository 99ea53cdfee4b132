"""A review report as a Word file in the official format (decision 0019).

Party committees follow Hướng dẫn 36-HD/VPTW, People's Committees Nghị định
30/2020/NĐ-CP (docs/formats.md, decision 0019): A4, Times New Roman, the
two-column header, the type and subject centred, justified body, the signature at
the bottom right and "Nơi nhận:" at the bottom left, page numbers from page 2.

The header and the signature are tables without borders, which is how these
documents are typed by hand in Word, so a clerk who edits the file finds what they
expect. A rule under a header line is an empty paragraph with a bottom border, its
indents set so that the line is as long as the text above it (measured on the
vendored Liberation Serif, which has Times New Roman's metrics): a border on the
text's own paragraph would squeeze the text between the same indents.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Emu, Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

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

A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297
CELL_PADDING_PT = 5.4  # Word's default left and right cell margin (0,19 cm)
WIDE_TABLE_COLUMNS = 8  # a table with more columns gets a landscape page (Nghị định 30)
RULE_WEIGHT = 6  # eighths of a point: a 0,75 pt line
SIGNATURE_GAP_LINES = 4  # room for the signature and the seal

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def write_docx(document: OfficialDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    doc = new_document()
    header = document.header
    margins = lay.margins(header.layout)
    _defaults(doc)
    section = doc.sections[0]
    _page(section, margins, landscape=False)
    _page_headers(section, margins, draft=document.draft)
    text_width = _text_width(margins, landscape=False)

    _header_block(doc, header, text_width)
    _title(doc, header, text_width)
    landscape = False
    for block in document.body:
        wide = isinstance(block, Table) and len(block.columns) >= WIDE_TABLE_COLUMNS
        if wide != landscape:
            _new_section(doc, margins, landscape=wide)
            landscape = wide
        if isinstance(block, Heading):
            _heading(doc, block)
        elif isinstance(block, Paragraph):
            _body_paragraph(doc, block.text, bold=block.bold, italic=block.italic)
        elif isinstance(block, Table):
            _table(doc, block, _text_width(margins, landscape=landscape))
        elif isinstance(block, Chart):
            _chart(doc, block, text_width)
    if landscape:
        _new_section(doc, margins, landscape=False)
    for note in document.notes:
        _body_paragraph(doc, note, italic=True)
    _signature(doc, document.signature, document.recipients, text_width)

    properties = doc.core_properties
    properties.title = lay.nfc(f"{header.doc_type} {header.subject}")
    properties.subject = lay.nfc(header.subject)
    properties.author = lay.nfc(header.issuing_body)
    properties.language = "vi-VN"
    properties.comments = lay.DRAFT_MARK if document.draft else ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- Fonts and paragraphs ------------------------------------------------------------


def _set_fonts(rpr: object) -> None:
    """Times New Roman for every script slot. Word picks the slot by character, and
    some of the Vietnamese letters fall in ranges it may treat as East Asian or
    complex script; setting one slot only gives a mixed-font line."""
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), lay.FONT_NAME)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _defaults(doc: Document) -> None:
    """The document's default run: Times New Roman 14, Vietnamese (for the spell
    checker), black; so even the paragraph marks and fields use it."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    normal = doc.styles["Normal"]
    normal.font.name = lay.FONT_NAME
    normal.font.size = Pt(lay.BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)


def _run(paragraph: DocxParagraph, text: str, size: float, *, bold: bool = False, italic: bool = False) -> None:
    """A run of text; a "\n" in it is a line break inside the paragraph (the report
    builder may break a long body name where a clerk would: "ỦY BAN NHÂN DÂN\nQUẬN …")."""
    for index, part in enumerate(lay.nfc(text).split("\n")):
        run = paragraph.add_run(part)
        if index:
            run.add_break()
            # add_break appends after the text: move the break in front of it.
            run._r.insert(run._r.index(run._r.find(qn("w:t"))), run._r[-1])
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
        _set_fonts(run._element.get_or_add_rPr())


def _format(
    paragraph: DocxParagraph,
    align: str,
    *,
    before: float = 0,
    after: float = 0,
    line: float = 1.0,
    first_indent: Length | None = None,
    keep_next: bool = False,
    mark_size: float | None = None,
) -> DocxParagraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    if first_indent is not None:
        fmt.first_line_indent = first_indent
    fmt.keep_with_next = keep_next
    if mark_size is not None:
        # The paragraph mark's size sets the height of an empty paragraph.
        rpr = paragraph._p.get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(int(mark_size * 2)))
        mark.append(size)
        rpr.append(mark)
    return paragraph


def _line(
    container: Document | _Cell,
    text: str,
    size: float,
    align: str,
    *,
    bold: bool = False,
    italic: bool = False,
    before: float = 0,
    after: float = 0,
) -> DocxParagraph:
    """One line of a header block or of the signature, in a cell or in the body."""
    paragraph = _next_paragraph(container)
    _format(paragraph, align, before=before, after=after)
    _run(paragraph, text, size, bold=bold, italic=italic)
    return paragraph


def _next_paragraph(container: Document | _Cell) -> DocxParagraph:
    """A new cell already holds one empty paragraph: use it before adding another."""
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
            return paragraphs[0]
    return container.add_paragraph()


def _border(paragraph: DocxParagraph, sides: tuple[str, ...], *, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(RULE_WEIGHT))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # pBdr must come before the spacing and alignment elements (CT_PPr's order).
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        anchor = ppr.find(qn("w:jc"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def _rule(cell: _Cell, width_pt: float, cell_width: Length) -> DocxParagraph:
    """A solid line ``width_pt`` long, centred in the cell, under the previous line."""
    room = Emu(cell_width).pt - 2 * CELL_PADDING_PT
    indent = max(0.0, (room - width_pt) / 2)
    paragraph = _next_paragraph(cell)
    _format(paragraph, "center", before=1, mark_size=2)
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    fmt.left_indent = Pt(indent)
    fmt.right_indent = Pt(indent)
    _border(paragraph, ("bottom",), space=0)
    return paragraph


# --- Page ---------------------------------------------------------------------------


def _page(section: Section, margins: lay.Margins, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = Mm(margins.top)
    section.bottom_margin = Mm(margins.bottom)
    section.left_margin = Mm(margins.left)
    section.right_margin = Mm(margins.right)
    section.header_distance = Mm(min(12, margins.top / 2))
    section.footer_distance = Mm(min(12, margins.bottom / 2))


def _text_width(margins: lay.Margins, *, landscape: bool) -> Length:
    paper = A4_HEIGHT_MM if landscape else A4_WIDTH_MM
    return Mm(paper - margins.left - margins.right)


def _page_headers(section: Section, margins: lay.Margins, *, draft: bool) -> None:
    """Page numbers centred in the top margin from page 2 (Nghị định 30; used for
    Party documents too), through a first-page header of its own; a draft's first
    page carries a small boxed "DỰ THẢO" at the top right."""
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    _format(number, "center")
    _page_field(number)
    first = section.first_page_header.paragraphs[0]
    _format(first, "right")
    if draft:
        width = lay.text_width_pt(lay.DRAFT_MARK, 12, bold=True) + 8
        room = _text_width(margins, landscape=False).pt
        first.paragraph_format.left_indent = Pt(max(0.0, room - width))
        _format(first, "center")
        _run(first, lay.DRAFT_MARK, 12, bold=True)
        _border(first, ("top", "left", "bottom", "right"), space=2)


def _page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field, written as Word writes it (begin, instruction, separate, end)."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(lay.PAGE_NUMBER_SIZE)
        _set_fonts(run._element.get_or_add_rPr())
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    run.font.size = Pt(lay.PAGE_NUMBER_SIZE)
    _set_fonts(run._element.get_or_add_rPr())
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run._r.append(instruction)
    char("separate")
    _run(paragraph, "2", lay.PAGE_NUMBER_SIZE)
    char("end")


def _new_section(doc: Document, margins: lay.Margins, *, landscape: bool) -> Section:
    """A new section for a wide table (landscape) or back to portrait after it; its
    pages all show the page number, as it never holds page 1."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, margins, landscape=landscape)
    section.different_first_page_header_footer = False
    return section


# --- Header -------------------------------------------------------------------------


def _borderless_table(doc: Document, rows: int, widths: tuple[Length, ...]) -> DocxTable:
    table = doc.add_table(rows=rows, cols=len(widths))  # the default style has no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def _header_block(doc: Document, header: Header, text_width: Length) -> None:
    sizes = lay.SIZES[header.layout]
    left_width = Emu(int(text_width * lay.HEADER_LEFT_SHARE[header.layout]))
    right_width = Emu(text_width - left_width)
    national = lay.national_title(header.layout)
    if header.layout is Layout.PARTY:
        table = _borderless_table(doc, 1, (left_width, right_width))
        left, right = table.rows[0].cells
        _line(left, header.superior_body.upper(), sizes.superior, "center")
        _line(left, header.issuing_body.upper(), sizes.issuing, "center", bold=True)
        _line(left, lay.PARTY_STAR, sizes.issuing, "center")
        _line(left, lay.number_line(header), sizes.number, "center")
        _line(right, national, sizes.national, "center", bold=True)
        _rule(right, lay.text_width_pt(national, sizes.national, bold=True), right_width)
        _line(right, lay.place_date_line(header), sizes.date, "right", italic=True, before=18)
        return
    table = _borderless_table(doc, 2, (left_width, right_width))
    left, right = table.rows[0].cells
    _line(left, header.superior_body.upper(), sizes.superior, "center")
    issuing = header.issuing_body.upper()
    _line(left, issuing, sizes.issuing, "center", bold=True)
    # Nghị định 30: a rule a third to a half as long as the issuing body's line.
    room = Emu(left_width).pt - 2 * CELL_PADDING_PT
    _rule(left, 0.4 * min(room, lay.text_width_pt(issuing, sizes.issuing, bold=True)), left_width)
    _line(right, national, sizes.national, "center", bold=True)
    _line(right, lay.STATE_MOTTO, sizes.motto, "center", bold=True)
    _rule(right, lay.text_width_pt(lay.STATE_MOTTO, sizes.motto, bold=True), right_width)
    left, right = table.rows[1].cells
    _line(left, lay.number_line(header), sizes.number, "center", before=6)
    _line(right, lay.place_date_line(header), sizes.date, "center", italic=True, before=6)


def _title(doc: Document, header: Header, text_width: Length) -> None:
    sizes = lay.SIZES[header.layout]
    _line(doc, header.doc_type.upper(), sizes.doc_type, "center", bold=True, before=24)
    subject = _line(doc, header.subject, sizes.subject, "center", bold=True)
    subject.paragraph_format.keep_with_next = True
    if header.layout is Layout.PARTY:
        _line(doc, lay.PARTY_SUBJECT_DASHES, sizes.subject, "center", after=12)
        return
    # Nghị định 30: a short rule under the subject, a third to a half of its line.
    paragraph = doc.add_paragraph()
    room = Emu(text_width).pt
    width = 0.35 * min(room, lay.text_width_pt(header.subject, sizes.subject, bold=True))
    _format(paragraph, "center", before=3, after=12, mark_size=2)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(4)
    paragraph.paragraph_format.left_indent = Pt((room - width) / 2)
    paragraph.paragraph_format.right_indent = Pt((room - width) / 2)
    _border(paragraph, ("top",), space=0)


# --- Body ---------------------------------------------------------------------------


def _heading(doc: Document, heading: Heading) -> None:
    paragraph = doc.add_paragraph()
    _format(
        paragraph,
        "justify",
        before=lay.PARAGRAPH_SPACE_PT,
        after=lay.PARAGRAPH_SPACE_PT,
        line=lay.LINE_SPACING,
        first_indent=Mm(lay.FIRST_LINE_INDENT_MM),
        keep_next=True,
    )
    _run(paragraph, heading.text, lay.BODY_SIZE, bold=True, italic=heading.level >= 3)


def _body_paragraph(doc: Document, text: str, *, bold: bool = False, italic: bool = False) -> None:
    for part in text.split("\n"):
        paragraph = doc.add_paragraph()
        _format(
            paragraph,
            "justify",
            after=lay.PARAGRAPH_SPACE_PT,
            line=lay.LINE_SPACING,
            first_indent=Mm(lay.FIRST_LINE_INDENT_MM),
        )
        _run(paragraph, part, lay.BODY_SIZE, bold=bold, italic=italic)


def _column_widths(table: Table, text_width: Length) -> list[Length]:
    """Widths from the cells' contents (``layout.column_shares``), as in the PDF."""
    total = text_width.pt
    return [Emu(int(text_width * width / total)) for width in lay.column_shares(table, total)]


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def _no_split(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))


def _table(doc: Document, table: Table, text_width: Length) -> None:
    if table.title:
        _line(
            doc, table.title, lay.CAPTION_SIZE, "center", bold=True, before=6, after=6
        ).paragraph_format.keep_with_next = True
    widths = _column_widths(table, text_width)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    head = grid.rows[0]
    _repeat_header(head)
    _no_split(head)
    for cell, column, width in zip(head.cells, table.columns, widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _line(cell, column.title, lay.TABLE_SIZE, "center", bold=True, before=2, after=2)
    for row, data in zip(grid.rows[1:], table.rows, strict=True):
        _no_split(row)
        for cell, column, width, value in zip(row.cells, table.columns, widths, data.cells, strict=False):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = "right" if lay.is_numeric(column) else "left"
            text = "" if data.heading and value is None else lay.cell_text(value, column)
            _line(cell, text, lay.TABLE_SIZE, align, bold=data.heading, before=2, after=2)
    notes = [table.note] if table.note else []
    if lay.table_has_missing(table):
        notes.append(lay.MISSING_LEGEND)
    for index, note in enumerate(notes):
        _line(
            doc, note, lay.NOTE_SIZE, "left", italic=True, before=3 if index == 0 else 0, after=lay.PARAGRAPH_SPACE_PT
        )
    if not notes:
        _format(doc.add_paragraph(), "left", after=lay.PARAGRAPH_SPACE_PT, mark_size=4)


def _chart(doc: Document, chart: Chart, text_width: Length) -> None:
    if chart.title:
        _line(doc, chart.title, lay.CAPTION_SIZE, "center", bold=True, before=6).paragraph_format.keep_with_next = True
    paragraph = doc.add_paragraph()
    _format(paragraph, "center", after=lay.PARAGRAPH_SPACE_PT)
    run = paragraph.add_run()
    _set_fonts(run._element.get_or_add_rPr())
    run.add_picture(io.BytesIO(render_chart(chart)), width=Emu(min(int(text_width), Mm(160))))


# --- Signature and recipients -------------------------------------------------------


def _signature(doc: Document, signature: Signature, recipients: tuple[str, ...], text_width: Length) -> None:
    left_width = Emu(int(text_width * lay.SIGNATURE_LEFT_SHARE))
    table = _borderless_table(doc, 1, (left_width, Emu(text_width - left_width)))
    # Keep the block on one page, so the signature never stands alone on the last one.
    _no_split(table.rows[0])
    left, right = table.rows[0].cells
    if recipients:
        _line(left, lay.RECIPIENTS_LABEL, lay.RECIPIENTS_LABEL_SIZE, "left", bold=True, italic=True, before=12)
        for item in recipients:
            _line(left, item, lay.RECIPIENTS_SIZE, "left")
    _line(right, signature.on_behalf.upper(), lay.BODY_SIZE, "center", bold=True, before=12)
    _line(right, signature.title.upper(), lay.BODY_SIZE, "center", bold=True)
    for _gap in range(SIGNATURE_GAP_LINES):
        _line(right, "", lay.BODY_SIZE, "center")
    if signature.name:
        _line(right, signature.name, lay.BODY_SIZE, "center", bold=True)
