"""export_data and import_data as an administrator runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tiendo.audit.models import AuditEntry
from tiendo.exchange.schema import rekey
from tiendo.exchange.tests.conftest import Data, counts, wipe
from tiendo.plans.models import Program


def run(name: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_prints_json_and_writes_files(data: Data, tmp_path: Path):
    printed, _ = run("export_data")
    document = json.loads(printed)
    assert document["format"] == "tiendo-exchange"
    out, _ = run("export_data", "--output", str(tmp_path / "du-lieu.xlsx"))
    assert (tmp_path / "du-lieu.xlsx").read_bytes()[:2] == b"PK" and "du-lieu.xlsx" in out
    run("export_data", "--format", "json", "--output", str(tmp_path / "a2.json"), "--unit", f"u{data.tree.ward_a2.pk}")
    assert {v["unit"] for v in json.loads((tmp_path / "a2.json").read_text())["values"]} == {f"u{data.tree.ward_a2.pk}"}
    run("export_data", "-o", str(tmp_path / "ctr.json"), "--program", "02-CTr/QU")
    assert {i["code"] for i in json.loads((tmp_path / "ctr.json").read_text())["indicators"]} == {
        "CAY", "HS_DO", "HS_THI", "TL_DO"
    }


def test_export_refuses_what_it_cannot_find(data: Data):
    with pytest.raises(CommandError, match="Không có đơn vị “u999999”"):
        run("export_data", "--unit", "u999999")
    with pytest.raises(CommandError, match="Không có chương trình “09-CTr/QU”"):
        run("export_data", "--program", "09-CTr/QU")
    with pytest.raises(CommandError, match="cần --output"):
        run("export_data", "--format", "xlsx")
    other = Program.objects.create(
        resolution=data.program.resolution.__class__.objects.create(
            title="Nghị quyết khác", issuer=data.tree.city, congress_number=1, term_start=2020, term_end=2025
        ),
        number="02-CTr/QU", title="Trùng số", lead_unit=data.tree.city,
    )
    with pytest.raises(CommandError, match="Có 2 chương trình số “02-CTr/QU”"):
        run("export_data", "--program", "02-CTr/QU")
    printed, _ = run("export_data", "--program", f"r{other.resolution_id}:02-CTr/QU")
    assert [p["title"] for p in json.loads(printed)["programs"]] == ["Trùng số"]


def test_import_then_export_again(data: Data, tmp_path: Path):
    path = tmp_path / "du-lieu.json"
    run("export_data", "--output", str(path))
    first = json.loads(path.read_text())
    wipe()

    out, err = run("import_data", str(path), "--dry-run")
    assert "Tệp hợp lệ; chưa ghi gì (--dry-run)." in out and not any(counts().values())
    out, err = run("import_data", str(path))

    assert "Đã nhập xong." in out and "Đơn vị: 12 mới" in out
    assert err == ""
    printed, _ = run("export_data")
    assert rekey(json.loads(printed)) == rekey(first)
    assert len({entry.request_id for entry in AuditEntry.objects.all()}) == 1  # one import, one request id


def test_import_errors_print_one_line_each_and_exit_non_zero(data: Data, tmp_path: Path):
    path = tmp_path / "loi.json"
    printed, _ = run("export_data")
    document = json.loads(printed)
    document["values"][0]["value"] = "nhiều"
    document["values"][1]["indicator"] = "KHONG_CO"
    path.write_text(json.dumps(document, ensure_ascii=False))
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Không nhập: 2 lỗi; không dòng nào được ghi\."):
        call_command("import_data", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "values, dòng 1, cột value: “nhiều” không phải là số (trong JSON viết như 82.3 hoặc \"82.3\").",
        "values, dòng 2, cột indicator: Không có chỉ tiêu nào mã “KHONG_CO” (trong tệp hay trong cơ sở dữ liệu).",
    ]
    assert counts() == before


def test_a_missing_file_is_an_error(db, tmp_path: Path):
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_data", str(tmp_path / "khong-co.json"), stdout=io.StringIO(), stderr=io.StringIO())


def test_an_unexpected_failure_half_way_rolls_everything_back(data: Data, tmp_path: Path, monkeypatch):
    path = tmp_path / "du-lieu.json"
    run("export_data", "--output", str(path))
    wipe()

    def broken(*args, **kwargs):
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr("tiendo.indicators.services.record_value", broken)
    with pytest.raises(CommandError, match=r"RuntimeError: mất kết nối.*không dòng nào được ghi"):
        call_command("import_data", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not any(counts().values())  # units, indicators and targets were written before the values: all gone
