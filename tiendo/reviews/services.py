"""Every change to review reports: create, edit the text, rewrite from the data, export.

Each function takes the acting user, checks scope, validates everything before
writing, runs in one transaction and writes the audit row. A refusal is a
``ValidationError`` in Vietnamese and nothing is written.

Exports run in the background without an extra server: ``request_export`` queues a
``ReviewExport`` and, after the commit, starts ``run_export`` in a daemon thread of
the web process. ``run_export`` first claims the row with a conditional UPDATE
(queued → running), so the ``run_jobs`` command (which picks up exports left queued,
say after a restart) and several app servers never run one export twice. With
``REVIEW_EXPORT_INLINE`` (the test settings) the export runs at once, in the caller.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can, restrict_by_issuer
from tiendo.audit.models import AuditEntry
from tiendo.audit.services import record
from tiendo.audit.services import snapshot as audit_snapshot
from tiendo.lib import periods
from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit, UnitKind
from tiendo.plans.models import Program, Resolution, Theme
from tiendo.plans.selectors import visible_programs, visible_resolutions
from tiendo.reviews import builder
from tiendo.reviews.models import Review, ReviewExport

log = logging.getLogger("tiendo.reviews")

MAX_TEXT = 200_000
PARTY_KINDS = {UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_ORG}
PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Thị trấn ")
PARTY_BODY_SYMBOL: dict[str, str] = {UnitKind.CITY: "TU", UnitKind.DISTRICT: "QU", UnitKind.WARD: "ĐU", UnitKind.COMMUNE: "ĐU"}
# A running export older than this was cut off (a restart): it is marked failed.
STALE_RUNNING = dt.timedelta(minutes=30)


def _audited(review: Review) -> dict[str, Any]:
    """The review as the audit log keeps it: without the (large, recomputable) snapshot."""
    data = audit_snapshot(review)
    data.pop("snapshot", None)
    return data


# --- Creating


def _territory(issuer: OrgUnit, day: dt.date) -> tuple[OrgUnit, str, OrgUnit | None]:
    """The territorial unit an issuer stands for (the district for its Party
    committee), its name on ``day``, and the unit above it."""
    version = builder.unit_version(issuer, day)
    unit = issuer
    if issuer.kind not in UnitKind.territorial() and version.parent_id is not None:
        unit = OrgUnit.objects.get(pk=version.parent_id)
        version = builder.unit_version(unit, day)
    parent = OrgUnit.objects.get(pk=version.parent_id) if version.parent_id else None
    return unit, version.name, parent


def _place(name: str) -> str:
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@builder.in_document_language
def _default_subject(kind: str, subject: str, period: periods.Period) -> str:
    templates = {
        Review.Kind.MIDTERM: _("Sơ kết giữa nhiệm kỳ thực hiện %(subject)s"),
        Review.Kind.FINAL: _("Tổng kết thực hiện %(subject)s"),
        Review.Kind.QUARTERLY: _("Kết quả thực hiện %(subject)s %(period)s"),
        Review.Kind.YEARLY: _("Kết quả thực hiện %(subject)s %(period)s"),
        Review.Kind.THEMATIC: _("Chuyên đề về %(subject)s"),
    }
    return templates[kind] % {"subject": subject, "period": period.label}  # type: ignore[index]


def create_review(
    actor: Any,
    *,
    kind: str,
    period_code: str,
    resolution: Resolution | None = None,
    program: Program | None = None,
    theme: Theme | None = None,
    unit: OrgUnit | None = None,
    issuer: OrgUnit | None = None,
    as_of: dt.date | None = None,
    layout: str = "",
    number: str = "",
    subject: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients: str = "",
) -> Review:
    """A new review report with its figures computed and its text written from them."""
    if kind not in Review.Kind.values:
        raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")})
    chosen = [x for x in (resolution, program, theme) if x is not None]
    if not chosen:
        raise ValidationError(_("Hãy chọn nghị quyết, chương trình hoặc chủ đề mà báo cáo tổng hợp."))
    if len(chosen) > 1:
        raise ValidationError(_("Mỗi báo cáo chỉ về một nội dung: chọn nghị quyết, hoặc chương trình, hoặc chủ đề."))
    if resolution is not None and not visible_resolutions(actor).filter(pk=resolution.pk).exists():
        raise ValidationError(_("Bạn không có quyền xem nghị quyết này."))
    if program is not None and not visible_programs(actor).filter(pk=program.pk).exists():
        raise ValidationError(_("Bạn không có quyền xem chương trình này."))
    if theme is not None and not restrict_by_issuer(Theme.objects.all(), actor).filter(pk=theme.pk).exists():
        raise ValidationError(_("Bạn không có quyền xem chủ đề này."))
    try:
        period = periods.parse(period_code)
    except ValueError as error:
        raise ValidationError({"period_code": str(error)}) from None
    as_of = as_of or min(today(), period.last_day)
    if not period.contains_day(as_of):
        raise ValidationError(
            {"as_of": _("Ngày tính số liệu %(day)s nằm ngoài %(period)s.")
             % {"day": builder.format_date(as_of), "period": period.label}}
        )
    if issuer is None:
        issuer = resolution.issuer if resolution else program.lead_unit if program else theme.issuer  # type: ignore[union-attr]
    if not can(actor, Action.REVIEW, issuer):
        raise ValidationError({"issuer": _("Bạn không có quyền lập báo cáo thay cho đơn vị này.")})
    territory, territory_name, above = _territory(issuer, as_of)
    if unit is None:
        unit = territory
    if not can(actor, Action.VIEW, unit):
        raise ValidationError({"unit": _("Đơn vị tổng hợp số liệu nằm ngoài phạm vi của bạn.")})
    if layout and layout not in Review.Layout.values:
        raise ValidationError({"layout": _("Thể thức văn bản không hợp lệ.")})
    layout = layout or (Review.Layout.PARTY if issuer.kind in PARTY_KINDS else Review.Layout.STATE)
    party = layout == Review.Layout.PARTY
    issuer_name = builder.unit_version(issuer, as_of).name
    above_name = builder.unit_version(above, as_of).name.upper() if above else ""
    with translation.override(builder.DOCUMENT_LANGUAGE):
        if party:
            issuing_body = issuer_name.upper()
            superior_body = _("ĐẢNG BỘ %(name)s") % {"name": above_name} if above_name else ""
            symbol = "BC/" + PARTY_BODY_SYMBOL.get(territory.kind, "ĐU")
        else:
            issuing_body = _("ỦY BAN NHÂN DÂN %(name)s") % {"name": territory_name.upper()}
            superior_body = _("UBND %(name)s") % {"name": above_name} if above_name else ""
            symbol = "BC-UBND"
    fields = {
        "number": number.strip(), "subject": subject.strip(), "signer_title": signer_title.strip(),
        "signer_name": signer_name.strip(), "recipients": recipients.strip(),
    }
    for name, value in fields.items():
        limit = getattr(Review._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            raise ValidationError({name: _("Tối đa %(n)s ký tự.") % {"n": limit}})

    with transaction.atomic():
        review = Review(
            kind=kind, layout=layout, resolution=resolution, program=program, theme=theme, unit=unit, issuer=issuer,
            period_code=period.code, as_of=as_of, symbol=symbol, superior_body=superior_body,
            issuing_body=issuing_body, place=_place(territory_name),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **fields,
        )
        if not review.subject:
            review.subject = _default_subject(kind, builder.subject_name(review), period)[:400]
        review.full_clean()
        _refresh(review)
        review.save()
        record(actor, AuditEntry.Action.CREATE, review, after=_audited(review))
    return review


def _refresh(review: Review) -> dict[str, Any]:
    """Compute the figures afresh and write the text from them (not saved)."""
    fresh = builder.compute(review)
    review.snapshot = fresh
    review.fingerprint = fresh["fingerprint"]
    review.computed_at = timezone.now()
    review.generated_text = builder.narrative(review, fresh)
    return fresh


def _check_editor(actor: Any, review: Review) -> None:
    if not can(actor, Action.REVIEW, review.issuer):
        raise ValidationError(_("Chỉ người tổng hợp của đơn vị ban hành mới được sửa báo cáo này."))


# --- Editing


def update_text(actor: Any, review: Review, text: str, *, keep_edit: bool = True) -> Review:
    """Store the user's version of the narrative. The figures it was written against
    are those of now, so a later change of the data can be pointed out."""
    _check_editor(actor, review)
    text = (text or "").replace("\r\n", "\n")
    if keep_edit and not text.strip():
        raise ValidationError({"edited_text": _("Nội dung báo cáo trống. Bấm 'Viết lại từ số liệu' để soạn lại.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"edited_text": _("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_TEXT}})
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        before = _audited(review)
        review.edited_text = text
        review.keep_edit = keep_edit
        _refresh(review)
        review.save()
        record(actor, AuditEntry.Action.UPDATE, review, before=before, after=_audited(review))
    return review


def regenerate(actor: Any, review: Review) -> Review:
    """"Viết lại từ số liệu": recompute the figures and rewrite the text from them,
    dropping the user's edit."""
    _check_editor(actor, review)
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        before = _audited(review)
        review.edited_text = ""
        review.keep_edit = False
        _refresh(review)
        review.save()
        record(actor, AuditEntry.Action.UPDATE, review, before=before, after=_audited(review),
               reason=_("Viết lại từ số liệu"))
    return review


# --- Exporting


def writer(fmt: str) -> Callable[[Any], bytes]:
    """``write_docx`` and friends from ``tiendo.reviews.writers``."""
    module = import_module(f"tiendo.reviews.writers.{fmt}")
    return getattr(module, f"write_{fmt}")  # type: ignore[no-any-return]


def request_export(actor: Any, review: Review, fmt: str) -> ReviewExport:
    """Queue a file of the review; the same file already on its way is returned as is."""
    if fmt not in ReviewExport.Format.values:
        raise ValidationError({"format": _("Định dạng tệp không hợp lệ (chọn DOCX, PDF hoặc XLSX).")})
    if not can(actor, Action.VIEW, review.unit):
        raise ValidationError(_("Báo cáo nằm ngoài phạm vi của bạn."))
    with transaction.atomic():
        pending = review.exports.filter(format=fmt, state__in=[ReviewExport.State.QUEUED, ReviewExport.State.RUNNING]).first()
        if pending is not None:
            return pending
        export = ReviewExport.objects.create(
            review=review, format=fmt, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        record(actor, AuditEntry.Action.CREATE, export, after=audit_snapshot(export))
        if not settings.REVIEW_EXPORT_INLINE:
            transaction.on_commit(lambda: start_in_thread(export.pk))
    if settings.REVIEW_EXPORT_INLINE:
        run_export(export.pk)
        export.refresh_from_db()
    return export


def start_in_thread(export_id: int) -> threading.Thread:
    def work() -> None:
        try:
            run_export(export_id)
        finally:
            close_old_connections()  # the thread's own connection must not linger

    thread = threading.Thread(target=work, name=f"review-export-{export_id}", daemon=True)
    thread.start()
    return thread


def _progress(export_id: int, percent: int, **fields: Any) -> None:
    ReviewExport.objects.filter(pk=export_id).update(progress=percent, **fields)


def claim(export_id: int) -> bool:
    """Take a queued export for this process; false when another one already has it."""
    return bool(
        ReviewExport.objects.filter(pk=export_id, state=ReviewExport.State.QUEUED).update(
            state=ReviewExport.State.RUNNING, started_at=timezone.now(), progress=0
        )
    )


def run_export(export_id: int) -> bool:
    """Make the file of a queued export: computing 10 %, composing 40 %, writing 80 %,
    stored 100 %. Returns false when the export was not queued (claimed elsewhere).
    A failure is recorded on the row with a Vietnamese message; the file is not kept."""
    if not claim(export_id):
        return False
    export = ReviewExport.objects.select_related(
        "review__unit", "review__issuer", "review__resolution", "review__program", "review__theme"
    ).get(pk=export_id)
    review = export.review
    stored = ""
    try:
        fresh = builder.compute(review)
        _progress(export_id, 10)
        document = builder.compose(review, fresh)
        _progress(export_id, 40)
        try:
            write = writer(export.format)
        except (ImportError, AttributeError):
            raise ExportUnavailable(export.format) from None
        data = write(document)
        _progress(export_id, 80)
        name = f"reviews/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{export.format}"
        stored = default_storage.save(name, ContentFile(data))
        _progress(
            export_id, 100, state=ReviewExport.State.DONE, file_path=stored, size=len(data),
            fingerprint=fresh["fingerprint"], finished_at=timezone.now(), message="",
        )
    except Exception as error:
        log.exception("review export %s failed", export_id)
        if stored:
            default_storage.delete(stored)
        message = (
            str(error) if isinstance(error, ExportUnavailable)
            else _("Không xuất được tệp %(format)s: %(error)s") % {"format": export.format.upper(), "error": error}
        )
        ReviewExport.objects.filter(pk=export_id).update(
            state=ReviewExport.State.FAILED, message=message[:500], finished_at=timezone.now()
        )
    return True


class ExportUnavailable(Exception):
    def __init__(self, fmt: str) -> None:
        super().__init__(_("Chưa có bộ ghi tệp %(format)s trên máy chủ này.") % {"format": fmt.upper()})


def run_pending_exports(limit: int = 50) -> int:
    """For ``run_jobs``: mark exports cut off by a restart as failed, then run the ones
    still queued (a web process that stopped before its thread began). Safe beside the
    web processes' threads: each export is claimed before it runs."""
    cutoff = timezone.now() - STALE_RUNNING
    ReviewExport.objects.filter(state=ReviewExport.State.RUNNING, started_at__lt=cutoff).update(
        state=ReviewExport.State.FAILED, finished_at=timezone.now(),
        message=_("Việc xuất tệp bị gián đoạn (máy chủ khởi động lại). Hãy bấm xuất lại."),
    )
    ran = 0
    for export_id in ReviewExport.objects.filter(state=ReviewExport.State.QUEUED).order_by("created_at").values_list(
        "pk", flat=True
    )[:limit]:
        ran += run_export(export_id)
    return ran
