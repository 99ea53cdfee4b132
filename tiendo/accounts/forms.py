from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Role
from tiendo.orgs.forms import ScopedForm, UnitField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class RoleChoiceField(forms.ChoiceField):
    """Any role is accepted when the form is read (so that the service, not the form,
    refuses a role the actor may not give, with its own message); the select only
    offers the roles this actor can give."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Role.choices, **kwargs)

    def offer(self, roles: list[str]) -> None:
        self.widget.choices = [(value, label) for value, label in Role.choices if value in roles]


def _offered_roles(actor: Any) -> list[str]:
    from tiendo.accounts.services import is_system_admin

    return [role for role in Role.values if role != Role.SYSTEM_ADMIN or is_system_admin(actor)]


class GrantRoleForm(ScopedForm):
    role = RoleChoiceField(label=_("Vai trò"))
    unit = UnitField(
        label=_("Đơn vị"), required=False, help_text=_("Vai trò áp dụng cho đơn vị này và các đơn vị trực thuộc.")
    )
    title = forms.CharField(label=_("Chức danh"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].offer(_offered_roles(self.user))  # type: ignore[attr-defined]


class CreateUserForm(ScopedForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Nên viết không dấu, không có dấu cách, ví dụ nguyen.van.an"),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=_("Ít nhất 10 ký tự; người dùng nên đổi ngay sau lần đăng nhập đầu."),
    )
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    role = RoleChoiceField(label=_("Vai trò"), initial=Role.VIEWER)
    unit = UnitField(
        label=_("Đơn vị"), required=False, help_text=_("Vai trò áp dụng cho đơn vị này và các đơn vị trực thuộc.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].offer(_offered_roles(self.user))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("Hai mật khẩu không khớp."))
        return data


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm người dùng"), max_length=100, required=False)
