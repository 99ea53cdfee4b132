"""Pages of review reports (/bao-cao-tong-hop/): the list, "Tạo báo cáo", the report
page with its preview, the text to edit, "Viết lại từ số liệu" and the exports, the
export status partial the page polls, and the download. Thin views over
``selectors`` and ``services``; a refused action re-renders with 400."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiendo.reviews import selectors, services
from tiendo.reviews.forms import ExportForm, ReviewForm, TextForm
from tiendo.reviews.models import ReviewExport
from tiendo.web.forms import add_service_error


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/review_list.html", {"reviews": selectors.review_list(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.create_review(
                    request.user, kind=data["kind"], period_code=data["period_code"], resolution=data["resolution"],
                    program=data["program"], theme=data["theme"], unit=data["unit"], issuer=data["issuer"],
                    as_of=data["as_of"], layout=data["layout"], number=data["number"], subject=data["subject"],
                    signer_title=data["signer_title"], signer_name=data["signer_name"], recipients=data["recipients"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã soạn báo cáo từ số liệu."))
                return redirect("reviews:detail", pk=review.pk)
        return render(request, "reviews/review_form.html", {"form": form}, status=400)
    return render(request, "reviews/review_form.html", {"form": form})


def _page(request: HttpRequest, pk: int, text_form: TextForm | None = None, status: int = 200) -> HttpResponse:
    review = selectors.get_review_or_404(request.user, pk)
    page = selectors.review_page(request.user, review)
    form = text_form or TextForm(initial={"text": page.text, "keep_edit": True})
    return render(request, "reviews/review_detail.html", {"page": page, "form": form}, status=status)


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@login_required
@require_POST
def review_text(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_or_404(request.user, pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            services.update_text(request.user, review, form.cleaned_data["text"], keep_edit=form.cleaned_data["keep_edit"])
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, _("Đã lưu nội dung báo cáo."))
            return redirect("reviews:detail", pk=review.pk)
    return _page(request, pk, form, status=400)


@login_required
@require_POST
def review_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_or_404(request.user, pk)
    try:
        services.regenerate(request.user, review)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã viết lại báo cáo từ số liệu mới nhất."))
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_POST
def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_or_404(request.user, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Định dạng tệp không hợp lệ (chọn DOCX, PDF hoặc XLSX)."))
        return redirect("reviews:detail", pk=review.pk)
    try:
        export = services.request_export(request.user, review, form.cleaned_data["format"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reviews:detail", pk=review.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reviews/_partials/export.html", {"export": export})
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    export = selectors.get_export_or_404(request.user, pk)
    return render(request, "reviews/_partials/export.html", {"export": export})


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = selectors.get_export_or_404(request.user, pk)
    if export.state != ReviewExport.State.DONE or not export.file_path or not default_storage.exists(export.file_path):
        raise Http404(_("Tệp chưa sẵn sàng hoặc đã bị xóa."))
    return FileResponse(default_storage.open(export.file_path, "rb"), as_attachment=True, filename=export.download_name)
