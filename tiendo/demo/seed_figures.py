"""Every figure stated in the five seed articles, with where it is stored.

This is the fixture the demo loader (``plans_data``) writes from and the tests check
against: each entry quotes the article, gives the number as the article writes it
and as a Decimal, and names the indicator, unit and period it is stored under. The
numbers were read off the articles by hand (shared/seeds/000…004).

Other lists complete it:

- ``COUNTS``: numbers that count indicators or programs ("32 chỉ tiêu", "đã hoàn
  thành 24 chỉ tiêu"). They are not stored: the tests compute them from the
  programs and the computed statuses. ``ASSUMED_COUNTS`` are the two counts of
  program 03 that the article leaves out and the demo assumes.
- ``TREE_COUNTS``: numbers that count units of the tree ("14 tổ dân phố"); the tree
  already holds them, so the tests count the tree on the article's date.
- ``DERIVED``: stored values that no article writes down but that follow from
  numbers it does (3 phường duy trì + 3 phường công nhận mới = 6 phường).
- ``NOT_STORED``: numbers in the articles that are not quantities (a map scale, an
  anniversary, a delegation's number), with the reason.

Document numbers ("02-CTr/QU", "Quy định số 55-QĐ/TW"), dates and the pages'
"Lượt xem" counters are identifiers or page metadata, not figures, and are left out.

Units are the keys of ``longbien.build_tree`` ("quan", "b:Quận ủy Long Biên",
"p:Phúc Lợi" …); periods are codes of ``tiendo.lib.periods`` ("2018", "NH2021-2022",
"NK2020-2025").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Article:
    seed: str
    file: str
    title: str
    published_on: dt.date
    publisher: str


ARTICLES = {
    "000": Article(
        "000", "000_8b4199eedfda9746.txt",
        "Kết quả lãnh đạo, chỉ đạo thực hiện các chủ đề công tác năm 2018 gắn với 3 Chương trình công tác của Quận ủy",
        dt.date(2018, 12, 4), "Cổng thông tin quận Long Biên",
    ),
    "001": Article(
        "001", "001_5383354989185dff.txt",
        "Nửa đầu nhiệm kỳ 2020-2025, quận Long Biên thực hiện Nghị quyết Đại hội: Khẳng định bước chuyển mới "
        "thực chất, hiệu quả",
        dt.date(2023, 4, 18), "Báo Hànộimới",
    ),
    "002": Article(
        "002", "002_f20441d97662043b.txt",
        "Quận Long Biên chủ động cụ thể hóa trong thực hiện Chương trình 01-CTr/TU, Quy định số 55-QĐ/TW và "
        "Quy định số 37-QĐ/TW",
        dt.date(2022, 5, 18), "Cổng thông tin quận Long Biên",
    ),
    "003": Article(
        "003", "003_4e350c0910f1c9e8.txt",
        "Quận Long Biên sơ kết 01 năm thực hiện thí điểm tổ chức mô hình chính quyền đô thị",
        dt.date(2022, 8, 5), "Cổng thông tin quận Long Biên",
    ),
    "004": Article(
        "004", "004_38a82569bdcd8b4b.txt",
        "Phường Phúc Lợi tổ chức hội nghị triển khai kế hoạch “Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống "
        "chính trị” và kế hoạch thực hiện chủ đề “Vì một Long Biên xanh - sạch - đẹp”",
        dt.date(2018, 3, 7), "Cổng thông tin quận Long Biên",
    ),
}

# The days the figures speak for. Seed 000 reports 2018 on 4/12/2018, before the year
# ended; seed 001 gives running totals "đến nay" on 18/4/2023; seed 002 reports at the
# inspection of 17/5/2022; seed 003 at the review conference of 3/8/2022; seed 004 at
# the ward's conference of 6/3/2018.
ON_2018 = dt.date(2018, 12, 4)
ON_MIDTERM = dt.date(2023, 4, 18)
ON_INSPECTION = dt.date(2022, 5, 17)
ON_REVIEW = dt.date(2022, 8, 3)
ON_PHUC_LOI = dt.date(2018, 3, 6)

TERM = "NK2020-2025"
QUAN = "quan"
QUAN_UY = "b:Quận ủy Long Biên"


@dataclass(frozen=True)
class Figure:
    """One number of one article and where it is stored.

    ``stored_as`` is "value" (a current DataValue with this value), "target" (a
    Target) or "share_of_target" (the stored value is this percentage of the stored
    target, e.g. "đạt 88,94% chỉ tiêu chương trình").
    """

    seed: str
    quote: str
    written: str
    value: Decimal
    indicator: str
    unit: str
    period: str
    measured_on: dt.date | None = None
    stored_as: str = "value"
    note: str = ""


def _f(seed: str, quote: str, written: str, value: str, indicator: str, unit: str, period: str,
       measured_on: dt.date | None = None, **kw: str) -> Figure:
    return Figure(seed, quote, written, Decimal(value), indicator, unit, period, measured_on, **kw)


def _y2018(quote: str, written: str, value: str, indicator: str, unit: str = QUAN, **kw: str) -> Figure:
    return _f("000", quote, written, value, indicator, unit, "2018", ON_2018, **kw)


def _midterm(quote: str, written: str, value: str, indicator: str, unit: str = QUAN, **kw: str) -> Figure:
    return _f("001", quote, written, value, indicator, unit, TERM, ON_MIDTERM, **kw)


PN = "b:Hội Liên hiệp Phụ nữ quận"
CCB = "b:Hội Cựu chiến binh quận"
MTTQ = "b:Ủy ban MTTQ Việt Nam quận"
LDLD = "b:Liên đoàn Lao động quận"
KDN = "b:Đảng bộ Khối doanh nghiệp quận"

SEED_FIGURES: list[Figure] = [
    # --- 000 (4/12/2018): results of 2018, theme "Nâng cao hiệu lực…" (programs 01, 02 of the 2015–2020 term)
    _y2018("Tiếp tục thực hiện 11 chuyên đề", "11", "11", "KQ2018_CHUYEN_DE", QUAN_UY),
    _y2018("triển khai mới 02 chuyên đề", "02", "2", "KQ2018_CHUYEN_DE_MOI", QUAN_UY),
    _y2018("16 hội nghị, tọa đàm cụ thể hóa chương trình 01-CTr/QU", "16", "16", "KQ2018_HOI_NGHI", QUAN_UY),
    _y2018("Khối đảng, đoàn thể: 32 quy trình cấp Quận", "32", "32", "KQ2018_QT_DANG_CAP_QUAN"),
    _y2018("26 quy trình cấp phường", "26", "26", "KQ2018_QT_DANG_CAP_PHUONG"),
    _y2018("Khối chính quyền: 55 quy trình cấp Quận", "55", "55", "KQ2018_QT_CQ_CAP_QUAN"),
    _y2018("15 quy trình cấp phường", "15", "15", "KQ2018_QT_CQ_CAP_PHUONG"),
    _y2018("xây dựng và triển khai 02 chuyên đề về công tác xây dựng đảng", "02", "2", "KQ2018_KDN_CHUYEN_DE", KDN),
    _y2018("05 quy trình nội bộ của Đảng bộ khối doanh nghiệp", "05", "5", "KQ2018_KDN_QUY_TRINH", KDN),
    _y2018("Bộ chỉ số cải cách hành chính của UBND quận và 14 phường", "14", "14", "KQ2018_CHI_SO_CCHC"),
    _y2018("Tổ chức 110 lớp đào tạo bồi dưỡng", "110", "110", "KQ2018_LOP_BOI_DUONG"),
    _y2018("cho 21.327 học viên", "21.327", "21327", "KQ2018_HOC_VIEN"),
    _y2018("triển khai 02 bộ quy tắc ứng xử của cán bộ công chức", "02", "2", "KQ2018_QUY_TAC_UNG_XU"),
    # --- 000: theme "Vì một Long Biên xanh - sạch - đẹp" (program 03 of the 2015–2020 term)
    _y2018("cắt tỉa, xử lý 830 cây mất an toàn", "830", "830", "KQ2018_CAT_TIA_CAY"),
    _y2018("trồng mới 534 cây xanh", "534", "534", "KQ2018_TRONG_CAY_XANH"),
    _y2018("xây dựng 15 tuyến phố xanh - sạch - đẹp", "15", "15", "KQ2018_TUYEN_PHO_XSD"),
    _y2018("06 tuyến phố cấp quận", "06", "6", "KQ2018_TUYEN_PHO_CAP_QUAN"),
    _y2018("09 tuyến phố cấp phường", "09", "9", "KQ2018_TUYEN_PHO_CAP_PHUONG"),
    _y2018("khánh thành 02 vườn hoa", "02", "2", "KQ2018_VUON_HOA_KHANH_THANH"),
    _y2018("chuẩn bị khởi công 01 vườn hoa", "01", "1", "KQ2018_VUON_HOA_CHUAN_BI"),
    _y2018("33 câu lạc bộ", "33", "33", "KQ2018_CLB_MOI_TRUONG", MTTQ),
    _y2018("hơn 3300 hội viên tham gia", "hơn 3300", "3300", "KQ2018_HOI_VIEN_CLB", MTTQ,
           note="Bài viết ghi “hơn 3300 hội viên”: số lưu là mức tối thiểu."),
    _y2018("tổ chức 16 buổi tuyên truyền", "16", "16", "KQ2018_PN_BUOI_TUYEN_TRUYEN", PN),
    _y2018("cho 2.435 cán bộ, hội viên nòng cốt", "2.435", "2435", "KQ2018_PN_HOI_VIEN", PN),
    _y2018("vệ sinh môi trường tại 19 chợ", "19", "19", "KQ2018_PN_CHO", PN),
    _y2018("biến 30 điểm chân rác thành vườn hoa", "30", "30", "KQ2018_PN_CHAN_RAC", PN),
    _y2018("phân công 294 chi hội cơ sở", "294", "294", "KQ2018_CCB_CHI_HOI", CCB),
    _y2018("kiểm tra 226 trụ sở nhà văn hóa tổ dân phố", "226", "226", "KQ2018_CCB_TRU_SO", CCB,
           note="Bài viết: “226 trụ sở nhà văn hóa tổ dân phố, trụ sở công an phường”."),
    _y2018("giám sát 121/212 nhà văn hóa", "121", "121", "KQ2018_CCB_NHA_VAN_HOA", CCB),
    _y2018("giám sát 121/212 nhà văn hóa", "212", "212", "KQ2018_NHA_VAN_HOA",
           note="Mẫu số của “121/212”: tổng số nhà văn hóa, ghi cho cấp quận."),
    _y2018("giám sát, kiểm tra 118 lượt", "118", "118", "KQ2018_LDLD_LUOT", LDLD),
    _y2018("trồng mới 468 cây bóng mát", "468", "468", "KQ2018_CAY_BONG_MAT",
           note="Bài viết nêu ngay sau phần của Liên đoàn Lao động quận, không rõ chủ thể; ghi cho cấp quận."),
    _y2018("9.204 cây cảnh", "9.204", "9204", "KQ2018_CAY_CANH",
           note="Phong trào “Xây dựng trụ sở cơ quan, đơn vị, doanh nghiệp, trường học xanh, sạch, đẹp”; ghi cho cấp quận."),
    _y2018("16.120 cây hoa", "16.120", "16120", "KQ2018_CAY_HOA",
           note="Bài viết: “16.120 cây hoa, thảm cỏ”; ghi cho cấp quận."),
    # --- 001 (18/4/2023): mid-term review of the 2020–2025 resolution
    _midterm("ban hành 9 kế hoạch thực hiện 10 chương trình", "9", "9", "KQ_KE_HOACH_CTR_THANH_UY", QUAN_UY),
    _midterm("ban hành 9 kế hoạch thực hiện 10 chương trình", "10", "10", "KQ_CTR_THANH_UY", QUAN_UY),
    _midterm("kiểm tra hiện trường 139 buổi", "139", "139", "KQ_KIEM_TRA_HIEN_TRUONG"),
    _midterm("tiếp dân 13 buổi", "13", "13", "KQ_TIEP_DAN"),
    _midterm("chỉ đạo xử lý giải quyết 108 vụ việc", "108", "108", "KQ_VU_VIEC"),
    _midterm("quận đã duy trì 3 phường", "3", "3", "KQ_DTVM_DUY_TRI"),
    _midterm("công nhận mới 3 phường đạt chuẩn", "3", "3", "KQ_DTVM_CONG_NHAN_MOI"),
    _f("001", "Năm học 2021-2022 đạt 82,3%", "82,3%", "82.3", "CT02_DO_LOP10", QUAN, "NH2021-2022"),
    _f("001", "cao hơn trung bình thành phố 22,3%", "22,3%", "22.3", "KQ_LOP10_HON_TP", QUAN, "NH2021-2022",
       note="Chênh lệch tính bằng điểm phần trăm."),
    _f("001", "cao hơn trung bình khu vực 17,6%", "17,6%", "17.6", "KQ_LOP10_HON_KV", QUAN, "NH2021-2022",
       note="Chênh lệch tính bằng điểm phần trăm."),
    _f("001", "Tỷ lệ “Gia đình văn hóa” hằng năm đạt 93,18%", "93,18%", "93.18", "CT02_GDVH", QUAN, "2022",
       note="Bài viết ghi “hằng năm đạt”; ghi cho năm 2022, năm gần nhất đã kết thúc trước bài viết."),
    _f("001", "Tỷ lệ “Tổ dân phố văn hóa” hằng năm đạt 90,28%", "90,28%", "90.28", "CT02_TDPVH", QUAN, "2022",
       note="Bài viết ghi “hằng năm đạt”; ghi cho năm 2022, năm gần nhất đã kết thúc trước bài viết."),
    _midterm("100% dự án đầu tư thực hiện bảo đảm phù hợp với quy hoạch", "100%", "100", "CT03_DU_AN_QUY_HOACH"),
    _midterm("xây dựng mới 10 vườn hoa", "10", "10", "KQ_VUON_HOA_MOI"),
    _midterm("tổng diện tích 9,25ha", "9,25 ha", "9.25", "CT03_VUON_HOA_MOI_HA"),
    _midterm("đạt 88,94% chỉ tiêu chương trình", "88,94%", "88.94", "CT03_VUON_HOA_MOI_HA",
             stored_as="share_of_target"),
    _midterm("lắp đặt trụ cứu hỏa với diện tích 1.015ha", "1.015 ha", "1015", "KQ_TRU_CUU_HOA_HA"),
    _midterm("hoàn thành 8 dự án đầu tư tu bổ, tôn tạo di tích", "8", "8", "KQ_DI_TICH_HOAN_THANH"),
    _midterm("chuẩn bị đầu tư 6 dự án khác", "6", "6", "KQ_DU_AN_CHUAN_BI"),
    _midterm("nâng cấp 322 tuyến đường ngõ ngách", "322", "322", "CT03_NGO_NGACH"),
    _midterm("duy tu duy trì đối với 46 vườn hoa", "46", "46", "KQ_VUON_HOA_DUY_TU"),
    _midterm("cải tạo sửa chữa 36 trường học", "36", "36", "CT03_TRUONG_HOC"),
    _f("001", "100% rác thải sinh hoạt được thu gom và vận chuyển trong ngày", "100%", "100", "CT03_RAC_THAI",
       QUAN, "2022", note="Ghi cho năm 2022, năm gần nhất đã kết thúc trước bài viết."),
    _midterm("có 4.764 lượt cán bộ, công chức, viên chức, người lao động cam kết", "4.764", "4764",
             "KQ_CAM_KET_CHUYEN_NGHIEP"),
    _midterm("được công nhận chuyên nghiệp chiếm tỷ lệ 31,44%", "31,44%", "31.44", "CT01_CHUYEN_NGHIEP"),
    _midterm("lập thiết kế đô thị 6 tuyến đường", "6", "6", "KQ_THIET_KE_DO_THI"),
    _midterm("chủ trương đầu tư 3 dự án thoát nước lớn", "3", "3", "KQ_DU_AN_THOAT_NUOC"),
    _f("001", "14/14 phường của quận duy trì đạt chuẩn quốc gia về y tế", "14/14", "14", "CT02_PHUONG_CHUAN_Y_TE",
       QUAN, "2022", note="Ghi cho năm 2022, năm gần nhất đã kết thúc trước bài viết."),
    _f("001", "đến nay quận không còn hộ nghèo", "không còn hộ nghèo", "0", "CT02_HO_NGHEO", QUAN, "2022",
       note="Số hộ nghèo theo kết quả rà soát cuối năm 2022, năm gần nhất trước bài viết."),
    # --- 002 (inspection of 17/5/2022): the district Party organisation
    _f("002", "hiện có trên 16.300 đảng viên", "trên 16.300", "16300", "KQ_DANG_VIEN", QUAN_UY, "2022", ON_INSPECTION,
       note="Bài viết ghi “trên 16.300”: số lưu là mức tối thiểu."),
    _f("002", "sinh hoạt tại 47 tổ chức cơ sở đảng", "47", "47", "KQ_TO_CHUC_CO_SO_DANG", QUAN_UY, "2022", ON_INSPECTION),
    _f("002", "thù địch tại 14 phường", "14", "14", "KQ_KHAO_SAT_NEN_TANG_TU_TUONG", QUAN_UY, TERM, ON_INSPECTION),
    _f("002", "đối với 3 tổ chức", "3", "3", "KQ_GIAM_SAT_TO_CHUC", QUAN_UY, TERM, ON_INSPECTION),
    _f("002", "3 tổ chức và 3 cá nhân", "3", "3", "KQ_GIAM_SAT_CA_NHAN", QUAN_UY, TERM, ON_INSPECTION),
    # --- 003 (conference of 3/8/2022): awards of the urban-government pilot
    _f("003", "khen thưởng đối với 11 tập thể", "11", "11", "KQ_KHEN_THUONG_TAP_THE", QUAN, "2022", ON_REVIEW),
    _f("003", "12 cá nhân có thành tích", "12", "12", "KQ_KHEN_THUONG_CA_NHAN", QUAN, "2022", ON_REVIEW),
    # --- 004 (conference of 6/3/2018 in Phúc Lợi)
    _f("004", "có 4 ý kiến tham luận", "4", "4", "KQ2018_PL_Y_KIEN_THAM_LUAN", "p:Phúc Lợi", "2018", ON_PHUC_LOI),
]


@dataclass(frozen=True)
class Derived:
    """A stored value that follows from stated numbers; ``how`` says how."""

    seed: str
    how: str
    value: Decimal
    indicator: str
    unit: str
    period: str
    measured_on: dt.date | None = None
    stored_as: str = "value"


DERIVED: list[Derived] = [
    Derived("001", "3 phường duy trì + 3 phường công nhận mới đạt chuẩn “Đô thị văn minh” = 6 phường",
            Decimal(6), "CT02_DTVM", QUAN, TERM, ON_MIDTERM),
    Derived("001", "9,25 ha đạt 88,94% chỉ tiêu chương trình → chỉ tiêu 9,25 / 0,8894 ≈ 10,4 ha",
            Decimal("10.4"), "CT03_VUON_HOA_MOI_HA", QUAN, TERM, stored_as="target"),
]


@dataclass(frozen=True)
class Count:
    """A number that counts indicators or programs; checked by computing it.

    ``what`` names the computation: ("indicators", "02-CTr/QU") is how many
    indicators the program has; ("in_resolution", …), ("done", …), ("in_progress", …),
    ("resolution_done", …), ("resolution_in_progress", …) count by flag and by
    computed status on the article's date; ("programs", term) and ("priorities",
    term) count the resolution's programs and breakthrough priorities.
    """

    seed: str
    quote: str
    written: str
    value: int
    what: tuple[str, str]


COUNTS: list[Count] = [
    Count("000", "gắn với tiếp tục thực hiện 3 Chương trình công tác toàn khóa", "3", 3, ("programs", "2015-2020")),
    Count("001", "cụ thể hóa bằng 3 chương trình công tác trọng tâm toàn khóa", "3", 3, ("programs", "2020-2025")),
    Count("001", "hai khâu đột phá trong Nghị quyết Đại hội", "hai", 2, ("priorities", "2020-2025")),
    Count("001", "có 19 chỉ tiêu", "19", 19, ("indicators", "01-CTr/QU")),
    Count("001", "trong đó có 3 chỉ tiêu trong Nghị quyết", "3", 3, ("in_resolution", "01-CTr/QU")),
    Count("001", "có 32 chỉ tiêu", "32", 32, ("indicators", "02-CTr/QU")),
    Count("001", "quận đã hoàn thành 24 chỉ tiêu", "24", 24, ("done", "02-CTr/QU")),
    Count("001", "đang thực hiện 8 chỉ tiêu", "8", 8, ("in_progress", "02-CTr/QU")),
    Count("001", "Riêng 6 chỉ tiêu nằm trong Nghị quyết", "6", 6, ("in_resolution", "02-CTr/QU")),
    Count("001", "quận đã đạt 3 chỉ tiêu", "3", 3, ("resolution_done", "02-CTr/QU")),
    Count("001", "đang thực hiện 3 chỉ tiêu", "3", 3, ("resolution_in_progress", "02-CTr/QU")),
    Count("001", "có 14 chỉ tiêu", "14", 14, ("indicators", "03-CTr/QU")),
    Count("001", "quận đã đạt 8 chỉ tiêu theo kế hoạch hằng năm", "8", 8, ("done", "03-CTr/QU")),
    Count("001", "trong đó có 1 chỉ tiêu Nghị quyết", "1", 1, ("resolution_done", "03-CTr/QU")),
]

# Not stated, assumed (see plans_data): program 03 has exactly one indicator of the
# resolution, the one counted among the 8 achieved. The article gives no total for
# program 03; one is the only number that needs no indicator the articles do not
# support. The other 6 indicators of program 03 are in progress.
ASSUMED_COUNTS: list[Count] = [
    Count("001", "(giả định) chương trình 03 có 1 chỉ tiêu Nghị quyết", "1", 1, ("in_resolution", "03-CTr/QU")),
    Count("001", "(giả định) 6 chỉ tiêu còn lại đang thực hiện", "6", 6, ("in_progress", "03-CTr/QU")),
]


@dataclass(frozen=True)
class TreeCount:
    """A number of units; the tree holds it, checked by counting children on ``on``."""

    seed: str
    quote: str
    written: str
    value: int
    parent: str
    kind: str
    on: dt.date


TREE_COUNTS: list[TreeCount] = [
    TreeCount("003", "Chủ tịch UBND 14 phường", "14", 14, QUAN, "ward", ON_REVIEW),
    TreeCount("004", "trưởng ban công tác mặt trận 14 tổ dân phố", "14", 14, "p:Phúc Lợi", "tdp", ON_PHUC_LOI),
]


NOT_STORED: list[tuple[str, str, str]] = [
    ("000", "ISO 9001:2015", "Tên tiêu chuẩn, không phải số liệu."),
    ("001", "kỷ niệm 20 năm thành lập quận (6/11/2003 - 6/11/2023)",
     "Ngày thành lập quận đã có trong cây đơn vị (Quận Long Biên từ 6/11/2003)."),
    ("001", "quy hoạch chi tiết 1/500", "Tỷ lệ bản đồ quy hoạch, không phải số liệu."),
    ("001", "phân khu đô thị N10", "Tên phân khu."),
    ("002", "Đoàn kiểm tra số 1", "Số hiệu đoàn kiểm tra."),
    ("003", "sơ kết 01 năm thực hiện thí điểm", "Độ dài kỳ sơ kết, không phải số liệu."),
    ("004", "(TDP 13)", "Tên đơn vị thực hiện mô hình; là đơn vị “Tổ dân phố số 13” trong cây."),
]
