"""Directives and the tasks that carry them out (chỉ đạo, nhiệm vụ).

A ``Directive`` is what a standing committee concludes or orders (kết luận, chỉ thị,
thông báo kết luận, thông tri, kế hoạch). A ``Task`` is one thing a unit must deliver
by a deadline, with its expected output; it may come from a directive, a program, a
plan or a recommendation of an inspection (``tiendo.inspections`` creates that task
with the recommendation), and may be split into sub-tasks assigned down the tree.
Its status is computed from dates (``tiendo.tasks.status``), never stored.
Progress reports and deadline changes are rows of their own, so their history stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.lib.text import fold


class Directive(models.Model):
    """A directive or conclusion of a committee (văn bản chỉ đạo), e.g.
    "Số 01-KL/QU" or "Thông tri 03-TT/QU"."""

    class Kind(models.TextChoices):
        CONCLUSION = "conclusion", _("Kết luận")
        CONCLUSION_NOTICE = "notice", _("Thông báo kết luận")
        DIRECTIVE = "directive", _("Chỉ thị")
        CIRCULAR = "circular", _("Thông tri")
        PLAN = "plan", _("Kế hoạch")
        OTHER = "other", _("Văn bản khác")

    kind = models.CharField(_("loại văn bản"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="directives", verbose_name=_("cơ quan ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    text = models.TextField(_("nội dung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"],
                name="directive_number_unique",
                violation_error_message=_("Cơ quan này đã có văn bản mang số, ký hiệu đó."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Task(models.Model):
    """A task (nhiệm vụ): what a lead unit must deliver (``expected_output``, the
    sản phẩm) by ``deadline``, with coordinating units. A recurring task is a series
    whose occurrences are tasks of their own (``series``), created once each."""

    class Priority(models.TextChoices):
        NORMAL = "normal", _("Bình thường")
        HIGH = "high", _("Quan trọng")
        URGENT = "urgent", _("Khẩn")

    class Recurrence(models.TextChoices):
        NONE = "", _("Không lặp lại")
        MONTHLY = "month", _("Hằng tháng")
        QUARTERLY = "quarter", _("Hằng quý")
        YEARLY = "year", _("Hằng năm")

    title = models.CharField(_("nhiệm vụ"), max_length=500)
    expected_output = models.CharField(_("sản phẩm"), max_length=500)
    description = models.TextField(_("nội dung, yêu cầu"), blank=True)
    directive = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("văn bản chỉ đạo")
    )
    program = models.ForeignKey(
        "plans.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("chương trình")
    )
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("kế hoạch"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks", verbose_name=_("nhiệm vụ cấp trên")
    )
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("nhiệm vụ định kỳ")
    )
    assigned_by = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="assigned_tasks", verbose_name=_("đơn vị giao")
    )
    lead_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("đơn vị chủ trì"))
    coordinating_units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="coordinated_tasks", verbose_name=_("đơn vị phối hợp")
    )
    deadline = models.DateField(_("thời hạn"))
    recurrence = models.CharField(_("lặp lại"), max_length=8, choices=Recurrence.choices, default=Recurrence.NONE, blank=True)
    recurs_until = models.DateField(_("lặp lại đến ngày"), null=True, blank=True)
    priority = models.CharField(_("mức độ"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completion_report = models.TextField(_("báo cáo hoàn thành, minh chứng"), blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận hoàn thành lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Title, output and description folded (no diacritics, lower case): "phuc loi" finds "Phúc Lợi" on both databases.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(expected_output=""),
                name="task_has_output",
                violation_error_message=_("Nhiệm vụ cần nêu rõ sản phẩm."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="task_progress_percent", violation_error_message=_("Tiến độ tối đa 100%.")
            ),
            models.UniqueConstraint(
                fields=["series", "deadline"],
                condition=Q(series__isnull=False),
                name="task_occurrence_once",
                violation_error_message=_("Kỳ này của nhiệm vụ định kỳ đã được tạo."),
            ),
        ]
        indexes = [models.Index(fields=["lead_unit", "deadline"], name="task_unit_deadline_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(" ".join([self.title, self.expected_output, self.description]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class TaskUpdate(models.Model):
    """A progress report on a task (báo cáo tiến độ): a percentage and what was done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    text = models.TextField(_("kết quả thực hiện"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task}: {self.progress}%"


class DeadlineChange(models.Model):
    """A request to extend a task's deadline (đề nghị gia hạn), and the assigning
    level's decision; the old deadline stays here as history."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Chờ quyết định")
        APPROVED = "approved", _("Đồng ý")
        REFUSED = "refused", _("Không đồng ý")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadline_changes")
    old_deadline = models.DateField(_("thời hạn cũ"))
    new_deadline = models.DateField(_("thời hạn đề nghị"))
    reason = models.CharField(_("lý do"), max_length=500)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("ý kiến"), max_length=500, blank=True)

    class Meta:
        ordering = ["task", "-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state="requested"),
                name="deadline_change_one_open",
                violation_error_message=_("Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.old_deadline} → {self.new_deadline}"


class TaskReminder(models.Model):
    """The ledger of the task reminder job (``tiendo.tasks.reminders``): one row per
    task, rule and person already reminded, so each rule reaches each person once
    although the reminders go out bundled in one digest per person and run."""

    class Rule(models.TextChoices):
        SOON = "soon", _("Sắp đến hạn")
        DUE = "due", _("Đến hạn hôm nay")
        OVERDUE = "overdue", _("Quá hạn")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    rule = models.CharField(max_length=8, choices=Rule.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("nhắc việc nhiệm vụ")
        verbose_name_plural = _("nhắc việc nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["task", "rule", "user"], name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.rule} → {self.user_id}"
