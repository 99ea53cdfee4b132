"""An import on behalf of a user goes through the same scope checks as the pages."""

from __future__ import annotations

from tiendo.accounts.models import Role
from tiendo.exchange.export import dumps
from tiendo.exchange.importer import import_bytes
from tiendo.exchange.schema import empty_document
from tiendo.exchange.tests.conftest import Data, counts
from tiendo.indicators.models import DataValue
from tiendo.testing import make_user


def _values(*rows: dict) -> bytes:
    document = empty_document()
    document["values"] = list(rows)
    return dumps(document).encode()


def test_a_reporter_imports_figures_of_their_ward_only(data: Data):
    reporter = make_user("a1.nhap", Role.REPORTER, data.tree.ward_a1)
    mine = {"indicator": "CAY", "unit": f"u{data.tree.ward_a1.pk}", "period": "2023", "value": "12"}
    theirs = {"indicator": "CAY", "unit": f"u{data.tree.ward_a2.pk}", "period": "2023", "value": "13"}
    before = counts()

    refused = import_bytes(_values(mine, theirs), "so-lieu.json", actor=reporter)

    assert [str(p) for p in refused.problems] == ["values, dòng 2: Bạn không có quyền nhập số liệu cho “Phường A2 mới”."]
    assert counts() == before
    assert import_bytes(_values(mine), "so-lieu.json", actor=reporter).ok
    figure = DataValue.objects.get(indicator__code="CAY", unit=data.tree.ward_a1, period_start__year=2023)
    assert figure.entered_by == reporter


def test_only_a_system_administrator_imports_indicators_and_plans(data: Data):
    reporter = make_user("a1.nhap", Role.REPORTER, data.tree.ward_a1)
    document = empty_document()
    document["sources"] = [{"key": "moi", "kind": "estimate", "title": "Ước tính"}]
    report = import_bytes(dumps(document).encode(), "nguon.json", actor=reporter)
    assert [str(p) for p in report.problems] == ["Nguồn số liệu: Chỉ quản trị hệ thống mới nhập được phần này."]
    admin = make_user("quantri", Role.SYSTEM_ADMIN)
    assert import_bytes(dumps(document).encode(), "nguon.json", actor=admin).ok
