"""Load the Long Biên demo: the unit tree with its reorganisations, one account per role,
the resolution, programs, themes, plans, indicators and figures of the seed articles, and
the wards' quarterly progress reports of 2024–2026.

Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tiendo.audit.context import new_request_id
from tiendo.demo import inspections_data, longbien, plans_data, reporting_data, tasks_data, users
from tiendo.orgs.models import OrgUnit, UnitVersion


def _units_by_key() -> dict[str, OrgUnit]:
    """Find the demo units again by their names, for a run after the first."""
    keys: dict[str, OrgUnit] = {}
    wards = {f"Phường {name}": name for name, _code in longbien.OLD_WARDS}
    names = ["Thành phố Hà Nội", "Quận Long Biên", *wards]
    for version in UnitVersion.objects.filter(name__in=names).select_related("unit"):
        name = version.name
        if name == "Thành phố Hà Nội":
            keys["hanoi"] = version.unit
        elif name == "Quận Long Biên":
            keys["quan"] = version.unit
        else:  # a ward: "p:Bồ Đề" before the 2025 reform, "new:Bồ Đề" the ward of the same name after it
            prefix = "new" if version.unit.valid_from >= longbien.REFORM else "p"
            keys[f"{prefix}:{wards[name]}"] = version.unit
    return keys


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Long Biên (cây đơn vị, sắp xếp 2024–2025, tài khoản mẫu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-accounts", action="store_true", help="In danh sách tài khoản mẫu và mật khẩu.")

    def handle(self, *args: Any, **options: Any) -> None:
        with new_request_id(), transaction.atomic():
            tree: dict[str, OrgUnit] | None = None
            if longbien.is_loaded():
                self.stdout.write("Dữ liệu mẫu Long Biên đã có; không nạp lại.")
            else:
                tree = longbien.build_tree()
                self.stdout.write(self.style.SUCCESS("Đã nạp cây đơn vị Long Biên và các lần sắp xếp 2024–2025."))
            if not plans_data.is_loaded():
                plans_data.build(tree or plans_data.find_units())
                self.stdout.write(self.style.SUCCESS("Đã nạp Nghị quyết, chương trình, chỉ tiêu và số liệu từ các bài viết."))
            units = _units_by_key()
            missing = {a.unit_key for a in users.ACCOUNTS if a.unit_key} - units.keys()
            if missing:
                raise CommandError(f"Không tìm thấy các đơn vị mẫu: {', '.join(sorted(missing))}")
            accounts = users.ensure_accounts(units)
            if not reporting_data.is_loaded():
                reporting_data.build(units)
                self.stdout.write(self.style.SUCCESS("Đã nạp các đợt báo cáo tiến độ hằng quý của các phường (2024–2026)."))
            tasks_data.load(units, self.stdout)
            inspections_data.load(units, self.stdout)
        if options["print_accounts"]:
            self.stdout.write("")
            self.stdout.write("Tài khoản mẫu (chỉ dùng cho bản demo):")
            for account in accounts:
                self.stdout.write(f"  {account.username:<20} {account.full_name}")
            self.stdout.write(f"  Mật khẩu chung: {users.DEMO_PASSWORD}  (nếu chưa đổi)")
            self.stdout.write("")
