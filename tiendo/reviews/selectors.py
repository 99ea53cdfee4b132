"""Reading review reports for a user's pages, through the scoping layer.

A user sees a review when they may see the unit whose figures it counts: the
district's report is the district's people's, not a ward reporter's. Anything else is
a 404. The report page computes the figures afresh (``builder.compute``, a fixed
number of queries) and shows the document the export would write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can, restrict_by_unit
from tiendo.lib.vn import format_number, format_percent
from tiendo.reviews import builder
from tiendo.reviews import document as doc
from tiendo.reviews.models import Review, ReviewExport
from tiendo.reviews.writers import layout as lay

LIST_LIMIT = 200


def visible_reviews(user: Any) -> QuerySet[Review]:
    return restrict_by_unit(Review.objects.all(), user, "unit")


def review_list(user: Any) -> list[Review]:
    return list(
        visible_reviews(user).select_related("unit", "issuer", "resolution", "program", "theme")[:LIST_LIMIT]
    )


def get_review_or_404(user: Any, pk: Any) -> Review:
    try:
        return visible_reviews(user).select_related("unit", "issuer", "resolution", "program", "theme").get(pk=int(pk))
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy báo cáo.")) from None


def get_export_or_404(user: Any, pk: Any) -> ReviewExport:
    try:
        return ReviewExport.objects.select_related("review").get(
            pk=int(pk), review__in=visible_reviews(user)
        )
    except (ReviewExport.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy tệp.")) from None


# --- The preview: the same OfficialDocument the writers use, with links to the figures' pages


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    link: str = ""


@dataclass(frozen=True)
class PreviewRow:
    cells: list[Cell]
    heading: bool = False


@dataclass(frozen=True)
class PreviewBlock:
    kind: str  # heading, paragraph, table, chart
    block: doc.Block
    rows: list[PreviewRow] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)


def _cell(value: doc.Value, column: doc.Column) -> Cell:
    if value is None:
        return Cell("")
    if isinstance(value, str):
        return Cell(value)
    if column.kind is doc.ColumnKind.PERCENT:
        return Cell(format_percent(value, column.decimals), True)
    # As stored (93,18 and 139), not padded to the column's decimals as a printed table is.
    return Cell(format_number(value), True)


def _preview(document: doc.OfficialDocument, snapshot: dict[str, Any]) -> list[PreviewBlock]:
    """Blocks ready for the template; in the indicator table, each indicator's name
    links to its page, so every figure can be traced to where it comes from."""
    names = [r["id"] for r in snapshot.get("indicators", [])]
    found = []
    for block in document.body:
        if isinstance(block, doc.Heading):
            found.append(PreviewBlock("heading", block))
        elif isinstance(block, doc.Paragraph):
            found.append(PreviewBlock("paragraph", block))
        elif isinstance(block, doc.Table):
            per_indicator = block.title.startswith(builder.INDICATOR_TABLE_PREFIX)
            ids = iter(names)
            rows = []
            for row in block.rows:
                cells = [_cell(v, c) for v, c in zip(row.cells, block.columns, strict=True)]
                if per_indicator and not row.heading:
                    link = reverse("indicators:detail", args=[next(ids)])
                    cells[0] = Cell(cells[0].text, False, link)
                rows.append(PreviewRow(cells, row.heading))
            found.append(PreviewBlock("table", block, rows, [c.title for c in block.columns]))
        else:
            rows = [
                PreviewRow([Cell(label), *[Cell(format_number(s.values[i]), True) for s in block.series]])
                for i, label in enumerate(block.labels)
            ]
            found.append(PreviewBlock("chart", block, rows, ["", *[s.name for s in block.series]]))
    return found


@dataclass(frozen=True)
class PreviewHeader:
    """The header lines as the DOCX and PDF print them (``writers.layout``), so the
    preview shows the same number line and date line as the file."""

    party: bool
    superior_body: str
    issuing_body: str
    number_line: str
    national: str
    motto: str
    place_date: str
    doc_type: str
    subject: str


def preview_header(header: doc.Header) -> PreviewHeader:
    party = header.layout is doc.Layout.PARTY
    return PreviewHeader(
        party=party,
        superior_body=header.superior_body.upper(),
        issuing_body=header.issuing_body.upper(),
        number_line=lay.number_line(header),
        national=lay.national_title(header.layout),
        motto="" if party else lay.STATE_MOTTO,
        place_date=lay.place_date_line(header),
        doc_type=header.doc_type.upper(),
        subject=header.subject,
    )


@dataclass
class ReviewPage:
    review: Review
    snapshot: dict[str, Any]
    document: doc.OfficialDocument
    blocks: list[PreviewBlock]
    header: PreviewHeader
    text: str  # what the textarea offers: the text in use
    stale: bool
    regenerated: bool  # the data changed and the text was rewritten from them
    no_data: str
    may_edit: bool
    exports: list[ReviewExport]


def review_page(user: Any, review: Review) -> ReviewPage:
    snapshot = builder.compute(review)
    document = builder.compose(review, snapshot)
    exports = list(review.exports.all()[:10])
    return ReviewPage(
        review=review,
        snapshot=snapshot,
        document=document,
        blocks=_preview(document, snapshot),
        header=preview_header(document.header),
        text=builder.text_for(review, snapshot),
        stale=builder.is_stale(review, snapshot),
        regenerated=not review.keep_edit and review.fingerprint != snapshot["fingerprint"],
        no_data="" if snapshot["has_data"] else builder.no_data_sentence(snapshot),
        may_edit=can(user, Action.REVIEW, review.issuer),
        exports=exports,
    )
