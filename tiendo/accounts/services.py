"""Every change to users and their roles goes through these functions.

Like the tree services, each takes the acting user, checks before writing (a refusal
writes nothing), runs in one transaction and logs what it wrote to the audit log.
Refusals are ``ValidationError`` with Vietnamese messages meant for the user.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action, Role, RoleAssignment
from tiendo.accounts.scope import EVERYTHING, can, forget_scope, scope_paths
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.orgs.models import OrgUnit

Actor = Any

# Never copied into the audit log: a password hash is a secret even when hashed.
_SECRET_FIELDS = {"password"}


def is_system_admin(user: Any) -> bool:
    """Whether ``user`` acts on the whole tree (the scoping layer's "everything");
    ``None`` is the system itself (management commands such as the demo loader)."""
    return user is None or scope_paths(user, Action.MANAGE) is EVERYTHING


def _check_grant(actor: Actor, role: str, unit: OrgUnit | None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Vai trò “%(role)s” không tồn tại.") % {"role": role})
    if role == Role.SYSTEM_ADMIN:
        if not is_system_admin(actor):
            raise ValidationError(_("Chỉ quản trị hệ thống mới được cấp quyền quản trị hệ thống."))
        if unit is not None:
            raise ValidationError(_("Quản trị hệ thống áp dụng cho toàn hệ thống, không gắn với đơn vị."))
        return
    if unit is None:
        raise ValidationError(_("Cần chọn đơn vị cho vai trò này."))
    if actor is not None and not can(actor, Action.MANAGE, unit):
        raise ValidationError(
            _("Đơn vị “%(unit)s” nằm ngoài phạm vi bạn được quản trị; không thể phân quyền tại đó.") % {"unit": unit}
        )


@transaction.atomic
def grant_role(actor: Actor, user: Any, role: str, unit: OrgUnit | None, title: str = "") -> RoleAssignment:
    """Give ``user`` the ``role`` on ``unit`` and its subtree (on the whole tree for a
    system administrator)."""
    _check_grant(actor, role, unit)
    if role == Role.SYSTEM_ADMIN:
        unit = None
    # The database cannot refuse this one for system administrators: NULL units are distinct.
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        where = str(unit) if unit is not None else _("toàn hệ thống")
        raise ValidationError(
            _("“%(user)s” đã có vai trò %(role)s tại %(where)s.")
            % {"user": user.get_username(), "role": Role(role).label, "where": where}
        )
    assignment = RoleAssignment(
        user=user,
        role=role,
        unit=unit,
        title=title.strip(),
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The user and unit were checked above; skip re-fetching them to validate the keys.
    assignment.full_clean(exclude=["user", "unit", "granted_by"])
    assignment.save()
    audit.record(actor, AuditEntry.Action.CREATE, assignment)
    forget_scope(user)
    return assignment


@transaction.atomic
def revoke_role(actor: Actor, assignment: RoleAssignment) -> None:
    """Take a role away. Only a system administrator may revoke a system administrator."""
    if assignment.role == Role.SYSTEM_ADMIN or assignment.unit is None:
        if not is_system_admin(actor):
            raise ValidationError(_("Chỉ quản trị hệ thống mới được thu hồi quyền quản trị hệ thống."))
    elif not can(actor, Action.MANAGE, assignment.unit):
        raise ValidationError(
            _("Đơn vị “%(unit)s” nằm ngoài phạm vi bạn được quản trị; không thể thu hồi vai trò tại đó.")
            % {"unit": assignment.unit}
        )
    before = audit.snapshot(assignment)
    user = assignment.user
    audit.record(actor, AuditEntry.Action.DELETE, assignment, before=before)
    assignment.delete()
    forget_scope(user)


def _user_snapshot(user: Any) -> dict[str, Any]:
    return {key: value for key, value in audit.snapshot(user).items() if key not in _SECRET_FIELDS}


@transaction.atomic
def create_user(
    actor: Actor,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: str,
    unit: OrgUnit | None,
    title: str = "",
    encoded_password: str | None = None,
) -> Any:
    """A new account with its first role; the role decides who may create it, so a
    unit administrator creates users only inside their own subtree.

    ``encoded_password``, an already hashed password, replaces ``password``: accounts
    brought from another installation, or demo accounts that share one password
    (hashing it once saves a quarter of a second per account)."""
    _check_grant(actor, role, unit)
    user_model = get_user_model()
    username = username.strip()
    full_name = " ".join(full_name.split())
    email = email.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors.setdefault("username", []).append(_("Cần có tên đăng nhập."))
    else:
        try:
            user_model.username_validator(username)
        except ValidationError:
            errors.setdefault("username", []).append(
                _("Tên đăng nhập chỉ gồm chữ cái, chữ số và các ký tự . @ + - _ (không có dấu cách).")
            )
        if user_model.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(
                _("Tên đăng nhập “%(name)s” đã có người dùng.") % {"name": username}
            )
    if not full_name:
        errors.setdefault("full_name", []).append(_("Cần có họ và tên."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    # Vietnamese names put the family name first ("Nguyễn Văn An") while Django's
    # get_full_name() prints first_name then last_name; keeping the whole name in
    # first_name shows it in the right order everywhere.
    user = user_model(username=username, first_name=full_name[:150], email=email)
    if encoded_password is None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors.setdefault("password", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if encoded_password is None:
        user.set_password(password)
    else:
        user.password = encoded_password
    user.save()
    audit.record(actor, AuditEntry.Action.CREATE, user, after=_user_snapshot(user))
    grant_role(actor, user, role, unit, title=title)
    return user
