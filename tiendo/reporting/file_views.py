"""Excel and CSV data entry pages: download a template for one unit or for every unit
the user reports for, and upload a filled template or a CSV file. Thin views over
``spreadsheets`` (reading and writing files) and ``services.save_figures``.

Who sees what: a round, a unit's template or the upload page is a 404 unless the
user may report for the unit (or for one unit of the round), or review the round;
a unit outside the user's scope is a 404 as on every page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tiendo.accounts.scope import get_unit_or_404
from tiendo.lib.text import fold
from tiendo.lib.vn import format_number
from tiendo.reporting import selectors, services, spreadsheets
from tiendo.reporting.models import Round, Submission


class UploadForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # an empty file gets our own message, with the others (spreadsheets.read_file)
        label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV (.csv)"),
        help_text=gettext_lazy("Tệp mẫu tải từ trang này, đã điền số liệu; hoặc tệp CSV theo định dạng đã mô tả."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _round_submissions(user: Any, round_: Round) -> tuple[list[Submission], set[int], bool]:
    """The round's submissions, the units among them the user may report for, and
    whether the user reviews the round; 404 when the user may do neither."""
    submissions = list(round_.submissions.select_related("unit"))
    for submission in submissions:
        submission.round = round_
    reportable = services.reportable_unit_ids(user, [s.unit_id for s in submissions])
    reviewer = services.may_review(user, round_)
    if not reportable and not reviewer:
        raise Http404(_("Không tìm thấy đợt báo cáo."))
    return submissions, reportable, reviewer


def _file_name(round_: Round, part: str) -> str:
    text = fold(f"mau-{round_.data_set.code}-{round_.period.code}-{part}").replace(" ", "-")
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text) + ".xlsx"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    patch_cache_control(response, private=True, no_store=True)  # the unit's figures: no shared cache keeps them
    return response


@login_required
@require_GET
def unit_template(request: HttpRequest, round_pk: int, unit_pk: int) -> HttpResponse:
    """The template of one unit's report in a round."""
    round_ = selectors.get_round_or_404(request.user, round_pk)
    unit = get_unit_or_404(request.user, unit_pk)
    submission = get_object_or_404(Submission.objects.select_related("unit"), round=round_, unit=unit)
    submission.round = round_
    if not (services.may_report(request.user, submission) or services.may_review(request.user, submission)):
        raise Http404(_("Không tìm thấy báo cáo."))
    content = spreadsheets.write_template(request.user, round_, [submission])
    label = spreadsheets.unit_labels([unit.pk], round_.period).get(unit.pk, ("", ""))
    return _xlsx_response(content, _file_name(round_, label[1] or str(unit.pk)))


@login_required
@require_GET
def round_template(request: HttpRequest, round_pk: int) -> HttpResponse:
    """One workbook for several units (a district office entering for its wards):
    every unit of the round the user may report for, or those named by ``?don_vi=``.
    A reviewer who reports for none gets every unit, read-only."""
    round_ = selectors.get_round_or_404(request.user, round_pk)
    submissions, reportable, reviewer = _round_submissions(request.user, round_)
    by_unit = {s.unit_id: s for s in submissions}
    wanted = request.GET.getlist("don_vi")
    if wanted:
        chosen: dict[int, Submission] = {}
        for raw in wanted:
            unit = get_unit_or_404(request.user, raw)
            submission = by_unit.get(unit.pk)
            if submission is None or not (unit.pk in reportable or reviewer):
                raise Http404(_("Đơn vị không báo cáo trong đợt này."))
            chosen[unit.pk] = submission
        selected = list(chosen.values())
    else:
        selected = [s for s in submissions if s.unit_id in reportable] or submissions
    part = "nhieu-don-vi" if len(selected) > 1 else str(selected[0].unit_id)
    return _xlsx_response(spreadsheets.write_template(request.user, round_, selected), _file_name(round_, part))


def _page_context(round_: Round, submissions: list[Submission], reportable: set[int]) -> dict[str, Any]:
    mine = [s for s in submissions if s.unit_id in reportable]
    labels = spreadsheets.unit_labels([s.unit_id for s in mine], round_.period)
    units = [
        {
            "name": (labels.get(s.unit_id) or (str(s.unit), ""))[0],
            "code": labels.get(s.unit_id, ("", ""))[1],
            "state": s.get_state_display(),
            "template_url": reverse("reporting:template", args=[round_.pk, s.unit_id]),
            "form_url": reverse("reporting:form", args=[round_.pk, s.unit_id]),
        }
        for s in mine
    ]
    return {
        "round": round_,
        "units": units,
        "round_template_url": reverse("reporting:round_template", args=[round_.pk]),
        "max_size": format_number(Decimal(settings.REPORTING_UPLOAD_MAX_BYTES) / 2**20, 1),
        "csv_header": ";".join(spreadsheets.CSV_COLUMNS),
    }


def _result_units(round_: Round, submissions: list[Submission]) -> list[dict[str, str]]:
    labels = spreadsheets.unit_labels([s.unit_id for s in submissions], round_.period)
    return [
        {"name": (labels.get(s.unit_id) or (str(s.unit), ""))[0], "form_url": reverse("reporting:form", args=[round_.pk, s.unit_id])}
        for s in submissions
    ]


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, round_pk: int) -> HttpResponse:
    """GET: the upload form and the templates to download. POST: read the file and
    save its figures, all or nothing; the page then lists every problem (sheet,
    cell, reason) or says how many figures changed."""
    round_ = selectors.get_round_or_404(request.user, round_pk)
    submissions, reportable, _reviewer = _round_submissions(request.user, round_)
    context = _page_context(round_, submissions, reportable)
    if request.method != "POST":
        context["form"] = UploadForm()
        return render(request, "reporting/upload.html", context)
    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "reporting/upload.html", context, status=400)
    upload_file = form.cleaned_data["file"]
    limit = settings.REPORTING_UPLOAD_MAX_BYTES
    context["filename"] = upload_file.name
    if upload_file.size > limit:
        # Refused before the file is opened: Django has it on disk, nothing reads it.
        context["problems"] = [services.Problem(None, None, spreadsheets.size_problem(upload_file.size, limit), _("Tệp"))]
        return render(request, "reporting/upload.html", context, status=400)
    data = upload_file.read()
    try:
        result = spreadsheets.import_file(request.user, round_, data, upload_file.name or "", max_bytes=limit)
    except spreadsheets.UploadRefused as refused:
        context["problems"] = refused.problems
        context["warnings"] = refused.warnings
        return render(request, "reporting/upload.html", context, status=400)
    context["result"] = result
    context["warnings"] = result.warnings
    context["result_units"] = _result_units(round_, result.submissions)
    context["form"] = UploadForm()
    return render(request, "reporting/upload.html", context)
