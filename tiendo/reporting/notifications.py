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
from django.db.models import QuerySet
from django.utils import timezone

from tiendo.accounts.models import Role, RoleAssignment
from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion
from tiendo.reporting.models import Notification, Submission

log = logging.getLogger(__name__)


def holders(unit: OrgUnit, role: str) -> list[Any]:
    """The active users holding ``role`` on the unit, or else on its nearest ancestor
    that has any: a ward's own reporters, and the district office only for a ward
    that has none."""
    return holders_many([unit.pk], role)[unit.pk]


def holders_many(unit_ids: Iterable[int], role: str) -> dict[int, list[Any]]:
    """``holders`` for many units in two queries (the reminder job asks for hundreds)."""
    ids = list(dict.fromkeys(unit_ids))
    paths: dict[int, str] = {}
    for unit_id, path in (
        UnitVersion.objects.filter(unit_id__in=ids).order_by("unit_id", "-valid_from").values_list("unit_id", "path")
    ):
        paths.setdefault(unit_id, path)  # the latest version's place in the tree
    chains: dict[int, list[int]] = {}
    for unit_id in ids:
        path = paths.get(unit_id, "")
        ancestors = [int(path[i : i + PATH_SEGMENT]) for i in range(len(path) - 2 * PATH_SEGMENT, -1, -PATH_SEGMENT)]
        chains[unit_id] = [unit_id, *ancestors]
    found: dict[int, list[Any]] = {}
    wanted = {pk for chain in chains.values() for pk in chain}
    assignments = RoleAssignment.objects.filter(role=role, unit_id__in=wanted, user__is_active=True).select_related(
        "user"
    )
    for assignment in assignments:
        found.setdefault(assignment.unit_id, []).append(assignment.user)  # type: ignore[arg-type]
    result: dict[int, list[Any]] = {}
    for unit_id, chain in chains.items():
        nearest = next((found[pk] for pk in chain if pk in found), [])
        result[unit_id] = sorted(nearest, key=lambda user: user.pk)
    return result


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
    send_email: bool = True,
) -> int:
    """Leave a notification for each recipient unless one with the same ``key`` was
    already left; returns how many are new. E-mail follows after commit, unless
    ``send_email`` is off because the caller mails the rows itself (the reminder job
    sends them all at the end of its run and counts them)."""
    return len(
        notify_users(
            recipients,
            kind=kind,
            key=key,
            subject=subject,
            body=body,
            url=url,
            submission=submission,
            send_email=send_email,
        )
    )


def notify_users(
    recipients: Iterable[Any],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    submission: Submission | None = None,
    send_email: bool = True,
) -> list[Any]:
    """``notify``, returning the users who got a new notification."""
    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return []
    already = set(Notification.objects.filter(key=key, recipient__in=users).values_list("recipient_id", flat=True))
    fresh = [user for user in users if user.pk not in already]
    new = [
        Notification(
            recipient=user,
            kind=kind,
            key=key[:120],
            subject=subject[:300],
            body=body,
            url=url[:300],
            submission=submission,
        )
        for user in fresh
    ]
    # ignore_conflicts: another server running the same job at the same moment may have
    # left the same rows between the read above and this insert; the unique key wins.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    if new and send_email:
        transaction.on_commit(send_pending_emails)
    return fresh


def send_pending_emails() -> int:
    """Mail every notification not mailed yet (to users with an address); returns the
    number sent. Safe to run twice: a row is marked before the next is sent."""
    sent = 0
    pending = Notification.objects.filter(emailed_at__isnull=True).select_related("recipient").order_by("pk")
    for notification in pending:
        address = getattr(notification.recipient, "email", "")
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
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


def for_user(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def mark_read(user: Any, pk: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them with ``pk`` None);
    returns how many changed. Someone else's notification is simply not found."""
    unread = for_user(user).filter(read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
