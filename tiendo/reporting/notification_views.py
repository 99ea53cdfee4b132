"""The user's notifications (thông báo) and the reviewing office's reminder button.

A user reads only their own notifications: anyone else's is a 404, as if it did not
exist. Opening one marks it read and goes where it points.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tiendo.reporting import notifications, reminders, selectors, services

PER_PAGE = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications.for_user(request.user), PER_PAGE).get_page(request.GET.get("trang"))
    unread = notifications.unread_count(request.user)
    return render(request, "reporting/notification_list.html", {"page": page, "unread": unread})


def _safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notifications.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404(_("Không tìm thấy thông báo."))
    notifications.mark_read(request.user, notification.pk)
    if _safe(request, notification.url):
        return redirect(notification.url)
    return redirect("reporting:notifications")


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``pk`` posted) or all of them."""
    raw = request.POST.get("pk", "")
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            raise Http404 from None
        if not notifications.for_user(request.user).filter(pk=pk).exists():
            raise Http404(_("Không tìm thấy thông báo."))
        notifications.mark_read(request.user, pk)
    else:
        count = notifications.mark_read(request.user)
        messages.success(
            request,
            ngettext("Đã đánh dấu %(count)s thông báo là đã đọc.", "Đã đánh dấu %(count)s thông báo là đã đọc.", count)
            % {"count": count},
        )
    target = request.POST.get("next", "")
    return redirect(target if _safe(request, target) else "reporting:notifications")


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewing office reminds the units of a round that have not sent their
    report. A round the user cannot see is a 404; one they see but do not review (a
    ward reporter's own round) is a 403."""
    round_ = selectors.get_round_or_404(request.user, pk)
    if not services.may_review(request.user, round_):
        raise PermissionDenied
    try:
        count = reminders.remind_late(request.user, round_)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if count:
            messages.success(
                request,
                ngettext("Đã gửi nhắc nhở đến %(count)s người.", "Đã gửi nhắc nhở đến %(count)s người.", count)
                % {"count": count},
            )
        else:
            messages.info(
                request,
                _(
                    "Không gửi thêm nhắc nhở nào: các đơn vị chưa nộp đã được nhắc hôm nay, hoặc không còn đơn vị nào chưa nộp."
                ),
            )
    return redirect("reporting:round", round_.pk)
