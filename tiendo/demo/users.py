"""Demo accounts, one per role, on the Long Biên tree. For the demo only."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from tiendo.accounts import services
from tiendo.accounts.models import Role, RoleAssignment
from tiendo.orgs.models import OrgUnit

DEMO_PASSWORD = "demo-LongBien-2025"  # noqa: S105 - printed by `make run`; demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_key: str | None
    title: str


ACCOUNTS = [
    DemoAccount("quantri", "Quản trị hệ thống", Role.SYSTEM_ADMIN, None, "Quản trị hệ thống"),
    DemoAccount("thanhpho.xem", "Lãnh đạo Thành phố (xem)", Role.VIEWER, "hanoi", "Lãnh đạo Thành ủy"),
    DemoAccount("quan.xem", "Lãnh đạo Quận (xem)", Role.VIEWER, "quan", "Thường trực Quận ủy"),
    DemoAccount("quan.tonghop", "Chuyên viên tổng hợp Quận", Role.REVIEWER, "quan", "Văn phòng Quận ủy"),
    DemoAccount("quan.quantri", "Quản trị đơn vị Quận", Role.UNIT_ADMIN, "quan", "Văn phòng Quận ủy"),
    DemoAccount("phucloi.baocao", "Cán bộ báo cáo phường Phúc Lợi", Role.REPORTER, "p:Phúc Lợi", "Văn phòng Đảng ủy phường"),
    DemoAccount(
        "phucloimoi.baocao", "Cán bộ báo cáo phường Phúc Lợi (mới)", Role.REPORTER, "new:Phúc Lợi", "Văn phòng Đảng ủy phường"
    ),
]


def ensure_accounts(units: dict[str, OrgUnit]) -> list[DemoAccount]:
    """Create the demo accounts and roles that are missing, through the audited
    services; leave existing ones (and their passwords) alone."""
    for account in ACCOUNTS:
        unit = units.get(account.unit_key) if account.unit_key else None
        user = User.objects.filter(username=account.username).first()
        if user is None:
            services.create_user(
                None, account.username, account.full_name, "", DEMO_PASSWORD, account.role, unit, title=account.title
            )
        elif not RoleAssignment.objects.filter(user=user, role=account.role, unit=unit).exists():
            services.grant_role(None, user, account.role, unit, title=account.title)
    return ACCOUNTS
