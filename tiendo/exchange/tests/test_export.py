"""What an export holds: filters, everything the chosen rows refer to, and the Long
Biên tree with its two reorganisations rebuilt through the services."""

from __future__ import annotations

import pytest

from tiendo.demo import longbien
from tiendo.exchange.export import build_document, dumps
from tiendo.exchange.importer import import_bytes
from tiendo.exchange.schema import empty_document, rekey
from tiendo.exchange.tests.conftest import Data, counts, wipe
from tiendo.indicators.models import DataValue
from tiendo.orgs.models import UnitLineage


def _names(document: dict) -> set[str]:
    return {version["name"] for unit in document["units"] for version in unit["versions"]}


def test_a_subtree_export_holds_its_figures_and_imports_on_its_own(data: Data):
    ward = data.tree.ward_a2
    document = build_document(unit=ward)

    assert {v["unit"] for v in document["values"]} == {f"u{ward.pk}"}
    assert {t["unit"] for t in document["targets"]} <= {f"u{ward.pk}", f"u{data.tree.district.pk}"}
    assert {"Phường A2 mới", "Quận A", "Thành phố Thử"} <= _names(document)  # its parents come along
    assert {i["code"] for i in document["indicators"]} == {"CAY"}
    wipe()
    report = import_bytes(dumps(document).encode(), "phuong-a2.json")
    assert report.ok, "\n".join(map(str, report.problems))
    assert DataValue.objects.count() == 3  # the figure and its two earlier versions
    assert rekey(build_document()) == rekey(document)


def test_a_program_export_holds_its_indicators_and_what_they_are_computed_from(data: Data):
    document = build_document(programs=[data.program])
    codes = {i["code"] for i in document["indicators"]}
    assert codes == {"CAY", "HS_DO", "HS_THI", "TL_DO"}
    assert [p["number"] for p in document["programs"]] == ["02-CTr/QU", "01-CTr/QU"]  # the theme links the other
    assert {v["indicator"] for v in document["values"]} <= codes
    assert [plan["title"] for plan in document["plans"]] == ["Kế hoạch thực hiện năm 2022"]
    wipe()
    assert import_bytes(dumps(document).encode(), "ctr-02.json").ok
    assert rekey(build_document()) == rekey(document)


def test_a_unit_and_program_together_narrow_the_figures(data: Data):
    document = build_document(unit=data.tree.ward_a1, programs=[data.program])
    assert {(v["indicator"], v["unit"]) for v in document["values"]} == {
        ("CAY", f"u{data.tree.ward_a1.pk}"), ("HS_DO", f"u{data.tree.ward_a1.pk}"), ("HS_THI", f"u{data.tree.ward_a1.pk}")
    }


def test_an_empty_database_exports_an_empty_document(db):
    assert build_document() == empty_document()
    assert import_bytes(dumps(empty_document()).encode(), "rong.json").ok


@pytest.mark.django_db
def test_the_long_bien_tree_round_trips_through_the_services():
    """The demo's real history: Sài Đồng dissolved in 2024, the district abolished in
    2025 with wards merged, split and renumbered, a residential group's Party cell
    carried along by its group."""
    longbien.build_tree()
    first = build_document()
    lineage = sorted(UnitLineage.objects.values_list("share", flat=True))
    before = counts()
    wipe()

    report = import_bytes(dumps(first).encode(), "long-bien.json")

    assert report.ok, "\n".join(map(str, report.problems))
    assert rekey(build_document()) == rekey(first)
    assert sorted(UnitLineage.objects.values_list("share", flat=True)) == lineage
    assert {k: v for k, v in counts().items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"
    }
