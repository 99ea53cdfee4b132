"""Demo accounts, one per role, on the Long Biên tree. For the demo only."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password

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

# Periodic reporting (reporting_data.py): from 1/7/2025 the new wards report to the city, so the
# city has a reviewer; every ward, old and new, has its own reporter.
ACCOUNTS.append(DemoAccount("thanhpho.tonghop", "Chuyên viên tổng hợp Thành phố", Role.REVIEWER, "hanoi", "Văn phòng Thành ủy"))
NEW_WARD_REPORTERS = [("longbienmoi", "Long Biên"), ("bodemoi", "Bồ Đề"), ("viethungmoi", "Việt Hưng")]
OLD_WARD_REPORTERS = [
    ("thuongthanh", "Thượng Thanh"), ("ngocthuy", "Ngọc Thụy"), ("giangbien", "Giang Biên"), ("ducgiang", "Đức Giang"),
    ("viethung", "Việt Hưng"), ("giathuy", "Gia Thụy"), ("ngoclam", "Ngọc Lâm"), ("bode", "Bồ Đề"),
    ("saidong", "Sài Đồng"), ("longbien", "Long Biên"), ("thachban", "Thạch Bàn"), ("phucdong", "Phúc Đồng"),
    ("cukhoi", "Cự Khối"),
]
ACCOUNTS += [
    DemoAccount(f"{slug}.baocao", f"Cán bộ báo cáo phường {name} (mới)", Role.REPORTER, f"new:{name}",
                "Văn phòng Đảng ủy phường")
    for slug, name in NEW_WARD_REPORTERS
]
ACCOUNTS += [
    DemoAccount(f"{slug}.baocao", f"Cán bộ báo cáo phường {name}", Role.REPORTER, f"p:{name}", "Văn phòng Đảng ủy phường")
    for slug, name in OLD_WARD_REPORTERS
]


def reporter_username(unit_key: str) -> str | None:
    """The demo reporter of a ward, by the ward's key ("p:Bồ Đề", "new:Bồ Đề")."""
    return next((a.username for a in ACCOUNTS if a.role == Role.REPORTER and a.unit_key == unit_key), None)


def ensure_accounts(units: dict[str, OrgUnit]) -> list[DemoAccount]:
    """Create the demo accounts and roles that are missing, through the audited
    services; leave existing ones (and their passwords) alone."""
    encoded: str | None = None  # one hash of the shared demo password, made only if needed
    for account in ACCOUNTS:
        unit = units.get(account.unit_key) if account.unit_key else None
        user = User.objects.filter(username=account.username).first()
        if user is None:
            if encoded is None:
                validate_password(DEMO_PASSWORD)
                encoded = make_password(DEMO_PASSWORD)
            services.create_user(
                None, account.username, account.full_name, "", DEMO_PASSWORD, account.role, unit, title=account.title,
                encoded_password=encoded,
            )
        elif not RoleAssignment.objects.filter(user=user, role=account.role, unit=unit).exists():
            services.grant_role(None, user, account.role, unit, title=account.title)
    return ACCOUNTS
