"""Forms for the pages a unit administrator uses to change the tree.

They only read and check what was typed; every rule about the tree lives in
``tiendo.orgs.services``, whose refusals the views put back on these forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import get_unit_or_404
from tiendo.orgs.models import ALLOWED_PARENT_KINDS, OrgUnit, ReorgEvent, UnitKind
from tiendo.web.forms import VietnameseDateField, VietnameseNumberField


class UnitField(forms.Field):
    """A unit picked by id and fetched through the scoping layer for ``action``.

    The select lists the units the page offers, but a posted id is never trusted: it is
    fetched again with ``get_unit_or_404``, so an id outside the user's scope is a 404,
    exactly as on any other page, and nothing is written. The owning form sets ``user``.
    """

    widget = forms.Select

    def __init__(self, *, action: str = Action.MANAGE, **kwargs: Any) -> None:
        self.action = action
        self.user: Any = None
        super().__init__(**kwargs)

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        self.widget.choices = [("", _("— chọn đơn vị —")), *choices]  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> OrgUnit | None:
        if value in self.empty_values:
            return None
        if isinstance(value, OrgUnit):
            value = value.pk
        if self.user is None:  # pragma: no cover - a programming error, not a user error
            raise RuntimeError("UnitField needs the form to set .user before cleaning")
        return get_unit_or_404(self.user, value, self.action)

    def prepare_value(self, value: Any) -> Any:
        return value.pk if isinstance(value, OrgUnit) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        # Compare ids as typed: fetching here would query (and 404) twice per field.
        return str(self.prepare_value(initial) or "") != str(data or "")


class ScopedForm(forms.Form):
    """A form whose unit fields are fetched for ``user``."""

    def __init__(self, *args: Any, user: Any, unit_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, UnitField):
                field.user = user
                field.set_choices(unit_choices or [])


def _legal_basis() -> forms.CharField:
    return forms.CharField(
        label=_("Căn cứ"),
        max_length=300,
        required=False,
        help_text=_("Văn bản quyết định, ví dụ “Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025”."),
    )


def _note() -> forms.CharField:
    return forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _event_date(label: str | None = None) -> VietnameseDateField:
    return VietnameseDateField(
        label=label or _("Ngày hiệu lực"),
        help_text=_("Ngày/tháng/năm, ví dụ 1/7/2025: ngày đầu tiên áp dụng thay đổi."),
    )


def child_kinds(parent: OrgUnit) -> list[tuple[str, str]]:
    """The kinds of unit that may hang under ``parent``."""
    return [(kind.value, str(kind.label)) for kind in UnitKind if parent.kind in ALLOWED_PARENT_KINDS.get(kind, set())]


def peer_kinds(kind: str) -> set[str]:
    """Kinds a unit's history may pass to: wards and communes merge into one another."""
    local = {UnitKind.WARD, UnitKind.COMMUNE}
    return set(local) if kind in local else {kind}


class CreateUnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn vị"))
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    code = forms.CharField(label=_("Mã"), max_length=30, required=False, help_text=_("Mã chính thức, nếu có."))
    valid_from = VietnameseDateField(label=_("Thành lập từ ngày"), help_text=_("Ngày/tháng/năm, ví dụ 30/6/2025."))
    valid_to = VietnameseDateField(
        label=_("Hết hiệu lực từ ngày"),
        required=False,
        help_text=_("Chỉ điền khi ghi lại một đơn vị đã kết thúc, hoặc khi đơn vị cấp trên đã kết thúc (đơn vị mới kết thúc cùng ngày)."),
    )
    note = _note()

    def __init__(self, *args: Any, parent: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = child_kinds(parent)  # type: ignore[attr-defined]
        if parent.valid_to is not None:
            self.fields["valid_to"].initial = parent.valid_to


class RenameForm(forms.Form):
    date = _event_date()
    name = forms.CharField(label=_("Tên mới"), max_length=200)
    code = forms.CharField(
        label=_("Mã mới"), max_length=30, required=False, help_text=_("Để trống nếu đơn vị không có mã.")
    )
    legal_basis = _legal_basis()
    note = _note()


class MoveForm(ScopedForm):
    date = _event_date()
    new_parent = UnitField(
        label=_("Đơn vị cấp trên mới"),
        help_text=_("Chỉ gồm các đơn vị bạn được quản trị và đang tồn tại vào ngày hiệu lực."),
    )
    legal_basis = _legal_basis()
    note = _note()


class MergeForm(ScopedForm):
    date = _event_date()
    into = UnitField(label=_("Sáp nhập vào đơn vị"), help_text=_("Đơn vị nhận toàn bộ địa bàn, dân số và số liệu."))
    move_children = forms.BooleanField(
        label=_("Chuyển tất cả đơn vị trực thuộc hiện có sang đơn vị nhận"),
        required=False,
        initial=True,
        help_text=_("Nếu bỏ chọn, đơn vị phải không còn đơn vị trực thuộc nào vào ngày hiệu lực."),
    )
    legal_basis = _legal_basis()
    note = _note()


class SplitForm(ScopedForm):
    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[
            (ReorgEvent.Kind.SPLIT.value, _("Chia tách: địa bàn chia cho từ hai đơn vị nhận trở lên")),
            (ReorgEvent.Kind.DISSOLVE.value, _("Giải thể: đơn vị chấm dứt; có thể có hoặc không có đơn vị nhận")),
        ],
        initial=ReorgEvent.Kind.SPLIT.value,
        widget=forms.RadioSelect,
    )
    date = _event_date()
    children_to = UnitField(
        label=_("Chuyển các đơn vị trực thuộc sang"),
        required=False,
        help_text=_("Bắt buộc nếu đơn vị còn đơn vị trực thuộc vào ngày hiệu lực."),
    )
    legal_basis = _legal_basis()
    note = _note()


class SuccessorForm(ScopedForm):
    """One receiving unit of a split or dissolution, with what passes to it."""

    successor = UnitField(label=_("Đơn vị nhận"))
    population = VietnameseNumberField(label=_("Dân số chuyển"), integer=True, min_value=0, required=False)
    area_km2 = VietnameseNumberField(label=_("Diện tích chuyển (km²)"), min_value=0, required=False)
    # Rows are table cells: their help is one paragraph under the table, not per field.
    share = VietnameseNumberField(label=_("Tỷ lệ chuyển (0–1)"), min_value=0, max_value=1, required=False)


SuccessorFormSet = forms.formset_factory(SuccessorForm, extra=4, max_num=20, validate_max=True, absolute_max=20)


class CorrectVersionForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    code = forms.CharField(label=_("Mã"), max_length=30, required=False)
    valid_from = VietnameseDateField(label=_("Hiệu lực từ ngày"))
    valid_to = VietnameseDateField(
        label=_("Hết hiệu lực từ ngày"),
        required=False,
        help_text=_("Ngày đầu tiên thông tin không còn đúng; để trống nếu vẫn còn hiệu lực."),
    )
    reason = forms.CharField(
        label=_("Lý do sửa"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi lý do sửa.")},
        help_text=_("Chỉ dùng để sửa thông tin ghi nhầm. Thay đổi thật (đổi tên, sáp nhập…) hãy ghi bằng sự kiện."),
    )
