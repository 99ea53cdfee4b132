"""The Long Biên resolution, programs, themes, plans, indicators, targets and figures.

Built from the five seed articles (``seed_figures`` lists every number they state).
What the articles say is stored with the article as its source; what they leave out
is marked: indicators the articles only count are ``illustrative`` with "(minh họa)"
in their names, and every figure or target that no article gives comes from the
source "Số liệu minh họa – không có trong nguồn" (kind *estimate*).

The 2020–2025 programs are set up so that the statuses computed on 18/4/2023 give
the counts of the mid-term article (seed 001): program 02 has 24 indicators done and
8 in progress, 3 + 3 of its 6 resolution indicators; program 03 has 8 done, one of
them a resolution indicator. The tests recompute them; nothing stores a count.

Assumptions (the pages show the figures' notes; this list is the closing note):

- The 2018 themes were carried out with the 3 full-term programs of the 2015–2020
  term (seed 000 reports them in 2018, before the 2020 Congress): a minimal
  resolution of the III Congress (2015–2020, its number inferred from the IV) holds
  programs 01, 02 and 03-CTr/QU of that term, whose full titles are not in the
  sources. The themes link to those, not to the 2020–2025 programs.
- Which 3 indicators of program 01 are resolution indicators (party recruitment,
  the two "hoàn thành tốt nhiệm vụ" rates) is assumed; seed 001 only counts them.
- The 6 resolution indicators of program 02 are the ones the article details right
  after counting them (“Cụ thể, …”): civilised-urban wards, green-clean-beautiful
  residential groups, grade-10 admission, cultural families, cultural residential
  groups, plus health insurance ("đạt chỉ tiêu Đại hội đề ra"). Done: grade 10
  ("vượt"), residential groups and insurance ("đạt"); in progress: the other three.
- Program 03 has exactly 1 resolution indicator (household waste collected within
  the day), the one among the 8 achieved; see ``seed_figures.ASSUMED_COUNTS``.
- Targets are not in the articles except the new-garden area (10,4 ha, derived from
  "9,25 ha … đạt 88,94%"); every other target is illustrative.
- Rates stated as "hằng năm đạt" (93,18%, 90,28%, 14/14 phường, 100% rác thải, no
  poor households) are stored for 2022, the last year ended before the article.
- Running totals "đến nay" are stored on the term NK2020-2025, measured on the
  article's date; the 2018 results are measured on 4/12/2018, the article's date.
- Figures the article attributes to no body (the plantings of the office-greening
  movement) are stored for the district as a whole.
- Steering-board roles are not in the sources: the two people the articles name
  keep their stated positions; their roles in the boards, and the other members
  (named by their office only), are marked "(minh họa)".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tiendo.demo import longbien
from tiendo.demo.seed_figures import ARTICLES, DERIVED, SEED_FIGURES
from tiendo.indicators import services
from tiendo.indicators.models import Indicator, Source
from tiendo.indicators.status import Status
from tiendo.lib import periods
from tiendo.orgs.models import OrgUnit, UnitVersion, valid_on_q
from tiendo.plans.models import BoardMember, Plan, PlanItem, Priority, Program, Resolution, Theme

APPROVED = "approved"
RESOLUTION_TITLE = "Nghị quyết Đại hội đại biểu Đảng bộ quận Long Biên lần thứ IV, nhiệm kỳ 2020-2025"
PREVIOUS_TITLE = "Nghị quyết Đại hội đại biểu Đảng bộ quận Long Biên lần thứ III, nhiệm kỳ 2015-2020"
ESTIMATE_TITLE = "Số liệu minh họa – không có trong nguồn"
ILLUSTRATIVE_NOTE = "Số liệu minh họa: bài viết chỉ nêu số lượng chỉ tiêu của chương trình, không nêu tên và số liệu."
TARGET_NOTE = "Mức chỉ tiêu minh họa: bài viết không nêu mức chỉ tiêu."
TERM = periods.term(2020, 2025)

PRIORITIES = [
    "Củng cố, kiện toàn hệ thống chính trị tinh gọn, hoạt động hiệu lực hiệu quả, trọng tâm xây dựng đội ngũ cán bộ, "
    "công chức, viên chức chuyên nghiệp, từng bước đáp ứng yêu cầu hội nhập",
    "Tiếp tục hoàn thiện hệ thống hạ tầng đô thị, trọng tâm đầu tư thoát nước; bảo đảm cảnh quan, môi trường; nâng "
    "cao chất lượng cuộc sống cho người dân",
]

# (number, title, priority number) — the titles as seed 001 writes them.
PROGRAMS = [
    ("01-CTr/QU",
     "Tiếp tục đổi mới phương thức lãnh đạo của cấp ủy Đảng; củng cố, kiện toàn hệ thống chính trị tinh gọn, hoạt "
     "động hiệu lực, hiệu quả; xây dựng đội ngũ cán bộ, công chức, viên chức chuyên nghiệp từng bước đáp ứng yêu cầu "
     "hội nhập giai đoạn 2020-2025", 1),
    ("02-CTr/QU",
     "Nâng cao chất lượng cuộc sống người dân trên địa bàn quận Long Biên, nhiệm vụ và giải pháp chủ yếu giai đoạn "
     "2020-2025", None),
    ("03-CTr/QU",
     "Đầu tư, hoàn thiện hệ thống hạ tầng đô thị, trọng tâm giải quyết vấn đề thoát nước, bảo đảm cảnh quan, môi "
     "trường trên địa bàn quận Long Biên giai đoạn 2020-2025", 2),
]

ROLE_NOTE = "vai trò trong Ban: minh họa"
NAM = ("Đường Hoài Nam", f"Thành ủy viên, Bí thư Quận ủy, Chủ tịch HĐND quận ({ROLE_NOTE})")
HA = ("Nguyễn Mạnh Hà", f"Phó Bí thư Quận ủy, Chủ tịch UBND quận ({ROLE_NOTE})")
H, D, S, M = BoardMember.Role.HEAD, BoardMember.Role.DEPUTY, BoardMember.Role.STANDING, BoardMember.Role.MEMBER
BOARDS = {
    "01-CTr/QU": [
        (*NAM, H), (*HA, D),
        ("Đại diện Ban Tổ chức Quận ủy", "Trưởng Ban Tổ chức Quận ủy (minh họa)", S),
        ("Đại diện Phòng Nội vụ", "Trưởng phòng Nội vụ (minh họa)", M),
    ],
    "02-CTr/QU": [
        (*HA, H),
        ("Đại diện Văn phòng HĐND và UBND quận", "Chánh Văn phòng HĐND và UBND quận (minh họa)", S),
        ("Đại diện Ủy ban MTTQ Việt Nam quận", "Chủ tịch Ủy ban MTTQ Việt Nam quận (minh họa)", M),
    ],
    "03-CTr/QU": [
        (*HA, H),
        ("Đại diện Văn phòng Quận ủy", "Chánh Văn phòng Quận ủy (minh họa)", S),
        ("Đại diện Phòng Quản lý đô thị", "Trưởng phòng Quản lý đô thị (minh họa)", M),
    ],
}

NUMBER, PERCENT = Indicator.ValueType.NUMBER, Indicator.ValueType.PERCENT
SUM, NONE, AVERAGE = Indicator.UnitAggregation.SUM, Indicator.UnitAggregation.NONE, Indicator.UnitAggregation.AVERAGE
FLOW, STOCK = Indicator.TimeAggregation.FLOW, Indicator.TimeAggregation.STOCK
YEAR, SCHOOL_YEAR, TERM_KIND = "year", "school_year", "term"


@dataclass(frozen=True)
class Spec:
    """An indicator to create; for program indicators, its target and expected status.

    ``estimates`` are figures from the illustrative source, by period code;
    ``claim`` is what the article says about an indicator it names without a figure.
    """

    code: str
    name: str
    unit_of_measure: str = ""
    value_type: str = NUMBER
    unit_aggregation: str = SUM
    time_aggregation: str = FLOW
    frequency: str = YEAR
    lower_is_better: bool = False
    program: str | None = None
    in_resolution: bool = False
    priority: int | None = None
    illustrative: bool = False
    decimals: int = 0
    definition: str = ""
    responsible: str | None = None
    target: str | None = None
    estimates: dict[str, str] = field(default_factory=dict)
    claim: str = ""
    expect: Status | None = None


def rate(code: str, name: str, target: str | None = None, decimals: int = 1, **kw: Any) -> Spec:
    """A percentage entered for the district itself (a level: the latest figure counts)."""
    return Spec(code, name, "%", PERCENT, NONE, STOCK, decimals=decimals, target=target, **kw)


def flow(code: str, name: str, unit_of_measure: str, target: str | None = None, **kw: Any) -> Spec:
    """A count that adds up over units and periods."""
    return Spec(code, name, unit_of_measure, NUMBER, SUM, FLOW, target=target, **kw)


def stock(code: str, name: str, unit_of_measure: str, target: str | None = None, **kw: Any) -> Spec:
    """A count that adds up over units; over time the latest figure counts."""
    return Spec(code, name, unit_of_measure, NUMBER, SUM, STOCK, target=target, **kw)


EXCEEDED, ACHIEVED, ON_TRACK, AT_RISK = Status.EXCEEDED, Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK
MH = " (minh họa)"
P01_CLAIM = ("một số chỉ tiêu đạt và vượt kế hoạch hằng năm như: Phát triển Đảng; tỷ lệ đảng viên và tỷ lệ tổ chức "
             "Đảng hoàn thành tốt nhiệm vụ trở lên; tỷ lệ hồ sơ thủ tục hành chính trả trước hạn…")


def _illustrative_rate(program: str, n: int, name: str, target: str, y2021: str, y2022: str, expect: Status,
                       lower: bool = False) -> Spec:
    return rate(f"CT{program}_MH{n:02d}", name + MH, target, program=program, illustrative=True, lower_is_better=lower,
                estimates={"2021": y2021, "2022": y2022}, expect=expect)


def _illustrative_flow(program: str, n: int, name: str, uom: str, target: str, values: tuple[str, str, str],
                       expect: Status, decimals: int = 0) -> Spec:
    return flow(f"CT{program}_MH{n:02d}", name + MH, uom, target, program=program, illustrative=True, decimals=decimals,
                estimates=dict(zip(("2020", "2021", "2022"), values, strict=True)), expect=expect)


def _ward_spec(program: str, n: int, name: str, uom: str, target: str, aggregation: str, time: str,
               expect: Status, value_type: str = NUMBER, decimals: int = 0) -> Spec:
    return Spec(f"CT{program}_MH{n:02d}", name + MH, uom, value_type, aggregation, time, program=program,
                illustrative=True, decimals=decimals, target=target, expect=expect,
                definition="Số liệu minh họa nhập cho từng phường; cấp quận được tổng hợp tự động.")


# --- Program 01: 19 indicators, 3 of the resolution --------------------------------------------
P01 = [
    stock("CT01_PHAT_TRIEN_DANG", "Số đảng viên mới được kết nạp trong năm (phát triển Đảng)", "đảng viên", "450",
          program="01", in_resolution=True, estimates={"2020": "468", "2021": "452", "2022": "497"}, claim=P01_CLAIM,
          expect=EXCEEDED,
          definition="Số đảng viên mới kết nạp trong năm. Mức chỉ tiêu là mức phải đạt mỗi năm, nên được so với số "
                     "của năm gần nhất."),
    rate("CT01_DANG_VIEN_HTTNV", "Tỷ lệ đảng viên được xếp loại hoàn thành tốt nhiệm vụ trở lên", "90",
         program="01", in_resolution=True, estimates={"2021": "91.4", "2022": "92.7"}, claim=P01_CLAIM, expect=EXCEEDED),
    rate("CT01_TO_CHUC_DANG_HTTNV", "Tỷ lệ tổ chức cơ sở đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên", "90",
         program="01", in_resolution=True, estimates={"2021": "91.5", "2022": "93.6"}, claim=P01_CLAIM, expect=EXCEEDED),
    rate("CT01_TTHC_TRUOC_HAN", "Tỷ lệ hồ sơ thủ tục hành chính được trả trước hạn", "70",
         program="01", estimates={"2021": "74.2", "2022": "78.5"}, claim=P01_CLAIM, expect=EXCEEDED),
    rate("CT01_CHUYEN_NGHIEP", "Tỷ lệ cán bộ, công chức, viên chức, người lao động được công nhận chuyên nghiệp", "33",
         decimals=2, frequency=TERM_KIND, program="01", priority=1, expect=ON_TRACK,
         definition="Theo “Bộ tiêu chí đánh giá sự chuyên nghiệp của cán bộ, công chức, viên chức, người lao động quận "
                    "Long Biên”; tỷ lệ trên số lượt cam kết thực hiện."),
    _ward_spec("01", 1, "Tỷ lệ cán bộ, công chức phường đạt chuẩn theo quy định", "%", "95", AVERAGE, STOCK, EXCEEDED,
               PERCENT, 1),
    _illustrative_rate("01", 2, "Tỷ lệ tổ chức Mặt trận, đoàn thể chính trị - xã hội xếp loại vững mạnh", "90", "88",
                       "90", ACHIEVED),
    _illustrative_rate("01", 3, "Tỷ lệ nghị quyết, chỉ thị của cấp trên được quán triệt đúng thời hạn", "100", "95",
                       "97", ON_TRACK),
    _illustrative_rate("01", 4, "Tỷ lệ cán bộ, công chức, viên chức được đào tạo, bồi dưỡng trong năm", "90", "84",
                       "86.5", ON_TRACK),
    _illustrative_rate("01", 5, "Tỷ lệ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính", "95", "90.4",
                       "92.1", ON_TRACK),
    _illustrative_rate("01", 6, "Tỷ lệ văn bản trao đổi giữa các cơ quan dưới dạng điện tử", "95", "86", "90",
                       ON_TRACK),
    _illustrative_rate("01", 7, "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến toàn trình", "60", "32", "41",
                       AT_RISK),
    _illustrative_rate("01", 8, "Tỷ lệ đơn thư khiếu nại, tố cáo thuộc thẩm quyền được giải quyết", "98", "94.8",
                       "95.6", ON_TRACK),
    _illustrative_rate("01", 9, "Tỷ lệ cán bộ lãnh đạo, quản lý cấp quận có trình độ cao cấp lý luận chính trị", "90",
                       "82", "84", ON_TRACK),
    _illustrative_rate("01", 10, "Tỷ lệ chi bộ tổ dân phố sinh hoạt chuyên đề hằng quý", "100", "94", "96", ON_TRACK),
    _illustrative_flow("01", 11, "Số lớp bồi dưỡng lý luận chính trị cho đảng viên", "lớp", "60", ("9", "10", "12"),
                       ON_TRACK),
    _illustrative_flow("01", 12, "Số cuộc kiểm tra, giám sát chuyên đề của Ủy ban Kiểm tra Quận ủy", "cuộc", "120",
                       ("19", "18", "22"), ON_TRACK),
    _illustrative_flow("01", 13, "Số đề án, chuyên đề cụ thể hóa Chương trình 01-CTr/QU được ban hành", "đề án", "25",
                       ("3", "5", "5"), ON_TRACK),
    _illustrative_flow("01", 14, "Số cán bộ trẻ được luân chuyển, rèn luyện thực tiễn", "cán bộ", "50",
                       ("8", "9", "7"), ON_TRACK),
]

# --- Program 02: 32 indicators, 6 of the resolution ---------------------------------------------
P02 = [
    Spec("CT02_DTVM", "Số phường đạt chuẩn “Đô thị văn minh”", "phường", NUMBER, SUM, FLOW, TERM_KIND, program="02",
         in_resolution=True, target="10", expect=ON_TRACK,
         definition="Lũy kế trong nhiệm kỳ: phường được duy trì chuẩn và phường được công nhận mới."),
    rate("CT02_TDP_XSDVM", "Tỷ lệ tổ dân phố đạt tiêu chí “xanh - sạch - đẹp - văn minh”", "80", program="02",
         in_resolution=True, estimates={"2021": "76", "2022": "80"}, expect=ACHIEVED,
         claim="Tỷ lệ tổ dân phố xanh - sạch - đẹp - văn minh đạt chỉ tiêu đề ra."),
    rate("CT02_DO_LOP10", "Tỷ lệ học sinh lớp 9 đỗ vào lớp 10 trung học phổ thông công lập", "75",
         frequency=SCHOOL_YEAR, program="02", in_resolution=True, expect=EXCEEDED),
    rate("CT02_GDVH", "Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa”", "95", decimals=2, program="02",
         in_resolution=True, expect=ON_TRACK),
    rate("CT02_TDPVH", "Tỷ lệ tổ dân phố đạt danh hiệu “Tổ dân phố văn hóa”", "92", decimals=2, program="02",
         in_resolution=True, expect=ON_TRACK),
    rate("CT02_BHYT", "Tỷ lệ dân số tham gia bảo hiểm y tế", "95", program="02", in_resolution=True,
         estimates={"2021": "93.1", "2022": "95"}, expect=ACHIEVED,
         claim="Tỷ lệ bao phủ bảo hiểm y tế hằng năm đạt chỉ tiêu Đại hội đề ra…"),
    stock("CT02_PHUONG_CHUAN_Y_TE", "Số phường đạt chuẩn quốc gia về y tế", "phường", "14", program="02",
          expect=ACHIEVED),
    stock("CT02_HO_NGHEO", "Số hộ nghèo", "hộ", "0", program="02", lower_is_better=True, expect=ACHIEVED),
    _illustrative_rate("02", 1, "Tỷ lệ trường công lập đạt chuẩn quốc gia", "90", "90.8", "92.5", EXCEEDED),
    _illustrative_rate("02", 2, "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi", "8", "6.9", "6.4", EXCEEDED,
                       lower=True),
    _illustrative_rate("02", 3, "Tỷ lệ hộ dân được sử dụng nước sạch", "100", "99.6", "100", ACHIEVED),
    _illustrative_rate("02", 4, "Tỷ lệ người dân tập luyện thể dục thể thao thường xuyên", "40", "41", "42.5", EXCEEDED),
    _illustrative_rate("02", 5, "Tỷ lệ tổ dân phố có nhà văn hóa đạt chuẩn", "85", "85.5", "87", EXCEEDED),
    _illustrative_rate("02", 6, "Tỷ lệ dân số được lập hồ sơ sức khỏe điện tử", "90", "91", "94.2", EXCEEDED),
    _illustrative_rate("02", 7, "Tỷ lệ trẻ em được tiêm chủng đầy đủ", "98", "98.2", "98.6", EXCEEDED),
    _illustrative_rate("02", 8, "Tỷ lệ lao động qua đào tạo", "75", "75.6", "76.8", EXCEEDED),
    _illustrative_rate("02", 9, "Tỷ lệ hộ cận nghèo", "0.5", "0.32", "0.21", EXCEEDED, lower=True),
    _illustrative_rate("02", 10, "Tỷ lệ người cao tuổi được quản lý, chăm sóc sức khỏe ban đầu", "95", "96", "97",
                       EXCEEDED),
    _illustrative_rate("02", 11, "Tỷ lệ cơ sở thực phẩm được kiểm tra đạt điều kiện an toàn thực phẩm", "90", "92",
                       "93.4", EXCEEDED),
    _illustrative_rate("02", 12, "Tỷ lệ di tích được kiểm kê, lập hồ sơ", "100", "100", "100", ACHIEVED),
    _illustrative_rate("02", 13, "Tỷ lệ học sinh tiểu học được học 2 buổi/ngày", "100", "100", "100", ACHIEVED),
    _illustrative_rate("02", 14, "Tỷ lệ cơ quan, đơn vị đạt chuẩn văn hóa", "95", "96.1", "97.3", EXCEEDED),
    _illustrative_rate("02", 15, "Tỷ lệ trạm y tế phường có bác sĩ", "100", "100", "100", ACHIEVED),
    _illustrative_rate("02", 16, "Tỷ lệ người khuyết tật được trợ giúp xã hội", "100", "100", "100", ACHIEVED),
    _illustrative_rate("02", 17, "Tỷ lệ lực lượng lao động tham gia bảo hiểm xã hội", "45", "44.1", "46.2", EXCEEDED),
    _illustrative_flow("02", 18, "Số gia đình chính sách được hỗ trợ sửa chữa, cải thiện nhà ở", "gia đình", "40",
                       ("14", "15", "13"), EXCEEDED),
    stock("CT02_MH19", "Số câu lạc bộ văn hóa, văn nghệ, thể thao cơ sở" + MH, "câu lạc bộ", "300", program="02",
          illustrative=True, estimates={"2021": "305", "2022": "318"}, expect=EXCEEDED),
    _ward_spec("02", 20, "Số lao động được giải quyết việc làm", "người", "24000", SUM, FLOW, ON_TRACK),
    _illustrative_rate("02", 21, "Tỷ lệ trường học có phòng học thông minh", "70", "58", "64", ON_TRACK),
    _illustrative_rate("02", 22, "Tỷ lệ dân số được khám sàng lọc bệnh không lây nhiễm", "60", "51", "55", ON_TRACK),
    _illustrative_rate("02", 23, "Tỷ lệ tổ dân phố có điểm sinh hoạt cộng đồng", "95", "86", "88", ON_TRACK),
    _illustrative_rate("02", 24, "Tỷ lệ trẻ em mầm non học tại trường công lập", "60", "45", "47", AT_RISK),
]

# --- Program 03: 14 indicators, 1 of the resolution (assumed, see the module docstring) ---------
P03 = [
    rate("CT03_DU_AN_QUY_HOACH", "Tỷ lệ dự án đầu tư bảo đảm phù hợp với quy hoạch", "100", frequency=TERM_KIND,
         program="03", expect=ACHIEVED),
    Spec("CT03_VUON_HOA_MOI_HA", "Diện tích vườn hoa xây dựng mới", "ha", NUMBER, SUM, FLOW, TERM_KIND, program="03",
         decimals=2, expect=ON_TRACK),
    flow("CT03_NGO_NGACH", "Số tuyến đường, ngõ ngách được cải tạo, chỉnh trang, nâng cấp", "tuyến", "300",
         frequency=TERM_KIND, program="03", expect=EXCEEDED),
    flow("CT03_TRUONG_HOC", "Số trường học được cải tạo, sửa chữa", "trường", "60", frequency=TERM_KIND, program="03",
         expect=ON_TRACK),
    rate("CT03_RAC_THAI", "Tỷ lệ rác thải sinh hoạt được thu gom, vận chuyển trong ngày", "100", program="03",
         in_resolution=True, expect=ACHIEVED),
    _illustrative_rate("03", 1, "Tỷ lệ tuyến phố có tên được chiếu sáng đạt chuẩn", "100", "98", "100", ACHIEVED),
    _illustrative_rate("03", 2, "Tỷ lệ công trình xây dựng được cấp phép đúng quy định", "95", "96", "97.5", EXCEEDED),
    _illustrative_rate("03", 3, "Tỷ lệ hộ gia đình phân loại rác tại nguồn", "50", "46", "52", EXCEEDED),
    _illustrative_rate("03", 4, "Tỷ lệ vi phạm trật tự xây dựng được xử lý dứt điểm", "95", "95.2", "96.4", EXCEEDED),
    _illustrative_flow("03", 5, "Số điểm úng ngập cục bộ được xử lý", "điểm", "12", ("4", "5", "4"), EXCEEDED),
    _ward_spec("03", 6, "Số tuyến ngõ, khu dân cư được công nhận xanh - sạch - đẹp", "tuyến", "160", SUM, FLOW,
               ON_TRACK),
    _illustrative_flow("03", 7, "Chiều dài cống thoát nước được cải tạo, xây mới", "km", "30", ("4.2", "5.1", "5.6"),
                       ON_TRACK, decimals=1),
    _illustrative_rate("03", 8, "Tỷ lệ nước thải sinh hoạt được thu gom, xử lý", "60", "52", "55", ON_TRACK),
    _illustrative_rate("03", 9, "Tỷ lệ tuyến phố được hạ ngầm đường dây, cáp viễn thông", "80", "47", "52", AT_RISK),
]


def _ward_values(code: str, index: int) -> dict[str, str]:
    """Illustrative figures of the ``index``-th ward (0–13) for 2021 and 2022."""
    if code == "CT01_MH01":
        return {"2021": f"{94 + index % 4}", "2022": f"{95.5 + index % 4}"}
    if code == "CT02_MH20":
        return {"2021": f"{400 + 10 * (index % 7)}", "2022": f"{430 + 12 * (index % 5)}"}
    return {"2021": f"{2 + index % 3}", "2022": f"{3 + index % 2}"}  # CT03_MH06


WARD_LEVEL = ["CT01_MH01", "CT02_MH20", "CT03_MH06"]

def _kq2018(code: str, name: str, uom: str, responsible: str | None = None, time: str = FLOW, **kw: Any) -> Spec:
    return Spec(code, name, uom, NUMBER, SUM, time, YEAR, responsible=responsible, **kw)


def _kq(code: str, name: str, uom: str, frequency: str = TERM_KIND, time: str = FLOW, priority: int | None = None,
        responsible: str | None = None, **kw: Any) -> Spec:
    return Spec(code, name, uom, NUMBER, SUM, time, frequency, priority=priority, responsible=responsible,
                **kw)


PN = "b:Hội Liên hiệp Phụ nữ quận"
CCB = "b:Hội Cựu chiến binh quận"
MTTQ = "b:Ủy ban MTTQ Việt Nam quận"
LDLD = "b:Liên đoàn Lao động quận"
KDN = "b:Đảng bộ Khối doanh nghiệp quận"
QUAN_UY = "b:Quận ủy Long Biên"
QT = "Số quy trình nghiệp vụ được rà soát, chuẩn hóa – "
TRU_SO = " tại trụ sở cơ quan, đơn vị, doanh nghiệp, trường học"

# Figures that are results, not indicators of a program: the 2018 results (linked from
# the 2018 plans) and the results the 2020–2025 articles report besides the indicators.
RESULTS = [
    _kq2018("KQ2018_CHUYEN_DE", "Số chuyên đề cụ thể hóa Chương trình 01-CTr/QU tiếp tục thực hiện", "chuyên đề",
            QUAN_UY),
    _kq2018("KQ2018_CHUYEN_DE_MOI", "Số chuyên đề cụ thể hóa Chương trình 01-CTr/QU triển khai mới", "chuyên đề",
            QUAN_UY),
    _kq2018("KQ2018_HOI_NGHI", "Số hội nghị, tọa đàm cụ thể hóa Chương trình 01-CTr/QU", "hội nghị", QUAN_UY),
    _kq2018("KQ2018_QT_DANG_CAP_QUAN", QT + "khối Đảng, đoàn thể cấp quận", "quy trình", time=STOCK),
    _kq2018("KQ2018_QT_DANG_CAP_PHUONG", QT + "khối Đảng, đoàn thể cấp phường", "quy trình", time=STOCK),
    _kq2018("KQ2018_QT_CQ_CAP_QUAN", QT + "khối chính quyền cấp quận", "quy trình", time=STOCK),
    _kq2018("KQ2018_QT_CQ_CAP_PHUONG", QT + "khối chính quyền cấp phường", "quy trình", time=STOCK),
    _kq2018("KQ2018_KDN_CHUYEN_DE", "Số chuyên đề về công tác xây dựng đảng tại các tổ chức đảng trong doanh nghiệp",
            "chuyên đề", KDN),
    _kq2018("KQ2018_KDN_QUY_TRINH", "Số quy trình nội bộ của Đảng bộ Khối doanh nghiệp", "quy trình", KDN, STOCK),
    _kq2018("KQ2018_CHI_SO_CCHC", "Số phường áp dụng Bộ chỉ số cải cách hành chính", "phường", time=STOCK),
    _kq2018("KQ2018_LOP_BOI_DUONG", "Số lớp đào tạo, bồi dưỡng cán bộ, công chức, viên chức", "lớp"),
    _kq2018("KQ2018_HOC_VIEN", "Số học viên được đào tạo, bồi dưỡng", "học viên"),
    _kq2018("KQ2018_QUY_TAC_UNG_XU", "Số bộ quy tắc ứng xử của cán bộ, công chức được triển khai", "bộ", time=STOCK),
    _kq2018("KQ2018_CAT_TIA_CAY", "Số cây mất an toàn được cắt tỉa, xử lý", "cây"),
    _kq2018("KQ2018_TRONG_CAY_XANH", "Số cây xanh trồng mới", "cây"),
    _kq2018("KQ2018_TUYEN_PHO_XSD", "Số tuyến phố xanh - sạch - đẹp được xây dựng", "tuyến phố",
            definition="Gồm tuyến phố cấp quận và tuyến phố cấp phường."),
    _kq2018("KQ2018_TUYEN_PHO_CAP_QUAN", "Số tuyến phố xanh - sạch - đẹp cấp quận", "tuyến phố"),
    _kq2018("KQ2018_TUYEN_PHO_CAP_PHUONG", "Số tuyến phố xanh - sạch - đẹp cấp phường", "tuyến phố"),
    _kq2018("KQ2018_VUON_HOA_KHANH_THANH", "Số vườn hoa được khánh thành", "vườn hoa"),
    _kq2018("KQ2018_VUON_HOA_CHUAN_BI", "Số vườn hoa chuẩn bị khởi công", "vườn hoa", time=STOCK),
    _kq2018("KQ2018_CLB_MOI_TRUONG", "Số câu lạc bộ tình nguyện vì môi trường tại cơ sở", "câu lạc bộ", MTTQ, STOCK),
    _kq2018("KQ2018_HOI_VIEN_CLB", "Số hội viên tham gia câu lạc bộ tình nguyện vì môi trường", "hội viên", MTTQ,
            STOCK),
    _kq2018("KQ2018_PN_BUOI_TUYEN_TRUYEN", "Số buổi tuyên truyền xây dựng trật tự, văn minh đô thị của Hội Phụ nữ",
            "buổi", PN),
    _kq2018("KQ2018_PN_HOI_VIEN", "Số cán bộ, hội viên nòng cốt được tuyên truyền", "người", PN),
    _kq2018("KQ2018_PN_CHO", "Số chợ được Hội Phụ nữ giám sát vệ sinh môi trường", "chợ", PN),
    _kq2018("KQ2018_PN_CHAN_RAC", "Số điểm chân rác được biến thành vườn hoa, đường hoa, tường hoa, bồn hoa", "điểm",
            PN),
    _kq2018("KQ2018_CCB_CHI_HOI", "Số chi hội cựu chiến binh cơ sở được phân công giám sát, kiểm tra", "chi hội", CCB,
            STOCK),
    _kq2018("KQ2018_CCB_TRU_SO", "Số trụ sở nhà văn hóa tổ dân phố, trụ sở công an phường được Hội Cựu chiến binh "
            "giám sát, kiểm tra", "trụ sở", CCB),
    _kq2018("KQ2018_CCB_NHA_VAN_HOA", "Số nhà văn hóa được Hội Cựu chiến binh giám sát", "nhà văn hóa", CCB),
    _kq2018("KQ2018_NHA_VAN_HOA", "Tổng số nhà văn hóa", "nhà văn hóa", time=STOCK),
    _kq2018("KQ2018_LDLD_LUOT", "Số lượt giám sát, kiểm tra của Liên đoàn Lao động quận", "lượt", LDLD),
    _kq2018("KQ2018_CAY_BONG_MAT", "Số cây bóng mát trồng mới" + TRU_SO, "cây"),
    _kq2018("KQ2018_CAY_CANH", "Số cây cảnh trồng mới" + TRU_SO, "cây"),
    _kq2018("KQ2018_CAY_HOA", "Số cây hoa, thảm cỏ trồng mới" + TRU_SO, "cây"),
    _kq2018("KQ2018_PL_Y_KIEN_THAM_LUAN", "Số ý kiến tham luận tại hội nghị triển khai kế hoạch", "ý kiến",
            "p:Phúc Lợi"),
    _kq("KQ_KE_HOACH_CTR_THANH_UY", "Số kế hoạch thực hiện các chương trình công tác của Thành ủy", "kế hoạch",
        responsible=QUAN_UY),
    _kq("KQ_CTR_THANH_UY", "Số chương trình công tác của Thành ủy được cụ thể hóa bằng kế hoạch", "chương trình",
        responsible=QUAN_UY),
    _kq("KQ_KIEM_TRA_HIEN_TRUONG", "Số buổi kiểm tra hiện trường của lãnh đạo quận", "buổi", priority=1),
    _kq("KQ_TIEP_DAN", "Số buổi tiếp công dân của lãnh đạo quận", "buổi", priority=1),
    _kq("KQ_VU_VIEC", "Số vụ việc được lãnh đạo quận chỉ đạo xử lý, giải quyết", "vụ việc", priority=1),
    _kq("KQ_DTVM_DUY_TRI", "Số phường duy trì chuẩn “Đô thị văn minh”", "phường", time=STOCK),
    _kq("KQ_DTVM_CONG_NHAN_MOI", "Số phường được công nhận mới đạt chuẩn “Đô thị văn minh”", "phường"),
    Spec("KQ_LOP10_HON_TP", "Tỷ lệ đỗ lớp 10 công lập: cao hơn trung bình thành phố", "điểm %", NUMBER, NONE, STOCK,
         SCHOOL_YEAR, decimals=1, definition="Chênh lệch tính bằng điểm phần trăm giữa tỷ lệ của quận và trung bình "
                                             "thành phố (bài viết ghi “cao hơn … 22,3%”)."),
    Spec("KQ_LOP10_HON_KV", "Tỷ lệ đỗ lớp 10 công lập: cao hơn trung bình khu vực", "điểm %", NUMBER, NONE, STOCK,
         SCHOOL_YEAR, decimals=1, definition="Chênh lệch tính bằng điểm phần trăm giữa tỷ lệ của quận và trung bình "
                                             "khu vực."),
    _kq("KQ_VUON_HOA_MOI", "Số vườn hoa xây dựng mới", "vườn hoa", priority=2),
    Spec("KQ_TRU_CUU_HOA_HA", "Diện tích được lắp đặt trụ cứu hỏa", "ha", NUMBER, SUM, FLOW, TERM_KIND, priority=2),
    _kq("KQ_DI_TICH_HOAN_THANH", "Số dự án đầu tư tu bổ, tôn tạo di tích hoàn thành", "dự án", priority=2),
    _kq("KQ_DU_AN_CHUAN_BI", "Số dự án khác đang chuẩn bị đầu tư", "dự án", time=STOCK, priority=2,
        definition="Bài viết: “hoàn thành 8 dự án đầu tư tu bổ, tôn tạo di tích; chuẩn bị đầu tư 6 dự án khác”."),
    _kq("KQ_VUON_HOA_DUY_TU", "Số vườn hoa được duy tu, duy trì", "vườn hoa", time=STOCK, priority=2),
    _kq("KQ_CAM_KET_CHUYEN_NGHIEP", "Số lượt cán bộ, công chức, viên chức, người lao động cam kết thực hiện Bộ tiêu "
        "chí đánh giá sự chuyên nghiệp", "lượt", priority=1),
    _kq("KQ_THIET_KE_DO_THI", "Số tuyến đường được tổ chức lập thiết kế đô thị", "tuyến đường", priority=2),
    _kq("KQ_DU_AN_THOAT_NUOC", "Số dự án thoát nước lớn được Thành phố thông qua chủ trương đầu tư", "dự án",
        priority=2),
    _kq("KQ_DANG_VIEN", "Số đảng viên của Đảng bộ quận", "đảng viên", YEAR, STOCK, responsible=QUAN_UY),
    _kq("KQ_TO_CHUC_CO_SO_DANG", "Số tổ chức cơ sở đảng trực thuộc Đảng bộ quận", "tổ chức", YEAR, STOCK,
        responsible=QUAN_UY),
    _kq("KQ_KHAO_SAT_NEN_TANG_TU_TUONG", "Số phường được khảo sát vai trò của cấp ủy cơ sở trong bảo vệ nền tảng tư "
        "tưởng của Đảng", "phường", responsible=QUAN_UY),
    _kq("KQ_GIAM_SAT_TO_CHUC", "Số tổ chức đảng được giám sát thực hiện Kết luận 01-KL/TW, Nghị quyết Trung ương 4 "
        "(khóa XII), Quy định 08-QĐi/TW", "tổ chức", responsible=QUAN_UY),
    _kq("KQ_GIAM_SAT_CA_NHAN", "Số cá nhân được giám sát thực hiện Kết luận 01-KL/TW, Nghị quyết Trung ương 4 "
        "(khóa XII), Quy định 08-QĐi/TW", "cá nhân", responsible=QUAN_UY),
    _kq("KQ_KHEN_THUONG_TAP_THE", "Số tập thể được khen thưởng về thực hiện thí điểm mô hình chính quyền đô thị",
        "tập thể", YEAR),
    _kq("KQ_KHEN_THUONG_CA_NHAN", "Số cá nhân được khen thưởng về thực hiện thí điểm mô hình chính quyền đô thị",
        "cá nhân", YEAR),
]

# A ratio computed from two stored figures ("giám sát 121/212 nhà văn hóa"); it has no figure of its own.
RATIO = ("KQ2018_TL_NHA_VAN_HOA_GIAM_SAT", "Tỷ lệ nhà văn hóa được Hội Cựu chiến binh giám sát",
         "KQ2018_CCB_NHA_VAN_HOA", "KQ2018_NHA_VAN_HOA")

ALL_SPECS = [*P01, *P02, *P03, *RESULTS]


# --- Finding the units ---------------------------------------------------------------------------

def unit_names() -> dict[str, str]:
    """The key of each unit the demo data use, with its name in 2018."""
    names = {"hanoi": "Thành phố Hà Nội", "quan": "Quận Long Biên"}
    names.update({f"p:{name}": f"Phường {name}" for name, _ in longbien.OLD_WARDS})
    names.update({f"b:{name}": name for _, name in longbien.DISTRICT_BODIES})
    names.update({"dangbo:Phúc Lợi": "Đảng bộ phường Phúc Lợi", "mttq:Phúc Lợi": "Ủy ban MTTQ Việt Nam phường Phúc Lợi"})
    names.update({f"tdp:{n}": f"Tổ dân phố số {n}" for n in range(1, 15)})
    return names


def find_units() -> dict[str, OrgUnit]:
    """The demo units by key, found by their names on 1/1/2018 (for a run after the tree was built)."""
    names = unit_names()
    by_name = {
        v.name: v.unit
        for v in UnitVersion.objects.filter(valid_on_q(dt.date(2018, 1, 1)), name__in=names.values()).select_related("unit")
    }
    return {key: by_name[name] for key, name in names.items() if name in by_name}


def is_loaded() -> bool:
    return Resolution.objects.filter(title=RESOLUTION_TITLE).exists()


# --- Building ------------------------------------------------------------------------------------

def build(units: dict[str, OrgUnit]) -> None:
    """Create the resolutions, programs, boards, themes, plans, indicators, targets and figures.

    Call once, on a database that has the Long Biên tree and not yet the resolution.
    """
    sources = _sources()
    programs, priorities = _resolution(units)
    previous = _previous_term(units)
    _boards(programs)
    indicators = _indicators(programs, priorities, units)
    _themes_and_plans(units, previous, indicators)
    _figures(units, sources, indicators)
    _targets(units, sources, indicators, programs)
    _estimates(units, sources["estimate"], indicators)


def _sources() -> dict[str, Source]:
    sources = {
        seed: Source.objects.create(
            kind=Source.Kind.ARTICLE, title=a.title, publisher=a.publisher, published_on=a.published_on
        )
        for seed, a in ARTICLES.items()
    }
    sources["estimate"] = Source.objects.create(kind=Source.Kind.ESTIMATE, title=ESTIMATE_TITLE)
    return sources


def _resolution(units: dict[str, OrgUnit]) -> tuple[dict[str, Program], dict[int, Priority]]:
    resolution = Resolution.objects.create(
        title=RESOLUTION_TITLE,
        issuer=units[QUAN_UY],
        congress_number=4,
        term_start=2020,
        term_end=2025,
        summary=(
            "Cụ thể hóa bằng 3 chương trình công tác trọng tâm toàn khóa (01, 02, 03-CTr/QU), mỗi chương trình có một "
            "Ban Chủ nhiệm; hai khâu đột phá. Theo bài “Nửa đầu nhiệm kỳ 2020-2025, quận Long Biên thực hiện Nghị quyết "
            "Đại hội…” (Báo Hànộimới, 18/4/2023). Ngày thông qua không có trong nguồn."
        ),
    )
    priorities = {
        number: Priority.objects.create(resolution=resolution, number=number, title=title)
        for number, title in enumerate(PRIORITIES, start=1)
    }
    programs = {
        number[:2]: Program.objects.create(
            resolution=resolution, number=number, title=title, lead_unit=units[QUAN_UY],
            priority=priorities[priority] if priority else None, order=order,
        )
        for order, (number, title, priority) in enumerate(PROGRAMS, start=1)
    }
    return programs, priorities


def _previous_term(units: dict[str, OrgUnit]) -> dict[str, Program]:
    """The 2015–2020 programs that the 2018 themes were carried out with (seed 000)."""
    resolution = Resolution.objects.create(
        title=PREVIOUS_TITLE,
        issuer=units[QUAN_UY],
        congress_number=3,
        term_start=2015,
        term_end=2020,
        summary=(
            "Chỉ ghi để gắn các chủ đề công tác năm 2018 với “3 Chương trình công tác toàn khóa của quận” mà bài ngày "
            "4/12/2018 nêu. Số Đại hội và nhiệm kỳ suy ra từ Đại hội lần thứ IV (2020-2025); nội dung Nghị quyết và tên "
            "đầy đủ các chương trình không có trong nguồn."
        ),
    )
    themes = {
        "01": "gắn với chủ đề năm 2018 “Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị”",
        "02": "gắn với chủ đề năm 2018 “Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị”",
        "03": "gắn với chủ đề năm 2018 “Vì một Long Biên xanh - sạch - đẹp”",
    }
    return {
        key: Program.objects.create(
            resolution=resolution, number=f"{key}-CTr/QU", lead_unit=units[QUAN_UY], order=int(key),
            title=f"Chương trình công tác toàn khóa số {key}-CTr/QU nhiệm kỳ 2015-2020 (tên đầy đủ không có trong "
                  f"nguồn; {text})",
        )
        for key, text in themes.items()
    }


def _boards(programs: dict[str, Program]) -> None:
    BoardMember.objects.bulk_create(
        BoardMember(program=programs[number[:2]], full_name=name, position=position, role=role, order=order)
        for number, members in BOARDS.items()
        for order, (name, position, role) in enumerate(members, start=1)
    )


def _indicators(
    programs: dict[str, Program], priorities: dict[int, Priority], units: dict[str, OrgUnit]
) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for order, spec in enumerate(ALL_SPECS, start=1):
        indicators[spec.code] = Indicator.objects.create(
            code=spec.code,
            name=spec.name,
            unit_of_measure=spec.unit_of_measure,
            definition=spec.definition,
            value_type=spec.value_type,
            unit_aggregation=spec.unit_aggregation,
            time_aggregation=spec.time_aggregation,
            direction=Indicator.Direction.LOWER if spec.lower_is_better else Indicator.Direction.HIGHER,
            frequency=spec.frequency,
            in_resolution=spec.in_resolution,
            program=programs[spec.program] if spec.program else None,
            priority=priorities[spec.priority] if spec.priority else None,
            responsible_unit=units[spec.responsible] if spec.responsible else None,
            illustrative=spec.illustrative,
            decimals=spec.decimals,
            order=order,
        )
    code, name, numerator, denominator = RATIO
    indicators[code] = Indicator.objects.create(
        code=code, name=name, unit_of_measure="%", value_type=PERCENT,
        unit_aggregation=Indicator.UnitAggregation.RATIO_OF_SUMS, numerator=indicators[numerator],
        denominator=indicators[denominator], decimals=2, order=len(ALL_SPECS) + 1,
        definition="Tính từ hai số liệu “121/212” của bài viết ngày 4/12/2018; không nhập trực tiếp.",
    )
    return indicators


# (kind, title, responsible unit key or None for the plan's unit, indicator code or None)
Item = tuple[str, str, str | None, str | None]
TASK, MODEL = PlanItem.Kind.TASK, PlanItem.Kind.MODEL

DISTRICT_SYSTEM_ITEMS: list[Item] = [
    (TASK, "Kiện toàn nhân sự chủ chốt từ quận tới cơ sở; rà soát phân công nhiệm vụ, quy chế làm việc", QUAN_UY, None),
    (TASK, "Tiếp tục thực hiện các chuyên đề cụ thể hóa Chương trình 01-CTr/QU", QUAN_UY, "KQ2018_CHUYEN_DE"),
    (TASK, "Triển khai mới chuyên đề cụ thể hóa Chương trình 01-CTr/QU", QUAN_UY, "KQ2018_CHUYEN_DE_MOI"),
    (TASK, "Hội nghị, tọa đàm cụ thể hóa Chương trình 01-CTr/QU", QUAN_UY, "KQ2018_HOI_NGHI"),
    (TASK, "Rà soát, chuẩn hóa quy trình nghiệp vụ khối Đảng, đoàn thể cấp quận", None, "KQ2018_QT_DANG_CAP_QUAN"),
    (TASK, "Rà soát, chuẩn hóa quy trình nghiệp vụ khối Đảng, đoàn thể cấp phường", None, "KQ2018_QT_DANG_CAP_PHUONG"),
    (TASK, "Rà soát, chuẩn hóa quy trình nghiệp vụ khối chính quyền cấp quận", None, "KQ2018_QT_CQ_CAP_QUAN"),
    (TASK, "Rà soát, chuẩn hóa quy trình nghiệp vụ khối chính quyền cấp phường", None, "KQ2018_QT_CQ_CAP_PHUONG"),
    (TASK, "Hệ thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015 đồng bộ từ quận đến phường", None, None),
    (TASK, "Chuyên đề về công tác xây dựng đảng tại các tổ chức đảng trong doanh nghiệp", KDN, "KQ2018_KDN_CHUYEN_DE"),
    (TASK, "Bộ quy chế mẫu và quy trình nội bộ của Đảng bộ khối doanh nghiệp", KDN, "KQ2018_KDN_QUY_TRINH"),
    (MODEL, "Mô hình “Bộ phận tiếp nhận và trả kết quả TTHC thân thiện, gần dân”", None, None),
    (MODEL, "Mô hình “Đổi mới, nâng cao chất lượng công tác tiếp dân, giải quyết đơn thư”", None, None),
    (MODEL, "Mô hình “Cơ quan điện tử cấp quận”", None, None),
    (MODEL, "Mô hình “Cơ quan điện tử cấp phường”", None, None),
    (MODEL, "Mô hình “Trường học điện tử”", None, None),
    (TASK, "Bộ chỉ số cải cách hành chính của UBND quận và các phường", None, "KQ2018_CHI_SO_CCHC"),
    (TASK, "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức: số lớp", None, "KQ2018_LOP_BOI_DUONG"),
    (TASK, "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức: số học viên", None, "KQ2018_HOC_VIEN"),
    (TASK, "Triển khai các bộ quy tắc ứng xử của cán bộ, công chức do Thành phố ban hành", None,
     "KQ2018_QUY_TAC_UNG_XU"),
    (TASK, "Khảo sát, xây dựng Đề án sắp xếp tổ chức bộ máy, cán bộ không chuyên trách phường, tổ dân phố", None, None),
]

DISTRICT_GREEN_ITEMS: list[Item] = [
    (TASK, "Cắt tỉa, xử lý cây mất an toàn", None, "KQ2018_CAT_TIA_CAY"),
    (TASK, "Trồng bổ sung, thay thế cây xanh", None, "KQ2018_TRONG_CAY_XANH"),
    (MODEL, "Tuyến phố xanh - sạch - đẹp", None, "KQ2018_TUYEN_PHO_XSD"),
    (MODEL, "Tuyến phố xanh - sạch - đẹp cấp quận", None, "KQ2018_TUYEN_PHO_CAP_QUAN"),
    (MODEL, "Tuyến phố xanh - sạch - đẹp cấp phường", None, "KQ2018_TUYEN_PHO_CAP_PHUONG"),
    (TASK, "Đầu tư xây dựng công viên, vườn hoa: khánh thành", None, "KQ2018_VUON_HOA_KHANH_THANH"),
    (TASK, "Đầu tư xây dựng công viên, vườn hoa: chuẩn bị khởi công", None, "KQ2018_VUON_HOA_CHUAN_BI"),
    (MODEL, "Mô hình hoạt động tình nguyện vì môi trường tại cơ sở (câu lạc bộ)", MTTQ, "KQ2018_CLB_MOI_TRUONG"),
    (MODEL, "Câu lạc bộ tình nguyện vì môi trường: hội viên tham gia", MTTQ, "KQ2018_HOI_VIEN_CLB"),
    (MODEL, "Phong trào xây dựng tổ dân phố xanh, sạch, đẹp", MTTQ, None),
    (MODEL, "Mô hình “Gia đình tình nguyện, cộng đồng tình nguyện”", PN, None),
    (MODEL, "Mô hình hạn chế sử dụng túi ni lông", PN, None),
    (TASK, "Tuyên truyền cán bộ, hội viên nòng cốt xây dựng trật tự và văn minh đô thị: số buổi", PN,
     "KQ2018_PN_BUOI_TUYEN_TRUYEN"),
    (TASK, "Tuyên truyền cán bộ, hội viên nòng cốt xây dựng trật tự và văn minh đô thị: số người", PN,
     "KQ2018_PN_HOI_VIEN"),
    (TASK, "Giám sát công tác vệ sinh môi trường tại các chợ", PN, "KQ2018_PN_CHO"),
    (TASK, "Biến điểm chân rác thành vườn hoa, đường hoa, tường hoa, bồn hoa", PN, "KQ2018_PN_CHAN_RAC"),
    (TASK, "Hội thi tuyên truyền “Chúng em xây dựng quận Long Biên xanh - sạch - đẹp”",
     "b:Đoàn Thanh niên Cộng sản Hồ Chí Minh quận", None),
    (TASK, "Phân công chi hội cơ sở giám sát, kiểm tra", CCB, "KQ2018_CCB_CHI_HOI"),
    (TASK, "Giám sát, kiểm tra trụ sở nhà văn hóa tổ dân phố, trụ sở công an phường", CCB, "KQ2018_CCB_TRU_SO"),
    (TASK, "Giám sát nhà văn hóa: số nhà văn hóa được giám sát", CCB, "KQ2018_CCB_NHA_VAN_HOA"),
    (TASK, "Giám sát nhà văn hóa: tỷ lệ trên tổng số nhà văn hóa", CCB, "KQ2018_TL_NHA_VAN_HOA_GIAM_SAT"),
    (TASK, "Giám sát, kiểm tra trụ sở phường, trung tâm văn hóa thể thao phường, cơ quan trên các tuyến phố có tên",
     LDLD, "KQ2018_LDLD_LUOT"),
    (TASK, "Phong trào thi đua “Xây dựng trụ sở cơ quan, đơn vị, doanh nghiệp, trường học xanh, sạch, đẹp”: cây bóng mát",
     None, "KQ2018_CAY_BONG_MAT"),
    (TASK, "Phong trào thi đua “Xây dựng trụ sở cơ quan, đơn vị, doanh nghiệp, trường học xanh, sạch, đẹp”: cây cảnh",
     None, "KQ2018_CAY_CANH"),
    (TASK, "Phong trào thi đua “Xây dựng trụ sở cơ quan, đơn vị, doanh nghiệp, trường học xanh, sạch, đẹp”: cây hoa, "
     "thảm cỏ", None, "KQ2018_CAY_HOA"),
]

PHUC_LOI_SYSTEM_ITEMS: list[Item] = [
    (TASK, "Hội nghị triển khai kế hoạch (06/3/2018): ý kiến tham luận", "p:Phúc Lợi", "KQ2018_PL_Y_KIEN_THAM_LUAN"),
    (TASK, "Nâng cao chất lượng, hiệu quả chỉ đạo, điều hành của đội ngũ lãnh đạo, vai trò của người đứng đầu", None,
     None),
    (TASK, "Nâng cao năng lực, chất lượng đội ngũ cán bộ, công chức, viên chức, người lao động trong thực thi công vụ",
     "p:Phúc Lợi", None),
    (TASK, "Kiểm tra, giám sát thực thi công vụ; quy tắc ứng xử theo Quyết định 522/QĐ-UBND và 1665/QĐ-UBND của Thành "
     "phố", None, None),
]

PHUC_LOI_GREEN_ITEMS: list[Item] = [
    (MODEL, "Tuyến đường hoa Phúc Lợi", None, None),
    (MODEL, "Các tuyến phố xanh - sạch - đẹp tại các tuyến phố có tên", None, None),
    (MODEL, "Trụ sở cơ quan xanh - sạch - đẹp (cơ quan Đảng ủy, UBND phường)", None, None),
    (MODEL, "Mô hình cơ quan đơn vị xanh - sạch - đẹp", None, None),
    (MODEL, "Mô hình trường học xanh - sạch - đẹp (Trường THPT Phúc Lợi)", None, None),
    (MODEL, "Mô hình chợ văn minh - sạch - đẹp", None, None),
    (MODEL, "Mô hình tuyến ngõ, khu dân cư xanh - sạch - đẹp (TDP 13)", "tdp:13", None),
    (TASK, "Tổng vệ sinh vào thứ 7 hằng tuần và các ngày Lễ lớn của dân tộc", "mttq:Phúc Lợi", None),
]

SYSTEM_THEME = "Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị"
GREEN_THEME = "Vì một Long Biên xanh - sạch - đẹp"


def _themes_and_plans(units: dict[str, OrgUnit], previous: dict[str, Program], indicators: dict[str, Indicator]) -> None:
    system = Theme.objects.create(year=2018, title=SYSTEM_THEME, issuer=units["hanoi"])
    system.programs.set([previous["01"], previous["02"]])
    green = Theme.objects.create(year=2018, title=GREEN_THEME, issuer=units["quan"])
    green.programs.set([previous["03"]])
    plans = [
        (f"Kế hoạch thực hiện chủ đề “{SYSTEM_THEME}” năm 2018", units["quan"], system, DISTRICT_SYSTEM_ITEMS),
        (f"Kế hoạch thực hiện chủ đề “{GREEN_THEME}” năm 2018", units["quan"], green, DISTRICT_GREEN_ITEMS),
        # Seed 004: the ward's Party committee presented the first plan, the chair of the ward's People's
        # Committee the second.
        (f"Kế hoạch “{SYSTEM_THEME}” năm 2018 của phường Phúc Lợi", units["dangbo:Phúc Lợi"], system,
         PHUC_LOI_SYSTEM_ITEMS),
        (f"Kế hoạch thực hiện chủ đề “{GREEN_THEME}” năm 2018 của phường Phúc Lợi", units["p:Phúc Lợi"], green,
         PHUC_LOI_GREEN_ITEMS),
    ]
    items = []
    for title, unit, theme, rows in plans:
        plan = Plan.objects.create(title=title, unit=unit, year=2018, theme=theme)
        items += [
            PlanItem(plan=plan, kind=kind, title=text, responsible_unit=units[key] if key else unit,
                     indicator=indicators[code] if code else None, order=order)
            for order, (kind, text, key, code) in enumerate(rows, start=1)
        ]
    PlanItem.objects.bulk_create(items)


def _figures(units: dict[str, OrgUnit], sources: dict[str, Source], indicators: dict[str, Indicator]) -> None:
    """The articles' figures (and the derived ones), approved, with the article as source."""
    for figure in SEED_FIGURES:
        if figure.stored_as != "value":
            continue
        services.record_value(
            None, indicator=indicators[figure.indicator], unit=units[figure.unit], period=periods.parse(figure.period),
            value=figure.value, source=sources[figure.seed], note=figure.note, state=APPROVED,
            measured_on=figure.measured_on,
        )
    for derived in DERIVED:
        if derived.stored_as != "value":
            continue
        services.record_value(
            None, indicator=indicators[derived.indicator], unit=units[derived.unit],
            period=periods.parse(derived.period), value=derived.value, source=sources[derived.seed],
            note=f"Suy ra từ bài viết: {derived.how}.", state=APPROVED, measured_on=derived.measured_on,
        )


def _clause(spec: Spec, programs: dict[str, Program]) -> str:
    program = f"Chương trình {programs[spec.program or ''].number} của Quận ủy Long Biên"
    return f"{RESOLUTION_TITLE}; {program}" if spec.in_resolution else program


def _targets(
    units: dict[str, OrgUnit], sources: dict[str, Source], indicators: dict[str, Indicator],
    programs: dict[str, Program],
) -> None:
    district = units["quan"]
    for spec in (*P01, *P02, *P03):
        if spec.target is None:
            continue
        services.set_target(
            None, indicator=indicators[spec.code], unit=district, period=TERM, value=spec.target,
            clause=_clause(spec, programs), source=sources["estimate"], note=TARGET_NOTE,
        )
    for derived in DERIVED:
        if derived.stored_as != "target":
            continue
        spec = next(s for s in P03 if s.code == derived.indicator)
        services.set_target(
            None, indicator=indicators[derived.indicator], unit=units[derived.unit],
            period=periods.parse(derived.period), value=derived.value,
            clause=f"{_clause(spec, programs)}: {derived.how}", source=sources[derived.seed],
            note="Mức chỉ tiêu suy ra từ bài viết ngày 18/4/2023.",
        )


def _estimates(units: dict[str, OrgUnit], estimate: Source, indicators: dict[str, Indicator]) -> None:
    """Illustrative figures: of the indicators the articles only count or name without a figure."""
    record = services.record_value
    for spec in (*P01, *P02, *P03):
        note = f"Số liệu minh họa. Bài viết ngày 18/4/2023 chỉ nêu: “{spec.claim}”" if spec.claim else ILLUSTRATIVE_NOTE
        for code, value in spec.estimates.items():
            record(None, indicator=indicators[spec.code], unit=units["quan"], period=periods.parse(code), value=value,
                   source=estimate, note=note, state=APPROVED)
    wards = [units[f"p:{name}"] for name, _ in longbien.OLD_WARDS]
    for code in WARD_LEVEL:
        for index, ward in enumerate(wards):
            for period_code, value in _ward_values(code, index).items():
                record(None, indicator=indicators[code], unit=ward, period=periods.parse(period_code), value=value,
                       source=estimate, note=ILLUSTRATIVE_NOTE, state=APPROVED)

