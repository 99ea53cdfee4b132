"""Roles held on subtrees of the unit tree (vai trò theo đơn vị)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Lãnh đạo (xem)")
    REPORTER = "reporter", _("Cán bộ báo cáo")
    REVIEWER = "reviewer", _("Chuyên viên tổng hợp")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


class Action(models.TextChoices):
    """What a user wants to do; each action is granted by some roles."""

    VIEW = "view", _("xem")
    REPORT = "report", _("báo cáo số liệu")
    REVIEW = "review", _("duyệt số liệu")
    MANAGE = "manage", _("quản trị đơn vị và người dùng")


ROLES_FOR_ACTION: dict[str, frozenset[str]] = {
    Action.VIEW: frozenset(Role.values),
    Action.REPORT: frozenset({Role.REPORTER}),
    Action.REVIEW: frozenset({Role.REVIEWER}),
    Action.MANAGE: frozenset({Role.UNIT_ADMIN}),
}


class RoleAssignment(models.Model):
    """A user's role on a unit and everything below it, at any date (phân quyền).

    A system administrator's role has no unit: it covers the whole tree.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("người dùng")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("đơn vị"),
    )
    title = models.CharField(_("chức danh"), max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="roleassignment_unique",
                violation_error_message=_("Người dùng đã có vai trò này ở đơn vị này."),
            ),
            models.CheckConstraint(
                condition=(Q(role="system_admin") & Q(unit__isnull=True)) | (~Q(role="system_admin") & Q(unit__isnull=False)),
                name="roleassignment_unit_matches_role",
                violation_error_message=_("Quản trị hệ thống không gắn với đơn vị; các vai trò khác phải gắn với một đơn vị."),
            ),
        ]

    def __str__(self) -> str:
        where = str(self.unit) if self.unit_id else gettext("toàn hệ thống")
        return f"{self.user} – {self.get_role_display()} – {where}"

    def clean(self) -> None:
        if (self.role == Role.SYSTEM_ADMIN) != (self.unit_id is None):
            raise ValidationError({"unit": _("Quản trị hệ thống không gắn với đơn vị; các vai trò khác phải gắn với một đơn vị.")})
