"""Storing and deleting attachments: the only writers of ``Attachment`` and its files.

A file is judged on what it contains, not on its name or on the type the browser
sent: its first bytes say whether it is a PDF, an office document (a zip whose
directory names the right main part), a PNG, a JPEG or UTF-8 text, and the name's
extension must agree. Everything is checked before anything is written; if writing
the row or the audit entry fails, the file just saved is removed again.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import uuid
import zipfile
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can
from tiendo.attachments.models import Attachment
from tiendo.audit.models import AuditEntry
from tiendo.audit.services import record, snapshot
from tiendo.lib.workbooks import zip_contents
from tiendo.orgs.models import OrgUnit

NAME_MAX = 200
MAX_ZIP_ENTRIES = 5_000
UNPACK_RATIO = 20  # an office document unpacks to a few times its size; a zip bomb to thousands
PART_MAX = 1024 * 1024  # the [Content_Types].xml or mimetype part we read to tell the kind

# Detected type -> (MIME type sent back on download, extensions allowed for it).
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "pdf": ("application/pdf", frozenset({"pdf"})),
    "png": ("image/png", frozenset({"png"})),
    "jpeg": ("image/jpeg", frozenset({"jpg", "jpeg"})),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx"})),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"})),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", frozenset({"pptx"})),
    "odt": ("application/vnd.oasis.opendocument.text", frozenset({"odt"})),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", frozenset({"ods"})),
    "text": ("text/plain; charset=utf-8", frozenset({"txt", "csv"})),
}
ALLOWED_EXTENSIONS = sorted(ext for _mime, exts in KINDS.values() for ext in exts)

# The main part of an OOXML package, as named in [Content_Types].xml.
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")


def clean_name(name: str) -> str:
    """The name to show: its last path part, without control or format characters
    (which could hide the real extension), at most ``NAME_MAX`` characters with the
    extension kept. Never used to store the file."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        name = (stem if ext else name)[: NAME_MAX - len(ext) - (1 if ext else 0)].rstrip() + (f".{ext}" if ext else "")
    return name


def extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _zip_kind(data: bytes) -> str | None:
    contents = zip_contents(data)
    if contents is None:
        return None
    entries, unpacked = contents
    if entries > MAX_ZIP_ENTRIES or unpacked > max(len(data) * UNPACK_RATIO, PART_MAX):
        raise ValidationError(_("Tệp nén giải nén ra quá lớn so với dung lượng của nó; tệp bị từ chối."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {info.filename: info for info in archive.infolist()}
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size <= PART_MAX:
                return _ODF_MIMETYPES.get(archive.read(mimetype).strip())
            types = names.get("[Content_Types].xml")
            if types is not None and types.file_size <= PART_MAX:
                xml = archive.read(types)
                found = {kind for main, kind in _OOXML_MAIN.items() if main in xml}
                return found.pop() if len(found) == 1 else None
    # A damaged archive, a compression method zipfile lacks (NotImplementedError) or an
    # encrypted entry (RuntimeError) all mean "not a document we accept": the caller
    # refuses the file as of an unknown type.
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_kind(data: bytes) -> str | None:
    """The kind of file the bytes are (a key of ``KINDS``), or ``None`` if not allowed.
    Raises ``ValidationError`` for a zip that would unpack to far more than its size."""
    if data.startswith(_EXECUTABLE_MAGIC):
        return None
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if _is_text(data):
        return "text"
    return None


def _read(uploaded_file: Any, limit: int) -> bytes:
    """The file's bytes, refused before reading when its declared size is too large,
    and while reading if it turns out larger than declared."""
    too_large = ValidationError(
        _("Tệp lớn hơn giới hạn %(limit)s MB.") % {"limit": f"{limit / (1024 * 1024):.1f}".replace(".", ",")}
    )
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > limit:
        raise too_large
    uploaded_file.seek(0)
    chunks: list[bytes] = []
    total = 0
    for chunk in uploaded_file.chunks():
        total += len(chunk)
        if total > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def may_attach(actor: Any, unit: OrgUnit) -> bool:
    """Whether the actor may attach files to the unit's records: who reports for it,
    reviews it or administers it."""
    return any(can(actor, action, unit) for action in (Action.REPORT, Action.MANAGE, Action.REVIEW))


def store(actor: Any, *, unit: OrgUnit, owner: models.Model, uploaded_file: Any) -> Attachment:
    """Keep an uploaded file attached to ``owner``, readable by who may see ``unit``.

    Refuses with a ``ValidationError`` in Vietnamese, writing nothing, when the actor
    may not act on the unit, or the file is empty, too large
    (``ATTACHMENT_MAX_BYTES``), of a type not allowed, or named with an extension
    that does not match its content."""
    if not may_attach(actor, unit):
        raise ValidationError(_("Bạn không có quyền đính kèm tệp cho đơn vị này."))
    if owner.pk is None:
        raise ValidationError(_("Bản ghi cần đính kèm tệp chưa được lưu."))
    data = _read(uploaded_file, settings.ATTACHMENT_MAX_BYTES)
    if not data:
        raise ValidationError(_("Tệp rỗng, không có nội dung."))
    name = clean_name(getattr(uploaded_file, "name", "") or "")
    kind = detect_kind(data)
    if kind is None:
        raise ValidationError(
            _("Loại tệp không được phép. Chỉ nhận: %(types)s.") % {"types": ", ".join(ALLOWED_EXTENSIONS)}
        )
    mime, extensions = KINDS[kind]
    ext = extension(name)
    if ext not in extensions:
        raise ValidationError(
            _("Phần mở rộng của tên tệp (%(ext)s) không khớp với nội dung tệp (%(kind)s).")
            % {"ext": f".{ext}" if ext else _("không có"), "kind": ", ".join(f".{e}" for e in sorted(extensions))}
        )
    if ext == "csv":
        mime = "text/csv; charset=utf-8"
    if not name or name.startswith("."):
        name = f"tep-dinh-kem.{ext}"

    pk = uuid.uuid4()
    path = f"{timezone.localdate():%Y/%m}/{pk.hex}.{ext}"
    stored = default_storage.save(path, ContentFile(data))
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                id=pk,
                unit=unit,
                owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=True),
                owner_id=str(owner.pk),
                original_name=name,
                stored_name=stored,
                content_type=mime,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            record(actor, AuditEntry.Action.CREATE, attachment, after=snapshot(attachment))
    except BaseException:
        default_storage.delete(stored)
        raise
    return attachment


def may_delete(actor: Any, attachment: Attachment) -> bool:
    """The uploader, while still acting on the unit, or an administrator of the unit."""
    uploader = attachment.uploaded_by_id is not None and attachment.uploaded_by_id == getattr(actor, "pk", None)
    return (uploader and may_attach(actor, attachment.unit)) or can(actor, Action.MANAGE, attachment.unit)


def delete(actor: Any, attachment: Attachment) -> None:
    """Remove the attachment and, once the transaction commits, its file."""
    if not may_delete(actor, attachment):
        raise ValidationError(_("Chỉ người tải lên hoặc quản trị đơn vị mới được xóa tệp này."))
    with transaction.atomic():
        before = snapshot(attachment)
        stored = attachment.stored_name
        record(actor, AuditEntry.Action.DELETE, attachment, before=before)
        attachment.delete()
        # After the commit, so a rollback never leaves a row without its file.
        transaction.on_commit(lambda: default_storage.delete(stored))
