"""What a Party committee resolves and how it organises the work.

A Congress resolution (Nghị quyết Đại hội) names breakthrough priorities (khâu đột
phá) and is carried out through full-term work programs (chương trình công tác
toàn khóa), each led by a steering board (Ban Chủ nhiệm). Each year has work themes
(chủ đề công tác năm); plans (kế hoạch) at every level implement a program or a
theme through items and models (mô hình) with targets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Resolution(models.Model):
    """A Congress resolution of a Party committee for one term (Nghị quyết Đại hội)."""

    title = models.CharField(_("tên"), max_length=300)
    issuer = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("cấp ủy ban hành")
    )
    congress_number = models.PositiveSmallIntegerField(_("Đại hội lần thứ"))
    term_start = models.PositiveSmallIntegerField(_("nhiệm kỳ từ năm"))
    term_end = models.PositiveSmallIntegerField(_("nhiệm kỳ đến năm"))
    adopted_on = models.DateField(_("ngày thông qua"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)

    class Meta:
        verbose_name = _("Nghị quyết Đại hội")
        verbose_name_plural = _("Nghị quyết Đại hội")
        ordering = ["-term_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")),
                name="resolution_term_ordered",
                violation_error_message=_("Năm kết thúc nhiệm kỳ phải sau năm bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def term_label(self) -> str:
        return f"{self.term_start}-{self.term_end}"

    @property
    def congress_roman(self) -> str:
        """Congresses are numbered in Roman numerals: "Đại hội lần thứ IV"."""
        number, numeral = self.congress_number, ""
        for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
            while number >= value:
                numeral, number = numeral + letters, number - value
        return numeral


class Priority(models.Model):
    """A breakthrough priority named in a resolution (khâu đột phá)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("khâu đột phá")
        verbose_name_plural = _("khâu đột phá")
        ordering = ["resolution", "number"]
        constraints = [models.UniqueConstraint(fields=["resolution", "number"], name="priority_number_unique")]

    def __str__(self) -> str:
        return f"Khâu đột phá thứ {self.number}"


class Program(models.Model):
    """A full-term work program implementing a resolution, e.g. "02-CTr/QU" (chương trình công tác)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="programs")
    number = models.CharField(_("số, ký hiệu"), max_length=40, help_text=_("Ví dụ: 02-CTr/QU"))
    title = models.TextField(_("tên chương trình"))
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="led_programs", verbose_name=_("đơn vị chủ trì")
    )
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs", verbose_name=_("khâu đột phá")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chương trình công tác")
        verbose_name_plural = _("chương trình công tác")
        ordering = ["resolution", "order", "number"]
        constraints = [models.UniqueConstraint(fields=["resolution", "number"], name="program_number_unique")]

    def __str__(self) -> str:
        return f"Chương trình {self.number}"


class BoardMember(models.Model):
    """A member of a program's steering board (thành viên Ban Chủ nhiệm)."""

    class Role(models.TextChoices):
        HEAD = "head", _("Chủ nhiệm")
        DEPUTY = "deputy", _("Phó Chủ nhiệm")
        STANDING = "standing", _("Thường trực")
        MEMBER = "member", _("Thành viên")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="board")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=300, blank=True)
    role = models.CharField(_("vai trò trong Ban"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thành viên Ban Chủ nhiệm")
        verbose_name_plural = _("thành viên Ban Chủ nhiệm")
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Theme(models.Model):
    """An annual work theme (chủ đề công tác năm), e.g. "Vì một Long Biên xanh - sạch - đẹp"."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("chủ đề"), max_length=300)
    issuer = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="themes", verbose_name=_("cấp phát động"))
    programs = models.ManyToManyField(Program, blank=True, related_name="themes", verbose_name=_("gắn với chương trình"))

    class Meta:
        verbose_name = _("chủ đề công tác năm")
        verbose_name_plural = _("chủ đề công tác năm")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Plan(models.Model):
    """A plan (kế hoạch) at one level for one year implementing a program or a theme."""

    title = models.CharField(_("tên kế hoạch"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=40, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="plans", verbose_name=_("cấp ban hành"))
    year = models.PositiveSmallIntegerField(_("năm"))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=False) | Q(theme__isnull=False),
                name="plan_implements_something",
                violation_error_message=_("Kế hoạch phải thực hiện một chương trình hoặc một chủ đề."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """An item of a plan: a task or a model to build (mô hình), with a target and a
    responsible unit, e.g. "15 tuyến phố xanh - sạch - đẹp"."""

    class Kind(models.TextChoices):
        TASK = "task", _("Nội dung, nhiệm vụ")
        MODEL = "model", _("Mô hình")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("nội dung"), max_length=300)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("đơn vị thực hiện")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_items",
        verbose_name=_("chỉ tiêu theo dõi"),
    )
    target_text = models.CharField(_("mục tiêu"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = _("nội dung kế hoạch")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title
