"""Periodic reporting (báo cáo định kỳ): what units report, when, and how it is checked.

A *data set* names the indicators reported together; a *schedule* says which units
report it and when rounds open and fall due; a *round* is one period of it; each
unit's *submission* in a round walks draft → submitted → approved (or returned with
comments, value by value). Every submission is frozen as sent in a
``SubmissionVersion``; a later correction is a restatement with a reason.

The figures themselves stay ``indicators.DataValue`` rows, so rollups and history
need nothing new: the submission only says which state they are in and who may
change them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.indicators.models import PERIOD_KINDS, PeriodFields
from tiendo.lib.dates import local_date


class DataSet(models.Model):
    """A set of indicators reported together by a deadline (bộ chỉ tiêu báo cáo),
    e.g. the quarterly progress report of the wards."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    period_kind = models.CharField(_("loại kỳ"), max_length=12, choices=PERIOD_KINDS)
    description = models.TextField(_("mô tả"), blank=True)
    indicators = models.ManyToManyField(
        "indicators.Indicator", through="DataSetIndicator", related_name="data_sets", verbose_name=_("chỉ tiêu")
    )

    class Meta:
        verbose_name = _("bộ chỉ tiêu báo cáo")
        verbose_name_plural = _("bộ chỉ tiêu báo cáo")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DataSetIndicator(models.Model):
    """An indicator's place in a data set (thứ tự, bắt buộc hay không)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    section = models.CharField(_("nhóm"), max_length=200, blank=True)
    check_outliers = models.BooleanField(
        _("cảnh báo số bất thường"),
        default=True,
        help_text=_(
            "So sánh với các kỳ trước của đơn vị và yêu cầu ghi chú khi số khác xa. Tắt cho số lũy kế từ đầu năm, "
            "vốn tăng dần trong năm."
        ),
    )

    class Meta:
        ordering = ["data_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "indicator"],
                name="dataset_indicator_unique",
                violation_error_message=_("Chỉ tiêu đã có trong bộ chỉ tiêu này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_set_id}: {self.indicator_id}"


class ValidationRule(models.Model):
    """A check across indicators of a data set (quy tắc kiểm tra), written over
    indicator codes, e.g. ``GD_VANHOA <= TONG_HO``; a breach blocks submission."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="rules")
    expression = models.CharField(_("biểu thức"), max_length=500)
    message = models.CharField(_("thông báo khi sai"), max_length=400)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["data_set", "pk"]

    def __str__(self) -> str:
        return self.expression

    def clean(self) -> None:
        from tiendo.lib.expressions import compile_rule

        compile_rule(self.expression)  # raises ValueError with a Vietnamese message


class Schedule(models.Model):
    """When a data set is reported (lịch báo cáo): by which units, how many days
    after a period ends its round opens and falls due, and how early to remind.

    Offsets count from the day after the period's last day (may be negative: a
    quarterly report usually opens some days before the quarter ends)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="schedules", verbose_name=_("bộ chỉ tiêu"))
    name = models.CharField(_("tên"), max_length=300)
    reviewing_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tổng hợp, duyệt")
    )
    units = models.ManyToManyField("orgs.OrgUnit", related_name="report_schedules", verbose_name=_("đơn vị phải báo cáo"))
    starts_on = models.DateField(_("áp dụng từ kỳ bắt đầu ngày"))
    ends_on = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    open_offset_days = models.SmallIntegerField(_("mở trước (-) hoặc sau (+) khi hết kỳ, số ngày"), default=-10)
    due_offset_days = models.SmallIntegerField(_("hạn nộp sau khi hết kỳ, số ngày"), default=10)
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn, số ngày"), default=3)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_offset_days__gt=models.F("open_offset_days")),
                name="schedule_due_after_open",
                violation_error_message=_("Hạn nộp phải sau ngày mở đợt báo cáo."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Round(PeriodFields):
    """One period of a data set to report (đợt báo cáo), e.g. Quý III/2024, with the
    day it opens and the day it is due; the units that must report have one
    ``Submission`` each."""

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("bộ chỉ tiêu"))
    schedule = models.ForeignKey(Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="rounds")
    reviewing_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tổng hợp, duyệt")
    )
    opens_on = models.DateField(_("ngày mở"))
    due_on = models.DateField(_("hạn nộp"))
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn, số ngày"), default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-period_start", "data_set"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "reviewing_unit", "period_kind", "period_start"],
                name="round_unique",
                violation_error_message=_("Đã có đợt báo cáo của bộ chỉ tiêu này cho kỳ này."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")),
                name="round_due_after_open",
                violation_error_message=_("Hạn nộp phải từ ngày mở trở đi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_set.name} – {self.period.label}"

    def is_open_on(self, day: dt.date) -> bool:
        return day >= self.opens_on


class Submission(models.Model):
    """One unit's report in one round (báo cáo của đơn vị): its workflow state, who
    sent and approved it and when. ``version`` grows with every save, so two people
    editing the same form cannot overwrite each other unseen."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
        RETURNED = "returned", _("Bị trả lại")
        APPROVED = "approved", _("Đã duyệt")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("đợt báo cáo"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("đơn vị"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("duyệt hoặc trả lại lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_comment = models.TextField(_("ý kiến của người duyệt"), blank=True)
    reopen_reason = models.CharField(_("lý do mở lại"), max_length=400, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["round", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"],
                name="submission_unique",
                violation_error_message=_("Đơn vị đã có báo cáo trong đợt này."),
            )
        ]
        indexes = [models.Index(fields=["unit", "state"], name="submission_unit_state_idx")]

    def __str__(self) -> str:
        return f"{self.round} – {self.unit}"

    @property
    def is_sent(self) -> bool:
        return self.first_submitted_at is not None

    @property
    def submitted_late_days(self) -> int | None:
        """Days past the due date of the first submission (0 or less: on time)."""
        if self.first_submitted_at is None:
            return None
        return (local_date(self.first_submitted_at) - self.round.due_on).days

    @property
    def on_time(self) -> bool | None:
        days = self.submitted_late_days
        return None if days is None else days <= 0


class SubmissionVersion(models.Model):
    """A submission frozen as it was sent (bản báo cáo đã gửi): the figures, to whom,
    when and by whom. The first is the submission; later ones are restatements
    (báo cáo điều chỉnh) and carry the reason."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("lần gửi"))
    sent_at = models.DateTimeField(_("gửi lúc"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_to = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("gửi đến"))
    figures = models.JSONField(_("số liệu"), default=dict)  # indicator code → {"value": "21327", "note": "..."}
    reason = models.CharField(_("lý do điều chỉnh"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("bản báo cáo đã gửi")
        verbose_name_plural = _("bản báo cáo đã gửi")
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="submission_version_unique")]

    def __str__(self) -> str:
        return f"{self.submission} – lần {self.number}"

    @property
    def is_restatement(self) -> bool:
        return self.number > 1


class ReturnedValue(models.Model):
    """One figure the reviewer sent back with a comment (số liệu bị trả lại); the
    reporter corrects and resubmits only these."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="returned_values")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="+")
    comment = models.CharField(_("ý kiến"), max_length=1000)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    returned_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], condition=Q(resolved_at__isnull=True), name="returned_value_open_unique"
            )
        ]

    def __str__(self) -> str:
        return self.comment


class Notification(models.Model):
    """A message to one user in the app, also sent by e-mail (thông báo). ``key``
    names the rule and occasion, so a job run twice sends it once."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Mở đợt báo cáo")
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        RETURNED = "returned", _("Bị trả lại")
        SUBMITTED = "submitted", _("Có báo cáo chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REMINDER = "reminder", _("Nhắc nộp báo cáo")
        TASKS = "tasks", _("Nhắc hạn nhiệm vụ")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=120)
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.subject


class JobRun(models.Model):
    """One run of a background job (lần chạy tác vụ nền), with what it did, so an
    administrator can see that reminders went out."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    name = models.CharField(max_length=60)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    log = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"
