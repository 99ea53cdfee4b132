"""Forms of periodic reporting: the figures of one submission, and the reviewer's
return, approval and reopening."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiendo.reporting.selectors import FormRow
from tiendo.web.forms import VietnameseNumberField


def value_name(indicator_pk: int) -> str:
    return f"gia_tri_{indicator_pk}"


def note_name(indicator_pk: int) -> str:
    return f"ghi_chu_{indicator_pk}"


def original_name(indicator_pk: int) -> str:
    return f"ban_dau_{indicator_pk}"


def comment_name(indicator_pk: int) -> str:
    return f"y_kien_{indicator_pk}"


def stored_text(value: Decimal | None) -> str:
    """A stored figure as the hidden "value when the form was opened" (plain digits,
    compared exactly on save)."""
    return "" if value is None else format(value.normalize(), "f")


class FiguresForm(forms.Form):
    """One value field and one note field per editable indicator, plus what each
    figure was when the form was opened (to show what someone else changed)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, rows: list[FormRow], **kwargs: Any) -> None:
        self.rows = rows
        kwargs.setdefault("initial", {})
        initial = kwargs["initial"]
        super().__init__(*args, **kwargs)
        for row in rows:
            if not row.editable:
                continue
            pk = row.indicator.pk
            self.fields[value_name(pk)] = VietnameseNumberField(
                label=row.indicator.display_name, required=False, integer=False
            )
            self.fields[note_name(pk)] = forms.CharField(
                label=_("Ghi chú"), required=False, max_length=1000, widget=forms.TextInput(attrs={"autocomplete": "off"})
            )
            self.fields[original_name(pk)] = forms.CharField(required=False, widget=forms.HiddenInput)
            initial.setdefault(value_name(pk), row.value)
            initial.setdefault(note_name(pk), row.note)
            initial.setdefault(original_name(pk), stored_text(row.value))

    def figures(self) -> dict[int, tuple[Decimal | None, str]]:
        """Indicator id → (value typed, note) for the editable rows."""
        return {
            row.indicator.pk: (self.cleaned_data.get(value_name(row.indicator.pk)), self.cleaned_data.get(note_name(row.indicator.pk), ""))
            for row in self.rows
            if row.editable
        }

    def originals(self) -> dict[int, str]:
        return {row.indicator.pk: self.cleaned_data.get(original_name(row.indicator.pk), "") for row in self.rows if row.editable}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến chung"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, rows: list[FormRow], **kwargs: Any) -> None:
        self.rows = rows
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[comment_name(row.indicator.pk)] = forms.CharField(
                label=_("Ý kiến về “%(name)s”") % {"name": row.indicator.display_name}, required=False, max_length=1000
            )

    def value_comments(self) -> dict[int, str]:
        return {row.indicator.pk: self.cleaned_data.get(comment_name(row.indicator.pk), "") for row in self.rows}


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=400)
