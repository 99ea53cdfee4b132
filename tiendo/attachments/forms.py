"""The upload field other apps put on their forms; ``services.store`` does the checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from tiendo.attachments.services import ALLOWED_EXTENSIONS


class AttachmentField(forms.FileField):
    """A file input offering the allowed types. It lets an empty file through, so that
    ``services.store`` refuses it with the same messages as every other check; show
    the service's ``ValidationError`` on the form (``web.forms.add_service_error``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("label", gettext_lazy("Tệp đính kèm"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("PDF, Word, Excel, PowerPoint, OpenDocument, ảnh PNG hoặc JPEG, văn bản hoặc CSV."),
        )
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)})
        )
        super().__init__(**kwargs)
