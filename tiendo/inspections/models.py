"""Inspection and supervision (kiểm tra, giám sát) and what they ask the inspected to do.

A committee plans its inspections for a year (``InspectionPlan``), sends a team
(``TeamMember``) to inspect or supervise organisations and people (``InspectionSubject``),
writes down what it found and concludes (``Inspection``), and asks the inspected units to
act (``Recommendation``). Each recommendation is followed up as an ordinary task of the
tasks app, created with it in the same transaction (decision 0018): its status, reminders
and the overdue board are the tasks', not a second tracking system.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InspectionPlan(models.Model):
    """A committee's yearly programme of inspection and supervision (kế hoạch, chương
    trình kiểm tra, giám sát năm), e.g. the city standing committee's plan for 2022."""

    year = models.PositiveSmallIntegerField(_("năm"))
    conducting_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="inspection_plans", verbose_name=_("đơn vị ban hành")
    )
    # Optional: the demo and old records know a plan exists without knowing its number.
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conducting_unit", "number"],
                condition=~Q(number=""),
                name="inspection_plan_number_unique",
                violation_error_message=_("Đơn vị này đã có kế hoạch mang số, ký hiệu đó."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945, year__lte=2100),
                name="inspection_plan_year_range",
                violation_error_message=_("Năm của kế hoạch không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="inspection_plan_has_title", violation_error_message=_("Cần có trích yếu của kế hoạch.")
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """One inspection or supervision (cuộc kiểm tra, giám sát): who conducts it, on what
    decision, of whom, over which matters, what it found and what it concluded."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Kiểm tra")
        SUPERVISION = "supervision", _("Giám sát")
        VIOLATION = "violation", _("Kiểm tra khi có dấu hiệu vi phạm")

    plan = models.ForeignKey(
        InspectionPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("kế hoạch")
    )
    kind = models.CharField(_("hình thức"), max_length=12, choices=Kind.choices, default=Kind.INSPECTION)
    conducting_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="conducted_inspections", verbose_name=_("đơn vị tiến hành")
    )
    team_name = models.CharField(_("tên đoàn"), max_length=300, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    title = models.CharField(_("tên cuộc kiểm tra, giám sát"), max_length=500)
    scope = models.TextField(_("phạm vi, nội dung"), blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    strengths = models.TextField(_("kết quả, ưu điểm"), blank=True)
    shortcomings = models.TextField(_("hạn chế, khuyết điểm"), blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="inspection_has_title", violation_error_message=_("Cần ghi tên cuộc kiểm tra, giám sát.")
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="inspection_ends_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("starts_on")),
                name="inspection_concluded_after_start",
                violation_error_message=_("Ngày kết luận không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | ~Q(conclusions=""),
                name="inspection_conclusion_has_text",
                violation_error_message=_("Đã có ngày kết luận thì cần có nội dung kết luận."),
            ),
        ]
        indexes = [models.Index(fields=["conducting_unit", "starts_on"], name="inspection_unit_start_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None


class InspectionSubject(models.Model):
    """Who is inspected or supervised (đối tượng): an organisation (a unit of the tree)
    or a person, named or known only by position, with the unit they belong to."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="subjects")
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="inspection_subjects",
        verbose_name=_("tổ chức"),
    )
    person_name = models.CharField(_("họ tên"), max_length=200, blank=True)
    person_position = models.CharField(_("chức vụ"), max_length=300, blank=True)
    person_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị công tác")
    )

    class Meta:
        verbose_name = _("đối tượng kiểm tra, giám sát")
        verbose_name_plural = _("đối tượng kiểm tra, giám sát")
        ordering = ["inspection", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, person_name="", person_position="", person_unit__isnull=True)
                    | (Q(unit__isnull=True) & (~Q(person_name="") | ~Q(person_position="")))
                ),
                name="inspection_subject_unit_or_person",
                violation_error_message=_(
                    "Đối tượng là một tổ chức hoặc một cá nhân: chọn tổ chức, hoặc ghi họ tên, chức vụ của cá nhân, không ghi cả hai."
                ),
            ),
            models.UniqueConstraint(
                fields=["inspection", "unit"],
                condition=Q(unit__isnull=False),
                name="inspection_subject_unit_once",
                violation_error_message=_("Tổ chức này đã là đối tượng của cuộc kiểm tra, giám sát."),
            ),
        ]

    def __str__(self) -> str:
        if self.unit_id:
            return str(self.unit)
        return ", ".join(part for part in (self.person_name, self.person_position) if part)

    @property
    def is_person(self) -> bool:
        return self.unit_id is None


class TeamMember(models.Model):
    """A member of the inspection or supervision team (thành viên đoàn) and their role."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Trưởng đoàn")
        DEPUTY = "deputy", _("Phó trưởng đoàn")
        MEMBER = "member", _("Thành viên")
        SECRETARY = "secretary", _("Thư ký")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("họ tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=300, blank=True)
    role = models.CharField(_("nhiệm vụ trong đoàn"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("tài khoản")
    )

    class Meta:
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("thành viên đoàn")
        ordering = ["inspection", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="team_member_has_name", violation_error_message=_("Cần ghi họ tên thành viên đoàn.")
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(role="leader"),
                name="team_one_leader",
                violation_error_message=_("Mỗi đoàn chỉ có một trưởng đoàn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


# The order a team is listed in: the leader first, the secretary last.
ROLE_ORDER: dict[str, int] = {role.value: index for index, role in enumerate(TeamMember.Role)}


class Recommendation(models.Model):
    """What the conclusion asks an inspected unit to do (kiến nghị, yêu cầu), by a
    deadline. It is followed up through the task created with it (``task``)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    text = models.CharField(_("nội dung kiến nghị"), max_length=500)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="inspection_recommendations", verbose_name=_("đơn vị thực hiện")
    )
    deadline = models.DateField(_("thời hạn"))
    # The follow-up: deleting a task that answers an inspection is refused.
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.PROTECT, related_name="recommendation", verbose_name=_("nhiệm vụ theo dõi")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["inspection", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""), name="recommendation_has_text", violation_error_message=_("Cần ghi nội dung kiến nghị.")
            ),
        ]

    def __str__(self) -> str:
        return self.text
