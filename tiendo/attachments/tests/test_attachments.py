"""Attachments: stored only when the content is an allowed type, served only in scope."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from tiendo.attachments import services
from tiendo.attachments.forms import AttachmentField
from tiendo.attachments.models import Attachment
from tiendo.attachments.selectors import attachments_of
from tiendo.audit.models import AuditEntry
from tiendo.testing import SmallTree

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def docx(extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if extra:
            archive.writestr("word/media/padding.bin", extra)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def storage(tmp_path: Path):
    stores = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    with override_settings(STORAGES=stores):
        yield tmp_path


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # the browser's claim is ignored


def store(personas: dict, tree: SmallTree, name: str, data: bytes, who: str = "ward_reporter") -> Attachment:
    return services.store(personas[who], unit=tree.ward_a1, owner=tree.ward_a1, uploaded_file=upload(name, data))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pdf_is_stored_and_served_to_a_user_in_scope(personas, tree, storage):
    attachment = store(personas, tree, "Báo cáo quý III.pdf", PDF)
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.stored_name.endswith(f"{attachment.pk.hex}.pdf") and attachment.stored_name.count("/") == 2
    assert (storage / attachment.stored_name).read_bytes() == PDF
    for who in ("ward_reporter", "district_viewer", "city_viewer"):
        response = client_for(personas[who]).get(reverse("attachments:download", args=[attachment.pk]))
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20III.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert list(attachments_of(personas["ward_reporter"], tree.ward_a1)) == [attachment]
    assert list(attachments_of(personas["other_ward_reporter"], tree.ward_a1)) == []


def test_audit_row_on_success(personas, tree):
    attachment = store(personas, tree, "a.pdf", PDF)
    entry = AuditEntry.objects.get(object_id=str(attachment.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == personas["ward_reporter"]
    assert entry.after["sha256"] == attachment.sha256 and entry.after["id"] == str(attachment.pk)


@pytest.mark.parametrize("who", ["other_ward_reporter", "outsider"])
def test_user_out_of_scope_gets_404_by_id(personas, tree, who):
    attachment = store(personas, tree, "a.pdf", PDF)
    response = client_for(personas[who]).get(reverse("attachments:download", args=[attachment.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(personas, tree):
    attachment = store(personas, tree, "a.pdf", PDF)
    response = Client().get(reverse("attachments:download", args=[attachment.pk]))
    assert response.status_code == 302


def test_malformed_or_unknown_id_is_404(personas, tree):
    client = client_for(personas["system_admin"])
    assert client.get("/tep/khong-phai-uuid/").status_code == 404
    assert client.get(f"/tep/{uuid.uuid4()}/").status_code == 404


def assert_refused(personas, tree, storage, name: str, data: bytes, who: str = "ward_reporter") -> str:
    with pytest.raises(ValidationError) as refused:
        store(personas, tree, name, data, who)
    assert not Attachment.objects.exists()
    assert not files_in(storage)
    assert not AuditEntry.objects.filter(content_type__model="attachment").exists()
    return " ".join(refused.value.messages)


def test_outsider_and_viewer_may_not_attach(personas, tree, storage):
    assert "quyền" in assert_refused(personas, tree, storage, "a.pdf", PDF, who="outsider")
    assert "quyền" in assert_refused(personas, tree, storage, "a.pdf", PDF, who="district_viewer")
    assert "quyền" in assert_refused(personas, tree, storage, "a.pdf", PDF, who="other_ward_reporter")


def test_too_large_is_refused(personas, tree, storage):
    with override_settings(ATTACHMENT_MAX_BYTES=10):
        assert "giới hạn" in assert_refused(personas, tree, storage, "a.pdf", PDF)


def test_empty_file_is_refused(personas, tree, storage):
    assert "rỗng" in assert_refused(personas, tree, storage, "a.pdf", b"")


def test_executable_named_pdf_is_refused(personas, tree, storage):
    assert "không được phép" in assert_refused(personas, tree, storage, "hoa-don.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60)
    assert "không được phép" in assert_refused(personas, tree, storage, "hoa-don.pdf", b"\x7fELF\x02\x01\x01")


def test_png_named_pdf_is_refused(personas, tree, storage):
    assert "không khớp" in assert_refused(personas, tree, storage, "anh.pdf", PNG)


def test_text_with_nul_or_bad_utf8_is_refused(personas, tree, storage):
    assert_refused(personas, tree, storage, "a.txt", b"abc\x00def")
    assert_refused(personas, tree, storage, "a.csv", b"ma;gia tri\n\xff\xfe")


def test_path_in_name_is_never_used_for_storage(personas, tree, storage):
    attachment = store(personas, tree, "../../etc/passwd.txt", b"root:x:0:0\n")
    assert attachment.original_name == "passwd.txt"
    assert ".." not in attachment.stored_name and "passwd" not in attachment.stored_name
    assert files_in(storage) == [storage / attachment.stored_name]
    assert attachment.content_type == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("..\\..\\windows\\ghi chú.txt", "ghi chú.txt"),
        ("bao\x00cao\x1b.txt", "baocao.txt"),
        ("anh\u202etxt.png", "anhtxt.png"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
        ("/", ""),
    ],
)
def test_clean_name(given, shown):
    assert services.clean_name(given) == shown


def test_csv_gets_csv_type(personas, tree):
    attachment = store(personas, tree, "so-lieu.csv", "mã;giá trị\nA1;12,5\n".encode())
    assert attachment.content_type == "text/csv; charset=utf-8"


def test_docx_is_accepted(personas, tree):
    attachment = store(personas, tree, "Biên bản.DOCX", docx())
    assert attachment.content_type.endswith("wordprocessingml.document")


def test_docx_named_xlsx_or_plain_zip_is_refused(personas, tree, storage):
    assert "không khớp" in assert_refused(personas, tree, storage, "bang.xlsx", docx())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("chuong-trinh.exe", b"MZ")
    assert "không được phép" in assert_refused(personas, tree, storage, "a.docx", buffer.getvalue())


def test_an_encrypted_document_is_refused_as_unknown(personas, tree, storage):
    # Set the "encrypted" flag on every entry (local and central headers): zipfile then
    # refuses to read the parts, and the file is refused like any unknown type.
    data = bytearray(docx())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_offset] |= 0x01
            start += 4
    assert "không được phép" in assert_refused(personas, tree, storage, "mat.docx", bytes(data))


def test_zip_bomb_docx_is_refused(personas, tree, storage):
    bomb = docx(extra=b"\x00" * (30 * 1024 * 1024))  # deflates to a few tens of KB
    assert len(bomb) < 100_000
    assert "giải nén" in assert_refused(personas, tree, storage, "bom.docx", bomb)


def test_uploader_deletes_and_the_file_goes(personas, tree, storage, django_capture_on_commit_callbacks):
    attachment = store(personas, tree, "a.pdf", PDF)
    pk = str(attachment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(personas["ward_reporter"], attachment)
    assert not Attachment.objects.exists()
    assert not files_in(storage)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=pk).exists()


def test_only_uploader_or_unit_admin_may_delete(personas, tree, storage, django_capture_on_commit_callbacks):
    attachment = store(personas, tree, "a.pdf", PDF)
    for who in ("district_viewer", "district_reviewer", "other_ward_reporter", "outsider"):
        with pytest.raises(ValidationError):
            services.delete(personas[who], attachment)
    assert files_in(storage)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(personas["district_admin"], attachment)
    assert not files_in(storage)


def test_form_field_offers_the_allowed_types():
    field = AttachmentField()
    assert ".pdf" in field.widget.attrs["accept"] and ".docx" in field.widget.attrs["accept"]


def test_file_is_removed_when_the_row_cannot_be_written(personas, tree, storage, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        store(personas, tree, "a.pdf", PDF)
    assert not Attachment.objects.exists()
    assert not files_in(storage)
