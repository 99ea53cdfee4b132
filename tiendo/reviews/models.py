"""Review reports (báo cáo sơ kết, tổng kết, định kỳ, chuyên đề) built from the data.

A ``Review`` says what a report covers — a resolution, a program or a theme, counted
over a unit's subtree, for a period judged on a day — and who issues it. Its
narrative is written from a ``snapshot`` of the figures (``builder.compute``); the
snapshot's fingerprint tells when the data have changed since the text was written.
A ``ReviewExport`` is one file made from it in the background.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.lib import periods


class Review(models.Model):
    """A review report (báo cáo sơ kết / tổng kết / định kỳ / chuyên đề) of a
    resolution, a program or a theme, over a unit's subtree, for one period."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Sơ kết")
        FINAL = "final", _("Tổng kết")
        QUARTERLY = "quarterly", _("Báo cáo định kỳ quý")
        YEARLY = "yearly", _("Báo cáo định kỳ năm")
        THEMATIC = "thematic", _("Báo cáo chuyên đề")

    class Layout(models.TextChoices):
        PARTY = "party", _("Văn bản của Đảng (Hướng dẫn 36-HD/VPTW)")
        STATE = "state", _("Văn bản hành chính (Nghị định 30/2020/NĐ-CP)")

    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=Kind.choices)
    layout = models.CharField(_("thể thức"), max_length=5, choices=Layout.choices)
    # Exactly one of the three: what the report is about (constraint below).
    resolution = models.ForeignKey(
        "plans.Resolution", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews",
        verbose_name=_("nghị quyết"),
    )
    program = models.ForeignKey(
        "plans.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews",
        verbose_name=_("chương trình"),
    )
    theme = models.ForeignKey(
        "plans.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews",
        verbose_name=_("chủ đề năm"),
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("đơn vị tổng hợp số liệu"),
        help_text=_("Số liệu của đơn vị này và các đơn vị trực thuộc."),
    )
    issuer = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="issued_reviews", verbose_name=_("cơ quan ban hành")
    )
    # A period code of tiendo.lib.periods ("NK2020-2025", "2022", "2023-Q1") and the day the
    # figures are judged on: the mid-term review is the term judged on a day inside it.
    period_code = models.CharField(_("kỳ báo cáo"), max_length=20)
    as_of = models.DateField(_("số liệu tính đến ngày"))
    number = models.CharField(_("số, ký hiệu"), max_length=40, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=20, blank=True)
    superior_body = models.CharField(_("cơ quan cấp trên"), max_length=200, blank=True)
    issuing_body = models.CharField(_("tên cơ quan ban hành trên văn bản"), max_length=200)
    place = models.CharField(_("địa danh"), max_length=100)
    subject = models.CharField(_("trích yếu"), max_length=400)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    snapshot = models.JSONField(_("số liệu đã tính"), default=dict, blank=True)
    fingerprint = models.CharField(_("dấu vân tay số liệu"), max_length=64, blank=True)
    computed_at = models.DateTimeField(_("tính số liệu lúc"), null=True, blank=True)
    generated_text = models.TextField(_("nội dung tự soạn từ số liệu"), blank=True)
    edited_text = models.TextField(_("nội dung đã sửa"), blank=True)
    keep_edit = models.BooleanField(_("giữ nội dung đã sửa"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(resolution__isnull=False, program__isnull=True, theme__isnull=True)
                    | Q(resolution__isnull=True, program__isnull=False, theme__isnull=True)
                    | Q(resolution__isnull=True, program__isnull=True, theme__isnull=False)
                ),
                name="review_exactly_one_subject",
                violation_error_message=_("Báo cáo phải về đúng một nghị quyết, một chương trình hoặc một chủ đề."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def period(self) -> periods.Period:
        return periods.parse(self.period_code)

    @property
    def subject_object(self) -> models.Model:
        """The resolution, program or theme the report is about."""
        return self.resolution or self.program or self.theme  # type: ignore[return-value]

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ReviewExport(models.Model):
    """One file (DOCX, PDF or XLSX) made from a review in the background (tệp xuất
    báo cáo), with its progress so the page can show it and offer the download."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    # A generated name under the default storage (outside the web root), never the user's.
    file_path = models.CharField(_("tệp lưu trữ"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    fingerprint = models.CharField(_("dấu vân tay số liệu"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất báo cáo")
        verbose_name_plural = _("tệp xuất báo cáo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="reviewexport_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reviewexport_progress_max", violation_error_message=_("Tiến độ tối đa 100%.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.review_id}.{self.format} ({self.state})"

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def download_name(self) -> str:
        return f"bao-cao-{self.review_id}.{self.format}"
