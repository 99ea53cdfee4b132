"""Export, import into an empty database, export again: the same document."""

from __future__ import annotations

import datetime as dt
import json

from tiendo.exchange.export import build_document, dumps
from tiendo.exchange.fields import decimal_text
from tiendo.exchange.importer import import_bytes
from tiendo.exchange.schema import rekey
from tiendo.exchange.tests.conftest import Data, counts, wipe
from tiendo.exchange.xlsx import write_workbook
from tiendo.indicators.models import DataValue


def _every_value_type_is_there(document: dict) -> None:
    """Guard the fixture: the document holds what the round trip claims to carry."""
    assert len(document["events"]) == 3
    assert any(len(u["versions"]) == 3 for u in document["units"])
    assert any(v["entered_by"] == "a1.baocao" for v in document["values"])
    assert any(v["change_reason"] for v in document["values"])
    assert any(t["allocated_from"] for t in document["targets"])
    assert any(t["plan"] for t in document["targets"])
    assert {v["period"] for v in document["values"]} >= {"2022", "2022-05", "2025-Q3", "NH2021-2022"}
    assert any(m["username"] for p in document["programs"] for m in p["board"])


def test_json_round_trip_gives_the_same_document(data: Data):
    first = build_document()
    _every_value_type_is_there(first)
    before = counts()
    wipe()

    report = import_bytes(dumps(first).encode(), "du-lieu.json")

    assert report.ok, "\n".join(map(str, report.problems))
    second = build_document()
    assert second != first  # new ids, so new keys…
    assert rekey(second) == rekey(first)  # …and nothing else differs
    after = counts()
    for model in ("OrgUnit", "UnitVersion", "ReorgEvent", "ReorgLink", "UnitLineage", "Resolution", "Priority",
                  "Program", "BoardMember", "Theme", "Plan", "PlanItem", "Source", "Indicator", "Target", "DataValue"):
        assert after[model] == before[model], model


def test_json_round_trip_keeps_history_and_provenance(data: Data):
    first = build_document()
    wipe()
    assert import_bytes(dumps(first).encode(), "du-lieu.json").ok
    history = list(
        DataValue.objects.filter(indicator__code="CAY", unit__versions__name="Phường A2 mới").distinct().order_by("entered_at")
    )
    assert [decimal_text(v.value) for v in history] == ["530", "540", "545.5"]
    assert [v.is_current for v in history] == [False, False, True]
    assert history[2].replaces == history[1] and history[1].replaces == history[0]
    assert history[2].change_reason == "Sửa theo biên bản kiểm tra"
    original = next(v for v in first["values"] if v["indicator"] == "CAY" and v["value"] == "545.5")
    assert history[2].entered_at == dt.datetime.fromisoformat(original["entered_at"])
    assert DataValue.objects.get(indicator__code="CAY", value=300).entered_by == data.reporter


def test_xlsx_round_trip_gives_the_same_document(data: Data):
    first = build_document()
    workbook = write_workbook(first)
    wipe()

    report = import_bytes(workbook, "du-lieu.xlsx")

    assert report.ok, "\n".join(map(str, report.problems))
    assert rekey(build_document()) == rekey(first)


def test_a_second_import_into_the_same_database_finds_everything_already_there(data: Data):
    document = build_document()
    before = counts()

    report = import_bytes(dumps(document).encode(), "du-lieu.json")

    assert report.ok, "\n".join(map(str, report.problems))
    assert counts() == before
    assert all(set(counter) == {"đã có"} for counter in report.counts.values())


def test_dry_run_checks_everything_and_writes_nothing(data: Data):
    document = build_document()
    wipe()

    report = import_bytes(dumps(document).encode(), "du-lieu.json", dry_run=True)

    assert report.ok and report.dry_run
    assert report.counts["Đơn vị"]["mới"] == len(document["units"])
    assert not any(counts().values())


def test_the_json_is_readable_vietnamese_with_exact_decimals(data: Data):
    text = dumps(build_document())
    assert "Phường A2 mới" in text  # not \\u escapes
    document = json.loads(text)
    assert document["format"] == "tiendo-exchange" and document["version"] == 1
    big = next(v for v in document["values"] if v["indicator"] == "NGAN_SACH")
    assert big["value"] == "123456789.123456"
