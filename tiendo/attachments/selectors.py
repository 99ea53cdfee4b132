"""Reading attachments for a user: always through the scoping layer."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tiendo.accounts.scope import restrict_by_unit
from tiendo.attachments.models import Attachment


def visible_attachments(user: Any) -> models.QuerySet[Attachment]:
    """The attachments whose unit the user may see."""
    return restrict_by_unit(Attachment.objects.all(), user)


def attachments_of(user: Any, owner: models.Model) -> models.QuerySet[Attachment]:
    """The attachments of one record the user may see, oldest first: what a task's or
    an inspection's page lists, each linking to ``attachments:download``."""
    owner_type = ContentType.objects.get_for_model(owner, for_concrete_model=True)
    return visible_attachments(user).filter(owner_type=owner_type, owner_id=str(owner.pk))
