"""Files attached to tasks, updates, inspections and other records of a unit."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file attached to a record (tệp đính kèm): a signed report, a photo of a site,
    the minutes of an inspection.

    The ``unit`` decides who may read it, through the scoping layer, whatever record
    it hangs on (``owner``, any model). The id is a random UUID, so one file's address
    says nothing about the next. The file is kept in the default storage under a name
    we generate (``2026/11/<uuid>.pdf``); the name the user gave is only shown and
    offered back on download. ``content_type`` is the MIME type found by reading the
    file's first bytes, never the one the browser claimed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="attachments", verbose_name=_("đơn vị")
    )
    # The owner is called owner_*, since content_type is the file's MIME type here.
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại bản ghi")
    )
    owner_id = models.CharField(_("mã bản ghi"), max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    original_name = models.CharField(_("tên tệp"), max_length=200)
    stored_name = models.CharField(_("tên lưu trữ"), max_length=100, unique=True, editable=False)
    content_type = models.CharField(_("loại nội dung"), max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.original_name
