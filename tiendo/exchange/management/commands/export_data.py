"""Write the exchange file of the whole database, or of a unit's subtree and/or programs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiendo.exchange.export import ExportError, build_document, dumps
from tiendo.exchange.xlsx import write_workbook
from tiendo.orgs.models import OrgUnit
from tiendo.plans.models import Program


class Command(BaseCommand):
    help = "Xuất dữ liệu (đơn vị, nghị quyết, chương trình, kế hoạch, chỉ tiêu, chỉ tiêu giao, số liệu) ra tệp JSON hoặc Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "xlsx"], help="json (mặc định) hoặc xlsx; mặc định theo đuôi tệp --output.")
        parser.add_argument("--output", "-o", help="Tệp ghi ra; bỏ trống thì in JSON ra màn hình.")
        parser.add_argument("--unit", help="Chỉ xuất dữ liệu của đơn vị này và các đơn vị trực thuộc (khóa u12 hoặc mã số 12).")
        parser.add_argument(
            "--program", action="append", default=[],
            help="Chỉ xuất dữ liệu của chương trình có số, ký hiệu này (ví dụ 02-CTr/QU; r3:02-CTr/QU nếu trùng số). "
                 "Có thể ghi nhiều lần.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output and Path(output).suffix.lower() == ".xlsx" else "json")
        if fmt == "xlsx" and not output:
            raise CommandError("Tệp Excel cần --output (ví dụ --output du-lieu.xlsx).")
        unit = self._unit(options["unit"]) if options["unit"] else None
        programs = [self._program(number) for number in options["program"]]
        try:
            document = build_document(unit=unit, programs=programs or None)
            content: bytes = write_workbook(document) if fmt == "xlsx" else dumps(document).encode("utf-8")
        except ExportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError("Không xuất được: dữ liệu trên không ghi được theo định dạng trao đổi.") from None
        if output:
            Path(output).write_bytes(content)
            counts = ", ".join(f"{len(document[name])} {name}" for name in ("units", "indicators", "targets", "values"))
            self.stdout.write(self.style.SUCCESS(f"Đã ghi {output} ({counts})."))
        else:
            self.stdout.write(content.decode("utf-8"), ending="")

    def _unit(self, text: str) -> OrgUnit:
        match = re.fullmatch(r"u?(\d+)", text.strip())
        unit = OrgUnit.objects.filter(pk=int(match[1])).first() if match else None
        if unit is None:
            raise CommandError(f"Không có đơn vị “{text}” (ghi khóa u12 hoặc mã số 12).")
        return unit

    def _program(self, text: str) -> Program:
        resolution, _sep, number = text.rpartition(":") if re.match(r"^r\d+:", text) else ("", "", text)
        programs = Program.objects.filter(number=number.strip())
        if resolution:
            programs = programs.filter(resolution_id=int(resolution[1:]))
        found = list(programs.select_related("resolution"))
        if not found:
            raise CommandError(f"Không có chương trình “{text}”.")
        if len(found) > 1:
            choices = ", ".join(f"r{p.resolution_id}:{p.number} ({p.resolution})" for p in found)
            raise CommandError(f"Có {len(found)} chương trình số “{number}”; ghi rõ nghị quyết: {choices}.")
        return found[0]
