"""Notifications in the app and by e-mail. A notification is a row first; e-mail is
sent from the rows not yet mailed, after the transaction commits, so a message is
never mailed for a change that was rolled back, and each is mailed once."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from tiendo.accounts.models import Role, RoleAssignment
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion
from tiendo.reporting.models import Notification, Submission

log = logging.getLogger(__name__)


def holders(unit: OrgUnit, role: str) -> list[Any]:
    """The active users holding ``role`` on the unit, or else on its nearest ancestor
    that has any: a ward's own reporters, and the district office only for a ward
    that has none."""
    chain = [unit.pk]
    path = UnitVersion.objects.filter(unit=unit).order_by("-valid_from").values_list("path", flat=True).first() or ""
    chain += [int(path[i : i + PATH_SEGMENT]) for i in range(len(path) - 2 * PATH_SEGMENT, -1, -PATH_SEGMENT)]
    found: dict[int, list[Any]] = {}
    for assignment in RoleAssignment.objects.filter(role=role, unit_id__in=chain, user__is_active=True).select_related("user"):
        found.setdefault(assignment.unit_id, []).append(assignment.user)  # type: ignore[arg-type]
    for unit_id in chain:
        if unit_id in found:
            return sorted(found[unit_id], key=lambda user: user.pk)
    return []


def reporters(submission: Submission) -> list[Any]:
    return holders(submission.unit, Role.REPORTER)


def reviewers(submission: Submission) -> list[Any]:
    return holders(submission.round.reviewing_unit, Role.REVIEWER)


def notify(
    recipients: Iterable[Any],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    submission: Submission | None = None,
) -> int:
    """Leave a notification for each recipient unless one with the same ``key`` was
    already left; returns how many are new. E-mail follows after commit."""
    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return 0
    already = set(Notification.objects.filter(key=key, recipient__in=users).values_list("recipient_id", flat=True))
    new = [
        Notification(
            recipient=user, kind=kind, key=key[:120], subject=subject[:300], body=body, url=url[:300], submission=submission
        )
        for user in users
        if user.pk not in already
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        transaction.on_commit(send_pending_emails)
    return len(new)


def send_pending_emails() -> int:
    """Mail every notification not mailed yet (to users with an address); returns the
    number sent. Safe to run twice: a row is marked before the next is sent."""
    sent = 0
    pending = Notification.objects.filter(emailed_at__isnull=True).select_related("recipient").order_by("pk")
    for notification in pending:
        address = getattr(notification.recipient, "email", "")
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed or not address:
            continue
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
        try:
            send_mail(notification.subject, body, None, [address])
        except OSError:  # an SMTP outage must not break the change that caused the message
            log.exception("could not mail notification %s", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            break
        sent += 1
    return sent


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

