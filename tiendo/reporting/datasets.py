"""Writing data sets (bộ chỉ tiêu báo cáo) and their validation rules (quy tắc kiểm
tra): the only place a ``DataSet``, its ``DataSetIndicator`` rows or a
``ValidationRule`` is created or changed. Each function checks the actor's right and
every rule before writing anything, in one transaction, and leaves audit rows with
what was there before and after.

Who may read: anyone signed in who holds a role, on any unit. Reporters need to know
which figures their report asks for and which rules will stop it; reviewers need
to know what they are checking.

Who may change: system administrators and the administrators of any unit. A data
set has no unit of its own: one definition, "the quarterly progress report", serves
every schedule and every level that reports it, so it is not scoped to a subtree.
Reviewers set schedules and open rounds (``schedules.may_plan``) but do not change
what is reported. ``actor=None`` is the system (commands, the demo): no check.

A rule's codes must all be indicators of its data set; an indicator cannot leave
the set while an active rule uses its code; the set's period kind is fixed once a
round has been opened, since the rounds' periods and the figures already sent are
of that kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import EVERYTHING, scope_paths
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.indicators.models import PERIOD_KINDS, Indicator
from tiendo.lib.expressions import RuleError, compile_rule
from tiendo.reporting.models import DataSet, DataSetIndicator, Round, ValidationRule

CODE = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_ORDER = 32767  # PositiveSmallIntegerField

Problems = dict[str, list[str]]


def may_read(user: Any) -> bool:
    """Whether the user may see the data sets and their rules: anyone with a role."""
    paths = scope_paths(user, Action.VIEW)
    return paths is EVERYTHING or bool(paths)


def may_edit(user: Any) -> bool:
    """Whether the user may create and change data sets: system administrators and
    the administrators of any unit."""
    paths = scope_paths(user, Action.MANAGE)
    return paths is EVERYTHING or bool(paths)


def _check_editor(actor: Any) -> None:
    if actor is not None and not may_edit(actor):
        raise ValidationError(_("Chỉ quản trị hệ thống và quản trị đơn vị được sửa bộ chỉ tiêu báo cáo."))


def _kind_label(kind: str) -> str:
    return str(dict(PERIOD_KINDS).get(kind, kind))


def indicator_label(indicator: Indicator) -> str:
    """How an indicator is named in choices and messages: "TONG_HO – Tổng số hộ"."""
    return f"{indicator.code} – {indicator.name}"


def _raise(problems: Problems) -> None:
    if problems:
        raise ValidationError(problems)


# --- Data sets --------------------------------------------------------------------------


def _data_set_problems(
    data_set: DataSet | None, *, code: str, name: str, period_kind: str, description: str
) -> Problems:
    found: Problems = {}

    def fail(field: str, message: str) -> None:
        found.setdefault(field, []).append(message)

    if data_set is None:
        if not code:
            fail("code", _("Cần mã bộ chỉ tiêu, ví dụ TIEN_DO_QUY."))
        elif len(code) > 40 or not CODE.match(code):
            fail(
                "code",
                _("Mã “%(code)s” không dùng được: tối đa 40 ký tự, chỉ gồm chữ không dấu, chữ số, “_” hoặc “-”.")
                % {"code": code},
            )
        elif same := DataSet.objects.filter(code__iexact=code).first():
            fail("code", _("Đã có bộ chỉ tiêu mã “%(code)s”: “%(name)s”.") % {"code": same.code, "name": same.name})
    if not name:
        fail("name", _("Cần đặt tên cho bộ chỉ tiêu."))
    elif len(name) > 300:
        fail("name", _("Tên dài quá 300 ký tự."))
    if period_kind not in dict(PERIOD_KINDS):
        fail("period_kind", _("Loại kỳ “%(kind)s” không có.") % {"kind": period_kind})
    elif data_set is not None and period_kind != data_set.period_kind:
        rounds = Round.objects.filter(data_set=data_set).count()
        if rounds:
            fail(
                "period_kind",
                _(
                    "Bộ chỉ tiêu đã có %(count)s đợt báo cáo theo %(old)s nên không đổi được loại kỳ; "
                    "hãy tạo một bộ chỉ tiêu mới."
                )
                % {"count": rounds, "old": _kind_label(data_set.period_kind).lower()},
            )
        else:
            for item in data_set.items.select_related("indicator").exclude(indicator__frequency=period_kind):
                fail(
                    "period_kind",
                    _(
                        "Không đổi được loại kỳ sang %(new)s: chỉ tiêu “%(indicator)s” báo cáo theo %(kind)s. "
                        "Hãy bỏ chỉ tiêu này khỏi bộ trước."
                    )
                    % {
                        "new": _kind_label(period_kind).lower(),
                        "indicator": indicator_label(item.indicator),
                        "kind": _kind_label(item.indicator.frequency).lower(),
                    },
                )
    return found


@transaction.atomic
def create_data_set(actor: Any, code: str, name: str, period_kind: str, description: str = "") -> DataSet:
    """A new, empty data set; its indicators come next, through ``set_items``. The code
    cannot be changed afterwards (it is written into the Excel templates)."""
    _check_editor(actor)
    fields = {
        "code": code.strip(),
        "name": name.strip(),
        "period_kind": period_kind,
        "description": description.strip(),
    }
    _raise(_data_set_problems(None, **fields))
    data_set = DataSet.objects.create(**fields)
    audit.record(actor, AuditEntry.Action.CREATE, data_set, after=audit.snapshot(data_set))
    return data_set


@transaction.atomic
def update_data_set(actor: Any, data_set: DataSet, name: str, period_kind: str, description: str = "") -> DataSet:
    """Change a data set's name, description or period kind (the latter only while no
    round has been opened and every indicator in it is reported at the new kind)."""
    _check_editor(actor)
    data_set = DataSet.objects.select_for_update().get(pk=data_set.pk)
    fields = {"name": name.strip(), "period_kind": period_kind, "description": description.strip()}
    _raise(_data_set_problems(data_set, code=data_set.code, **fields))
    before = audit.snapshot(data_set)
    for field, value in fields.items():
        setattr(data_set, field, value)
    after = audit.snapshot(data_set)
    if after != before:
        data_set.save()
        audit.record(actor, AuditEntry.Action.UPDATE, data_set, before=before, after=after)
    return data_set


# --- Indicators of a data set -----------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One line of a data set as ``set_items`` receives it."""

    indicator: Indicator
    order: int
    required: bool = True
    section: str = ""
    check_outliers: bool = True


ItemLike = Item | tuple[Any, ...]


def _item(row: ItemLike) -> Item:
    if isinstance(row, Item):
        return row
    indicator, order, required, section, *rest = row
    return Item(indicator, int(order), bool(required), (section or "").strip(), bool(rest[0]) if rest else True)


def _items_snapshot(items: Sequence[Item] | Sequence[DataSetIndicator]) -> list[dict[str, Any]]:
    return [
        {
            "indicator": item.indicator.code,
            "order": item.order,
            "required": item.required,
            "section": item.section,
            "check_outliers": item.check_outliers,
        }
        for item in items
    ]


def _active_rules(data_set: DataSet) -> list[tuple[ValidationRule, frozenset[str]]]:
    """The set's active rules with the codes each uses (a rule that no longer reads
    uses none: it blocks nothing here, and the checks before sending skip it too)."""
    found = []
    for rule in ValidationRule.objects.filter(data_set=data_set, is_active=True).order_by("pk"):
        try:
            found.append((rule, compile_rule(rule.expression).codes))
        except RuleError:
            continue
    return found


@transaction.atomic
def set_items(actor: Any, data_set: DataSet, items: Sequence[ItemLike]) -> list[DataSetIndicator]:
    """Replace the data set's list of indicators with ``items`` (indicator, order,
    required, section[, check_outliers]). Rows of indicators that stay are updated in
    place; the change applies to every round of the set, open ones included.

    Refused, naming the indicator: one reported at another frequency than the set's
    period kind, one listed twice, one removed while an active rule uses its code."""
    _check_editor(actor)
    data_set = DataSet.objects.select_for_update().get(pk=data_set.pk)
    rows = [_item(row) for row in items]
    problems: list[str] = []
    seen: set[int] = set()
    for row in rows:
        label = indicator_label(row.indicator)
        if row.indicator.pk in seen:
            problems.append(_("Chỉ tiêu “%(indicator)s” có hơn một lần trong danh sách.") % {"indicator": label})
            continue
        seen.add(row.indicator.pk)
        if row.indicator.frequency != data_set.period_kind:
            problems.append(
                _("Chỉ tiêu “%(indicator)s” báo cáo theo %(kind)s, không theo %(set_kind)s như bộ chỉ tiêu này.")
                % {
                    "indicator": label,
                    "kind": _kind_label(row.indicator.frequency).lower(),
                    "set_kind": _kind_label(data_set.period_kind).lower(),
                }
            )
        if not 0 <= row.order <= MAX_ORDER:
            problems.append(
                _("Thứ tự của “%(indicator)s” phải từ 0 đến %(max)s.") % {"indicator": label, "max": MAX_ORDER}
            )
        if len(row.section) > 200:
            problems.append(_("Tên nhóm của “%(indicator)s” dài quá 200 ký tự.") % {"indicator": label})
    current = list(data_set.items.select_related("indicator").order_by("order", "pk"))
    removed = {item.indicator.code: item.indicator for item in current if item.indicator_id not in seen}
    for rule, codes in _active_rules(data_set):
        for code in sorted(codes & removed.keys()):
            problems.append(
                _(
                    "Không bỏ được chỉ tiêu “%(indicator)s”: quy tắc “%(rule)s” đang dùng mã này. "
                    "Hãy sửa hoặc ngừng áp dụng quy tắc đó trước."
                )
                % {"indicator": indicator_label(removed[code]), "rule": rule.expression}
            )
    if problems:
        raise ValidationError(problems)

    before = _items_snapshot(current)
    by_indicator = {item.indicator_id: item for item in current}
    DataSetIndicator.objects.filter(pk__in=[item.pk for item in current if item.indicator_id not in seen]).delete()
    changed: list[DataSetIndicator] = []
    new: list[DataSetIndicator] = []
    for row in rows:
        item = by_indicator.get(row.indicator.pk)
        if item is None:
            new.append(DataSetIndicator(data_set=data_set, indicator=row.indicator))
            item = new[-1]
        elif (item.order, item.required, item.section, item.check_outliers) == (
            row.order,
            row.required,
            row.section,
            row.check_outliers,
        ):
            continue
        else:
            changed.append(item)
        item.order, item.required, item.section, item.check_outliers = (
            row.order,
            row.required,
            row.section,
            row.check_outliers,
        )
    DataSetIndicator.objects.bulk_update(changed, ["order", "required", "section", "check_outliers"])
    DataSetIndicator.objects.bulk_create(new)
    saved = list(data_set.items.select_related("indicator").order_by("order", "pk"))
    after = _items_snapshot(saved)
    if after != before:
        audit.record(actor, AuditEntry.Action.UPDATE, data_set, before={"items": before}, after={"items": after})
    return saved


# --- Validation rules -------------------------------------------------------------------


def _same_expression(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _rule_problems(
    data_set: DataSet, rule: ValidationRule | None, *, expression: str, message: str, is_active: bool
) -> Problems:
    found: Problems = {}

    def fail(field: str, text: str) -> None:
        found.setdefault(field, []).append(text)

    if len(expression) > 500:
        fail("expression", _("Biểu thức dài quá 500 ký tự."))
    else:
        try:
            codes = compile_rule(expression).codes
        except RuleError as error:
            fail("expression", str(error))
        else:
            # A rule switched off and left as it was keeps its codes unchecked: the
            # indicator it named may have left the set since.
            if is_active or rule is None or not _same_expression(expression, rule.expression):
                _check_codes(data_set, expression, codes, fail)
    if not message:
        fail("message", _("Cần ghi thông báo hiện ra khi số liệu không đúng quy tắc."))
    elif len(message) > 400:
        fail("message", _("Thông báo dài quá 400 ký tự."))
    if is_active and "expression" not in found:
        twins = ValidationRule.objects.filter(data_set=data_set, is_active=True)
        if rule is not None:
            twins = twins.exclude(pk=rule.pk)
        if any(_same_expression(expression, twin) for twin in twins.values_list("expression", flat=True)):
            fail("expression", _("Bộ chỉ tiêu đã có quy tắc “%(rule)s” đang áp dụng.") % {"rule": expression})
    return found


def _check_codes(data_set: DataSet, expression: str, codes: frozenset[str], fail: Any) -> None:
    if not codes:
        fail(
            "expression",
            _("Quy tắc “%(rule)s” không dùng mã chỉ tiêu nào nên không kiểm tra được gì.") % {"rule": expression},
        )
        return
    own = set(data_set.items.values_list("indicator__code", flat=True))
    for code in sorted(codes - own):
        text = _("Mã “%(code)s” không phải chỉ tiêu của bộ “%(set)s”.") % {"code": code, "set": data_set.name}
        close = [known for known in sorted(own) if known.casefold() == code.casefold()]
        if close:
            text += " " + _("Có phải “%(code)s”? Mã phân biệt chữ hoa, chữ thường.") % {"code": close[0]}
        elif Indicator.objects.filter(code=code).exists():
            text += " " + _("Hãy thêm chỉ tiêu này vào bộ trước.")
        fail("expression", text)


@transaction.atomic
def add_rule(actor: Any, data_set: DataSet, expression: str, message: str) -> ValidationRule:
    """A new active rule; from now on a report that breaks it cannot be sent."""
    _check_editor(actor)
    data_set = DataSet.objects.select_for_update().get(pk=data_set.pk)
    expression, message = expression.strip(), message.strip()
    _raise(_rule_problems(data_set, None, expression=expression, message=message, is_active=True))
    rule = ValidationRule.objects.create(data_set=data_set, expression=expression, message=message, is_active=True)
    audit.record(actor, AuditEntry.Action.CREATE, rule, after=audit.snapshot(rule))
    return rule


@transaction.atomic
def update_rule(
    actor: Any, rule: ValidationRule, expression: str, message: str, is_active: bool = True
) -> ValidationRule:
    """Change a rule, or switch it off (``is_active=False``) or on again. Rules are
    switched off rather than deleted, so that their history stays on the set's page."""
    _check_editor(actor)
    DataSet.objects.select_for_update().get(pk=rule.data_set_id)  # one writer of the set's items and rules at a time
    rule = ValidationRule.objects.select_related("data_set").get(pk=rule.pk)
    expression, message = expression.strip(), message.strip()
    _raise(_rule_problems(rule.data_set, rule, expression=expression, message=message, is_active=is_active))
    before = audit.snapshot(rule)
    rule.expression, rule.message, rule.is_active = expression, message, is_active
    after = audit.snapshot(rule)
    if after != before:
        rule.save()
        audit.record(actor, AuditEntry.Action.UPDATE, rule, before=before, after=after)
    return rule


def set_rule_active(actor: Any, rule: ValidationRule, is_active: bool) -> ValidationRule:
    """Switch a rule off or on again, as it is."""
    return update_rule(actor, rule, rule.expression, rule.message, is_active)
