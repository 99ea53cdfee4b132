"""The Long Biên demo: the tree on the dates the issue names, and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from tiendo.orgs.models import OrgUnit, ReorgLink, UnitKind, UnitVersion, valid_on_q
from tiendo.orgs.selectors import tree_on

OLD_WARDS = {
    "Bồ Đề", "Cự Khối", "Đức Giang", "Gia Thụy", "Giang Biên", "Long Biên", "Ngọc Lâm",
    "Ngọc Thụy", "Phúc Đồng", "Phúc Lợi", "Sài Đồng", "Thạch Bàn", "Thượng Thanh", "Việt Hưng",
}
NEW_WARDS = {"Phường Long Biên", "Phường Bồ Đề", "Phường Việt Hưng", "Phường Phúc Lợi"}


def unit_named(name: str, day: dt.date) -> OrgUnit:
    return UnitVersion.objects.get(valid_on_q(day), name=name).unit


def wards_under(name: str, day: dt.date) -> set[str]:
    parent = unit_named(name, day)
    return set(
        UnitVersion.objects.filter(valid_on_q(day), parent=parent, unit__kind=UnitKind.WARD).values_list("name", flat=True)
    )


class LongBienDemo(TestCase):
    """The demo loaded once for the class (each test runs in a transaction rolled back after it)."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def test_loading_twice_changes_nothing(self):
        before = (OrgUnit.objects.count(), UnitVersion.objects.count(), ReorgLink.objects.count(), User.objects.count())
        call_command("load_demo", verbosity=0)
        assert (OrgUnit.objects.count(), UnitVersion.objects.count(), ReorgLink.objects.count(), User.objects.count()) == before

    def test_on_1_1_2024_the_district_has_its_14_wards(self):
        day = dt.date(2024, 1, 1)
        assert wards_under("Quận Long Biên", day) == {f"Phường {name}" for name in OLD_WARDS}

    def test_on_30_6_2025_the_district_has_13_wards_without_sai_dong(self):
        day = dt.date(2025, 6, 30)
        assert wards_under("Quận Long Biên", day) == {f"Phường {name}" for name in OLD_WARDS - {"Sài Đồng"}}

    def test_on_1_7_2025_the_city_is_directly_over_the_four_new_wards(self):
        day = dt.date(2025, 7, 1)
        assert wards_under("Thành phố Hà Nội", day) >= NEW_WARDS
        assert not UnitVersion.objects.filter(valid_on_q(day), name="Quận Long Biên").exists()
        old = UnitVersion.objects.get(name="Phường Thạch Bàn").unit
        successors = {str(link.successor) for link in ReorgLink.objects.filter(predecessor=old)}
        assert successors == {"Phường Long Biên", "Phường Phúc Lợi", "Xã Gia Lâm", "Xã Bát Tràng"}

    def test_new_bo_de_took_old_ngoc_thuy_code(self):
        holders = list(UnitVersion.objects.filter(code="00118").order_by("valid_from").values_list("name", "valid_to"))
        assert holders == [("Phường Ngọc Thụy", dt.date(2025, 7, 1)), ("Phường Bồ Đề", None)]

    def test_new_phuc_loi_composition_gives_population_shares(self):
        old = UnitVersion.objects.get(name="Phường Sài Đồng").unit
        shares = {str(link.successor): float(link.share) for link in ReorgLink.objects.filter(predecessor=old)}
        assert shares == pytest.approx({"Phường Phúc Đồng": 4817 / 17909, "Phường Phúc Lợi": 13092 / 17909}, abs=1e-6)
        new_phuc_loi = unit_named("Phường Phúc Lợi", dt.date(2025, 7, 1))
        populations = {str(link.predecessor): link.population for link in ReorgLink.objects.filter(successor=new_phuc_loi)}
        assert populations["Phường Phúc Lợi"] == 44530 and populations["Xã Cổ Bi"] == 162

    def test_phuc_loi_reporter_sees_only_phuc_loi(self):
        user = User.objects.get(username="phucloi.baocao")
        roots = tree_on(user, dt.date(2023, 1, 1))
        assert [node.version.name for node in roots] == ["Phường Phúc Lợi"]
        assert len(roots[0].children) == 16  # 14 tổ dân phố, Đảng bộ and MTTQ of the ward

    def test_phuc_loi_residential_groups_follow_into_the_new_ward(self):
        new_phuc_loi = unit_named("Phường Phúc Lợi", dt.date(2025, 7, 1))
        tdp_names = set(
            UnitVersion.objects.filter(valid_on_q(dt.date(2025, 7, 1)), parent=new_phuc_loi, unit__kind=UnitKind.RESIDENTIAL_GROUP)
            .values_list("name", flat=True)
        )
        assert len(tdp_names) == 14

    def test_district_viewer_sees_wards_for_the_dates_they_existed(self):
        self.client.force_login(User.objects.get(username="quan.xem"))
        before = self.client.get(reverse("orgs:tree"), {"ngay": "1/1/2024"}).content.decode()
        assert "Phường Sài Đồng" in before and "Phường Ngọc Thụy" in before
        mid = self.client.get(reverse("orgs:tree"), {"ngay": "30/6/2025"}).content.decode()
        assert "Phường Sài Đồng" not in mid and "Phường Ngọc Thụy" in mid
        after = self.client.get(reverse("orgs:tree"), {"ngay": "1/7/2025"}).content.decode()
        assert "đã kết thúc từ 1/7/2025" in after
        assert "Phường Ngọc Thụy" not in after

    def test_city_viewer_sees_new_wards_and_reaches_old_units_through_them(self):
        self.client.force_login(User.objects.get(username="thanhpho.xem"))
        page = self.client.get(reverse("orgs:tree"), {"ngay": "1/8/2025"}).content.decode()
        for name in NEW_WARDS:
            assert name in page
        new_phuc_loi = unit_named("Phường Phúc Lợi", dt.date(2025, 7, 1))
        detail = self.client.get(reverse("orgs:detail", args=[new_phuc_loi.pk])).content.decode()
        old_viet_hung = UnitVersion.objects.get(name="Phường Việt Hưng", valid_to=dt.date(2025, 7, 1)).unit
        assert reverse("orgs:detail", args=[old_viet_hung.pk]) in detail  # a link to the predecessor's page
        old_page = self.client.get(reverse("orgs:detail", args=[old_viet_hung.pk]))
        assert old_page.status_code == 200
        assert "đã kết thúc từ ngày 1/7/2025" in old_page.content.decode()
