"""Validation rules over indicator codes, e.g. ``GD_VANHOA <= TONG_HO``.

A rule is a comparison (or several joined by ``and``/``or``, ``và``/``hoặc``)
of arithmetic over indicator codes and numbers. It is parsed with Python's ``ast``
and walked by hand: no ``eval``, no names but codes, no calls, no attributes. Numbers
may be written the Vietnamese way (``0,5``) or with a dot (``0.5``).
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext as _

_COMPARE: dict[type, Callable[[Decimal, Decimal], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_ARITHMETIC: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_VIETNAMESE_DECIMAL = re.compile(r"(?<![\w.])(\d+),(\d+)")
_WORDS = {"và": "and", "hoặc": "or", "VÀ": "and", "HOẶC": "or"}


class RuleError(ValueError):
    """A rule that does not read; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class CompiledRule:
    expression: str
    tree: ast.Expression
    codes: frozenset[str]

    def evaluate(self, values: Mapping[str, Decimal | None]) -> bool | None:
        """Whether the rule holds; ``None`` when a code it needs has no value yet (the
        completeness check speaks for those) or a division by zero leaves it undecided."""
        if any(values.get(code) is None for code in self.codes):
            return None
        try:
            return bool(_walk(self.tree.body, values))
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None


def _normalise(expression: str) -> str:
    text = _VIETNAMESE_DECIMAL.sub(r"\1.\2", expression.strip())
    for word, python in _WORDS.items():
        text = re.sub(rf"(?<!\w){word}(?!\w)", python, text)
    return text.replace("≤", "<=").replace("≥", ">=").replace("≠", "!=")


def compile_rule(expression: str) -> CompiledRule:
    text = _normalise(expression)
    if not text:
        raise RuleError(_("Quy tắc kiểm tra đang để trống."))
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError):  # ValueError: a NUL byte; RecursionError: absurd nesting
        raise RuleError(
            _("Không đọc được quy tắc “%(rule)s”. Viết như: GD_VANHOA <= TONG_HO.") % {"rule": expression}
        ) from None
    codes: set[str] = set()
    _check(tree.body, codes, expression, top=True)
    return CompiledRule(expression, tree, frozenset(codes))


def _refuse(expression: str, what: str) -> RuleError:
    return RuleError(_("Quy tắc “%(rule)s” dùng %(what)s, không được phép.") % {"rule": expression, "what": what})


def _check(node: ast.AST, codes: set[str], expression: str, *, top: bool = False) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, codes, expression, top=True)
    elif isinstance(node, ast.Compare):
        if not all(type(op) in _COMPARE for op in node.ops):
            raise _refuse(expression, _("một phép so sánh lạ"))
        for part in [node.left, *node.comparators]:
            _check(part, codes, expression)
    elif top:
        raise RuleError(
            _("Quy tắc “%(rule)s” cần là một phép so sánh (<, <=, >, >=, ==, !=).") % {"rule": expression}
        )
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITHMETIC:
            raise _refuse(expression, _("một phép tính lạ"))
        _check(node.left, codes, expression)
        _check(node.right, codes, expression)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand, codes, expression)
    elif isinstance(node, ast.Name) and _CODE.match(node.id):
        codes.add(node.id)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    else:
        raise _refuse(expression, _("một thành phần không phải mã chỉ tiêu hay con số"))


def _walk(node: ast.AST, values: Mapping[str, Decimal | None]) -> Decimal | bool:
    if isinstance(node, ast.BoolOp):
        results = [bool(_walk(v, values)) for v in node.values]
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = _walk(node.left, values)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _walk(right_node, values)
            if not _COMPARE[type(op)](left, right):  # type: ignore[arg-type]
                return False
            left = right
        return True
    if isinstance(node, ast.BinOp):
        return _ARITHMETIC[type(node.op)](_walk(node.left, values), _walk(node.right, values))  # type: ignore[arg-type]
    if isinstance(node, ast.UnaryOp):
        return -Decimal(_walk(node.operand, values))
    if isinstance(node, ast.Name):
        value = values[node.id]
        assert value is not None  # evaluate() checked every code first
        return value
    assert isinstance(node, ast.Constant)
    return Decimal(str(node.value))
