"""Downloading an attachment: fetched through the scoping layer, a 404 when out of scope."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tiendo.attachments.models import Attachment
from tiendo.attachments.selectors import visible_attachments


@login_required
@require_GET
def download(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    try:
        attachment = visible_attachments(request.user).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError):
        raise Http404(_("Không tìm thấy tệp đính kèm.")) from None
    try:
        handle = default_storage.open(attachment.stored_name, "rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp đính kèm.")) from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition_header(True, attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response
