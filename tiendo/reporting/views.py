"""Pages of periodic reporting: the list of rounds and what waits for the user, a
round's overview for the district office, and one unit's form, where the reporter
fills and sends and the reviewer returns, approves or reopens. Thin views over
``selectors`` and ``services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, can, scope_paths
from tiendo.indicators.models import DataValue
from tiendo.indicators.views import INCLUDE_SUBMITTED
from tiendo.lib.dates import today
from tiendo.lib.vn import format_number
from tiendo.reporting import reminders, selectors, services, timeliness
from tiendo.reporting.forms import FiguresForm, ReopenForm, ReturnForm, note_name, stored_text, value_name
from tiendo.reporting.models import Submission


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    to_fill, to_review = selectors.my_work(request.user)
    return render(
        request,
        "reporting/round_list.html",
        {
            "to_fill": to_fill,
            "to_review": to_review,
            "rounds": selectors.round_rows(request.user),
            "today": today(),
            "plans": scope_paths(request.user, Action.MANAGE) != [] or scope_paths(request.user, Action.REVIEW) != [],
            "system_admin": scope_paths(request.user) is EVERYTHING,
        },
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_or_404(request.user, pk)
    include_submitted = request.GET.get(INCLUDE_SUBMITTED) == "1"
    reviewer = services.may_review(request.user, round_)
    visible = {s.pk for s in selectors.visible_submissions(request.user, round_)}
    progress = timeliness.round_progress(round_)
    context: dict[str, Any] = {
        "round": round_,
        "progress": progress,
        "rows": [row for row in progress.rows if row.submission.pk in visible],
        # Counts over the whole round only for those who may see every unit of it.
        "sees_whole_round": reviewer or can(request.user, Action.VIEW, round_.reviewing_unit),
        "owing": reminders.owing(round_).count() if reviewer else 0,
        "may_review": reviewer,
        "include_submitted": include_submitted,
        "figures": selectors.round_figures(round_, include_submitted=include_submitted) if reviewer else [],
        "today": today(),
    }
    return render(request, "reporting/round_detail.html", context)


def _form_url(submission: Submission) -> str:
    return reverse("reporting:form", args=[submission.round_id, submission.unit_id])


@login_required
@require_http_methods(["GET", "POST"])
def submission_form(request: HttpRequest, round_pk: int, unit_pk: int) -> HttpResponse:
    submission = selectors.get_submission_or_404(request.user, round_pk, unit_pk)
    page = selectors.submission_page(request.user, submission)
    figures_form = FiguresForm(rows=page.rows, initial={"version": submission.version})
    return_form = ReturnForm(rows=page.rows)
    reopen_form = ReopenForm()
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("save", "submit"):
            figures_form = FiguresForm(request.POST, rows=page.rows)
            outcome = _save_and_maybe_submit(request, submission, figures_form, page, submit=action == "submit")
            if outcome is None:
                return redirect(_form_url(submission))
            conflict = outcome
        elif action == "return":
            return_form = ReturnForm(request.POST, rows=page.rows)
            if return_form.is_valid() and _run(
                request, lambda: services.return_submission(
                    request.user, submission, comment=return_form.cleaned_data["comment"],
                    value_comments=return_form.value_comments(),
                ), return_form,
            ):
                messages.success(request, _("Đã trả lại báo cáo cho %(unit)s.") % {"unit": submission.unit})
                return redirect(_form_url(submission))
        elif action == "approve":
            if _run(request, lambda: services.approve(request.user, submission)):
                messages.success(request, _("Đã duyệt báo cáo của %(unit)s; số liệu được khóa.") % {"unit": submission.unit})
                return redirect(_form_url(submission))
        elif action == "reopen":
            reopen_form = ReopenForm(request.POST)
            if reopen_form.is_valid() and _run(
                request, lambda: services.reopen(request.user, submission, reason=reopen_form.cleaned_data["reason"]), reopen_form
            ):
                messages.success(request, _("Đã mở lại báo cáo để điều chỉnh."))
                return redirect(_form_url(submission))
        else:
            return HttpResponseBadRequest(_("Yêu cầu không hợp lệ."))
        submission.refresh_from_db()
        page = selectors.submission_page(request.user, submission)
        if conflict:  # the user's typed figures stay, against the version now stored
            data = request.POST.copy()
            data["version"] = str(submission.version)
            for row in page.rows:
                if row.editable:
                    data[f"ban_dau_{row.indicator.pk}"] = stored_text(row.value)
            figures_form = FiguresForm(data, rows=page.rows)
            figures_form.is_valid()
    return render(
        request,
        "reporting/submission_form.html",
        {
            "page": page,
            "submission": submission,
            "round": submission.round,
            "form": figures_form,
            "return_form": return_form,
            "reopen_form": reopen_form,
            "conflict": conflict,
            "fields": _row_fields(figures_form, return_form, page),
            "overdue_days": (today() - submission.round.due_on).days if not submission.is_sent else 0,
        },
    )


def _row_fields(form: FiguresForm, return_form: ReturnForm, page: selectors.SubmissionPage) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for row in page.rows:
        pk = row.indicator.pk
        found[pk] = {
            "value": form[value_name(pk)] if value_name(pk) in form.fields else None,
            "note": form[note_name(pk)] if note_name(pk) in form.fields else None,
            "original": form[f"ban_dau_{pk}"] if f"ban_dau_{pk}" in form.fields else None,
            "comment": return_form[f"y_kien_{pk}"],
        }
    return found


def _run(request: HttpRequest, action: Any, form: Any = None) -> bool:
    """Run a service; show its refusal as messages (or on ``form``)."""
    try:
        action()
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            from tiendo.web.forms import add_service_error

            add_service_error(form, error)
        else:
            for message in error.messages:
                messages.error(request, message)
        return False
    return True


def _save_and_maybe_submit(
    request: HttpRequest, submission: Submission, form: FiguresForm, page: selectors.SubmissionPage, *, submit: bool
) -> list[dict[str, Any]] | None:
    """Save the typed figures (and send the report when asked). ``None`` when done;
    otherwise what someone else changed meanwhile (empty when the problem was ours)."""
    if not page.may_report:
        messages.error(request, _("Bạn không có quyền báo cáo cho “%(unit)s”.") % {"unit": submission.unit})
        return []
    if not form.is_valid():
        messages.error(request, _("Có số liệu chưa đúng; xem các ô được đánh dấu bên dưới."))
        return []
    rows = {row.indicator.pk: row for row in page.rows}
    entries = [
        services.Entry(submission, rows[pk].indicator, value, note)
        for pk, (value, note) in form.figures().items()
    ]
    try:
        result = services.save_figures(request.user, entries, expected_versions={submission.pk: form.cleaned_data["version"]})
    except services.EditConflict:
        return _what_others_changed(request, submission, form) or [{}]
    except services.FiguresRefused as refused:
        for problem in refused.problems:
            if problem.indicator is not None and value_name(problem.indicator.pk) in form.fields:
                form.add_error(value_name(problem.indicator.pk), problem.message)
            else:
                messages.error(request, problem.message)
        return []
    if submit:
        try:
            services.submit(request.user, submission)
        except ValidationError as error:  # the figures are kept as a draft; say what stands in the way
            messages.warning(request, _("Đã lưu nháp nhưng chưa gửi được báo cáo:"))
            for message in error.messages:
                messages.error(request, message)
            return None
    if submit:
        messages.success(request, _("Đã gửi báo cáo đến %(unit)s.") % {"unit": submission.round.reviewing_unit})
    elif result.changed:
        messages.success(
            request,
            ngettext("Đã lưu nháp %(count)s số liệu.", "Đã lưu nháp %(count)s số liệu.", result.changed)
            % {"count": result.changed},
        )
    else:
        messages.info(request, _("Không có số liệu nào thay đổi."))
    return None


def _what_others_changed(request: HttpRequest, submission: Submission, form: FiguresForm) -> list[dict[str, Any]]:
    """Each figure whose stored value differs from what the user saw when opening the form."""
    messages.error(
        request,
        _("Người khác đã lưu báo cáo này sau khi bạn mở nó. Số liệu của bạn chưa được lưu; xem thay đổi bên dưới rồi lưu lại."),
    )
    current = {
        row.indicator_id: row
        for row in DataValue.objects.filter(
            pk__in=[r.pk for r in services.current_figures(submission).values()]
        ).select_related("indicator", "entered_by")
    }
    changed = []
    for pk, seen in form.originals().items():
        row = current.get(pk)
        now = stored_text(row.value) if row else ""
        if now != seen:
            changed.append(
                {
                    "indicator": row.indicator if row else None,
                    "seen": format_number(Decimal(seen)) if seen else "—",
                    "now": format_number(row.value) if row else "—",
                    "by": row.entered_by if row else None,
                    "at": row.entered_at if row else None,
                }
            )
    return changed
