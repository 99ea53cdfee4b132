"""docs/data-formats.md keeps up with the schema, and its example imports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tiendo.exchange.fields import decimal_text
from tiendo.exchange.importer import import_bytes
from tiendo.exchange.schema import all_sections
from tiendo.indicators.models import DataValue

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-formats.md"


def test_every_sheet_and_field_is_documented():
    text = " ".join(DOC.read_text(encoding="utf-8").split())  # headers may wrap across lines
    for section in all_sections():
        assert f"`{section.json_name}`" in text or section.json_name in text, section.name
        assert section.sheet in text, section.sheet
        for field in section.data_fields:
            assert f"`{field.name}`" in text, f"{section.name}.{field.name}"
            assert field.label in text, f"{section.name}.{field.name}: {field.label}"


def test_the_example_of_the_documentation_imports(db):
    example = re.search(r"## An example.*?```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    document = json.loads(example[1])
    report = import_bytes(json.dumps(document).encode(), "vi-du.json")
    assert report.ok, "\n".join(map(str, report.problems))
    history = DataValue.objects.order_by("entered_at")
    assert [(decimal_text(v.value), v.is_current) for v in history] == [("120", False), ("125.5", True)]
