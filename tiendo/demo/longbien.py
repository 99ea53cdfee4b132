"""The Long Biên unit tree and its reorganisations, from the seed articles and the
public facts in shared/REORG-2025.md. Anything not confirmed by a source is written
into an ``assumption`` field, so the pages show it as such.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tiendo.orgs import services
from tiendo.orgs.models import OrgUnit, ReorgEvent, UnitKind, UnitVersion
from tiendo.orgs.services import NewUnit, Transfer

FOUNDED = dt.date(2003, 11, 6)  # Nghị định 132/2003/NĐ-CP
SAI_DONG_END = dt.date(2024, 12, 1)
REFORM = dt.date(2025, 7, 1)  # Nghị quyết 1656/NQ-UBTVQH15


# (name, official code). Codes from the national list of administrative units.
OLD_WARDS = [
    ("Thượng Thanh", "00115"),
    ("Ngọc Thụy", "00118"),
    ("Giang Biên", "00121"),
    ("Đức Giang", "00124"),
    ("Việt Hưng", "00127"),
    ("Gia Thụy", "00130"),
    ("Ngọc Lâm", "00133"),
    ("Phúc Lợi", "00136"),
    ("Bồ Đề", "00139"),
    ("Sài Đồng", "00142"),
    ("Long Biên", "00145"),
    ("Thạch Bàn", "00148"),
    ("Phúc Đồng", "00151"),
    ("Cự Khối", "00154"),
]

DISTRICT_BODIES = [
    (UnitKind.PARTY_COMMITTEE, "Quận ủy Long Biên"),
    (UnitKind.AGENCY, "Văn phòng Quận ủy"),
    (UnitKind.AGENCY, "Ban Tổ chức Quận ủy"),
    (UnitKind.AGENCY, "Ủy ban Kiểm tra Quận ủy"),
    (UnitKind.AGENCY, "Văn phòng HĐND và UBND quận"),
    (UnitKind.AGENCY, "Phòng Nội vụ"),
    (UnitKind.MASS_ORG, "Ủy ban MTTQ Việt Nam quận"),
    (UnitKind.MASS_ORG, "Hội Liên hiệp Phụ nữ quận"),
    (UnitKind.MASS_ORG, "Đoàn Thanh niên Cộng sản Hồ Chí Minh quận"),
    (UnitKind.MASS_ORG, "Hội Cựu chiến binh quận"),
    (UnitKind.MASS_ORG, "Liên đoàn Lao động quận"),
    (UnitKind.PARTY_ORG, "Đảng bộ Khối doanh nghiệp quận"),
]

REFORM_BASIS = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội"
AREA_ONLY = "chỉ chuyển diện tích, không chuyển dân cư"
UNKNOWN_SPLIT = "nguồn chưa công bố cách chia dân số; số liệu không chia tự động"


def is_loaded() -> bool:
    return UnitVersion.objects.filter(name="Quận Long Biên", code="004", unit__kind=UnitKind.DISTRICT).exists()


def build_tree() -> dict[str, OrgUnit]:
    """Create every unit and event; returns the units by a short key for the loader."""
    units: dict[str, OrgUnit] = {}

    def found(key: str, kind: str, name: str, parent: OrgUnit | None, *, code: str = "", start: dt.date = FOUNDED,
              assumption: str = "") -> OrgUnit:
        unit = services.create_unit(
            None, kind=kind, name=name, parent=parent, valid_from=start, code=code,
            assumption=assumption,
        )
        units[key] = unit
        return unit

    hanoi = found(
        "hanoi", UnitKind.CITY, "Thành phố Hà Nội", None, code="01", start=dt.date(2003, 1, 1),
        assumption="Ngày bắt đầu 1/1/2003 chỉ là mốc của dữ liệu mẫu, không phải ngày thành lập thành phố.",
    )
    district = found("quan", UnitKind.DISTRICT, "Quận Long Biên", hanoi, code="004")
    for name, code in OLD_WARDS:
        found(f"p:{name}", UnitKind.WARD, f"Phường {name}", district, code=code)
    for kind, name in DISTRICT_BODIES:
        found(f"b:{name}", kind, name, district)

    phuc_loi = units["p:Phúc Lợi"]
    found("dangbo:Phúc Lợi", UnitKind.PARTY_COMMITTEE, "Đảng bộ phường Phúc Lợi", phuc_loi)
    found("mttq:Phúc Lợi", UnitKind.MASS_ORG, "Ủy ban MTTQ Việt Nam phường Phúc Lợi", phuc_loi)
    for number in range(1, 15):  # seed 004: 14 tổ dân phố
        found(f"tdp:{number}", UnitKind.RESIDENTIAL_GROUP, f"Tổ dân phố số {number}", phuc_loi)
    found(
        "chibo:13", UnitKind.PARTY_ORG, "Chi bộ Tổ dân phố số 13", units["tdp:13"],
        assumption="Tên chi bộ minh họa; bài viết chỉ nêu mô hình của TDP 13.",
    )

    gia_lam = found(
        "gialam", UnitKind.DISTRICT, "Huyện Gia Lâm", hanoi, code="018",
        assumption="Chỉ ghi các xã có phần chuyển vào khu vực Long Biên năm 2025.",
    )
    found("xa:Cổ Bi", UnitKind.COMMUNE, "Xã Cổ Bi", gia_lam)
    found("xa:Bát Tràng", UnitKind.COMMUNE, "Xã Bát Tràng", gia_lam)

    _dissolve_sai_dong(units)
    _two_tier_reform(units)
    return units


def _dissolve_sai_dong(units: dict[str, OrgUnit]) -> None:
    services.reorganise(
        None,
        kind=ReorgEvent.Kind.DISSOLVE,
        date=SAI_DONG_END,
        ending=[units["p:Sài Đồng"]],
        transfers=[
            Transfer(units["p:Sài Đồng"], units["p:Phúc Đồng"], population=4817, area_km2=Decimal("0.13")),
            Transfer(
                units["p:Sài Đồng"], units["p:Phúc Lợi"], population=13092, area_km2=Decimal("0.73"),
                assumption="Theo đề án của quận (Dân Việt, 31/3/2024); chưa đối chiếu với nghị quyết.",
            ),
        ],
        legal_basis="Sắp xếp đơn vị hành chính cấp phường giai đoạn 2023-2025 (Kế hoạch 182/KH-UBND ngày 25/3/2024 của UBND quận)",
        note="Sài Đồng (0,86 km², 17.909 người) giải thể; quận còn 13 phường.",
        assumption="Ngày hiệu lực 1/12/2024 là giả định: nguồn chỉ xác nhận năm 2024.",
    )


def _two_tier_reform(units: dict[str, OrgUnit]) -> None:
    hanoi = units["hanoi"]
    new = {
        "Long Biên": NewUnit(UnitKind.WARD, "Phường Long Biên", hanoi, code="00145",
                             assumption="Mã giả định: giữ mã của phường Long Biên cũ.",
                             note="19,15 km²; dân số 65.885 (nguồn khác: 77.335)."),
        "Bồ Đề": NewUnit(UnitKind.WARD, "Phường Bồ Đề", hanoi, code="00118",
                         note="12,94 km²; dân số 120.028. Nhận mã của phường Ngọc Thụy cũ."),
        "Việt Hưng": NewUnit(UnitKind.WARD, "Phường Việt Hưng", hanoi, code="00127",
                             assumption="Mã giả định: giữ mã của phường Việt Hưng cũ.",
                             note="12,91 km²; dân số 83.188."),
        "Phúc Lợi": NewUnit(UnitKind.WARD, "Phường Phúc Lợi", hanoi, code="00136",
                            assumption="Mã giả định: giữ mã của phường Phúc Lợi cũ.",
                            note="10,41 km²; dân số 66.790."),
        "Hồng Hà": NewUnit(UnitKind.WARD, "Phường Hồng Hà", hanoi,
                           note="Chỉ ghi phần bãi sông nhận từ Bồ Đề và Ngọc Thụy."),
        "xã Gia Lâm": NewUnit(UnitKind.COMMUNE, "Xã Gia Lâm", hanoi, note="Chỉ ghi phần nhận từ khu vực Long Biên."),
        "xã Bát Tràng": NewUnit(UnitKind.COMMUNE, "Xã Bát Tràng", hanoi, note="Chỉ ghi phần nhận từ khu vực Long Biên."),
    }
    party_committee = NewUnit(UnitKind.PARTY_COMMITTEE, "Đảng bộ phường Phúc Lợi", new["Phúc Lợi"])

    def p(name: str) -> OrgUnit:
        return units[f"p:{name}"]

    def t(source: OrgUnit, target: str, **kw: object) -> Transfer:
        return Transfer(source, new[target], **kw)  # type: ignore[arg-type]

    zero = Decimal(0)
    whole = Decimal(1)
    transfers = [
        # New Long Biên: parts of Cự Khối, Phúc Đồng, Thạch Bàn, Bát Tràng; area and all people of old
        # Long Biên; area only of Bồ Đề and Gia Thụy.
        t(p("Long Biên"), "Long Biên", share=whole, note="một phần diện tích và toàn bộ dân số"),
        t(p("Long Biên"), "Bồ Đề", share=zero, note=AREA_ONLY),
        t(p("Cự Khối"), "Long Biên", note=UNKNOWN_SPLIT),
        t(p("Cự Khối"), "xã Bát Tràng", note=UNKNOWN_SPLIT),
        t(p("Bồ Đề"), "Long Biên", share=zero, note=AREA_ONLY),
        t(p("Bồ Đề"), "Bồ Đề", share=whole, note="phần còn lại, toàn bộ dân số"),
        t(p("Bồ Đề"), "Hồng Hà", share=zero, note="dải bãi sông; " + AREA_ONLY),
        t(p("Gia Thụy"), "Long Biên", share=zero, note=AREA_ONLY),
        t(p("Gia Thụy"), "Bồ Đề", note=UNKNOWN_SPLIT),
        t(p("Gia Thụy"), "Việt Hưng", note=UNKNOWN_SPLIT),
        t(p("Ngọc Lâm"), "Bồ Đề", share=whole, note="toàn bộ"),
        t(p("Ngọc Thụy"), "Bồ Đề", share=whole, note="phần còn lại, toàn bộ dân số"),
        t(p("Ngọc Thụy"), "Hồng Hà", share=zero, note="dải bãi sông; " + AREA_ONLY),
        t(p("Đức Giang"), "Bồ Đề", note=UNKNOWN_SPLIT),
        t(p("Đức Giang"), "Việt Hưng", note=UNKNOWN_SPLIT),
        t(p("Thượng Thanh"), "Bồ Đề", note=UNKNOWN_SPLIT),
        t(p("Thượng Thanh"), "Việt Hưng", note=UNKNOWN_SPLIT),
        t(p("Giang Biên"), "Việt Hưng", note=UNKNOWN_SPLIT),
        t(p("Giang Biên"), "Phúc Lợi", population=126, area_km2=Decimal("0.08")),
        t(p("Việt Hưng"), "Việt Hưng", note=UNKNOWN_SPLIT),
        t(p("Việt Hưng"), "Phúc Lợi", population=3717, area_km2=Decimal("1.31")),
        t(p("Phúc Lợi"), "Việt Hưng", share=zero, note=AREA_ONLY),
        t(p("Phúc Lợi"), "Phúc Lợi", population=44530, area_km2=Decimal("6.81"), share=whole),
        t(p("Phúc Đồng"), "Long Biên", note=UNKNOWN_SPLIT),
        t(p("Phúc Đồng"), "Bồ Đề", share=zero, note=AREA_ONLY),
        t(p("Phúc Đồng"), "Việt Hưng", note=UNKNOWN_SPLIT),
        t(p("Phúc Đồng"), "Phúc Lợi", population=18143, area_km2=Decimal("2.01")),
        t(p("Thạch Bàn"), "Long Biên", note=UNKNOWN_SPLIT),
        t(p("Thạch Bàn"), "Phúc Lợi", population=112, area_km2=Decimal("0.10")),
        t(p("Thạch Bàn"), "xã Gia Lâm", note=UNKNOWN_SPLIT),
        t(p("Thạch Bàn"), "xã Bát Tràng", note=UNKNOWN_SPLIT),
        t(units["xa:Cổ Bi"], "Phúc Lợi", population=162, area_km2=Decimal("0.10")),
        t(units["xa:Cổ Bi"], "xã Gia Lâm", assumption="Phần còn lại của xã Cổ Bi vào xã Gia Lâm: giả định."),
        t(units["xa:Bát Tràng"], "Long Biên", note=UNKNOWN_SPLIT),
        t(units["xa:Bát Tràng"], "xã Bát Tràng", note=UNKNOWN_SPLIT),
        # The district level ends: its history is linked to the new wards, its figures are not split.
        *[t(units["quan"], name) for name in ("Long Biên", "Bồ Đề", "Việt Hưng", "Phúc Lợi")],
    ]
    old_wards = [p(name) for name, _ in OLD_WARDS if name != "Sài Đồng"]
    district_bodies = [units[f"b:{name}"] for _, name in DISTRICT_BODIES]
    services.reorganise(
        None,
        kind=ReorgEvent.Kind.REORGANISE,
        date=REFORM,
        new_units=[*new.values(), party_committee],
        child_moves=[(units[f"tdp:{n}"], new["Phúc Lợi"]) for n in range(1, 15)],
        ending=[
            units["dangbo:Phúc Lợi"],
            units["mttq:Phúc Lợi"],
            *old_wards,
            *district_bodies,
            units["quan"],
            units["xa:Cổ Bi"],
            units["xa:Bát Tràng"],
            units["gialam"],
        ],
        transfers=transfers,
        legal_basis=REFORM_BASIS,
        note="Chính quyền địa phương hai cấp: không còn cấp quận; khu vực Long Biên cũ thành 4 phường mới.",
        assumption="Giả định 14 tổ dân phố của phường Phúc Lợi cũ chuyển nguyên về phường Phúc Lợi mới.",
    )
