"""Periodic reporting in the Long Biên demo: the wards' quarterly progress report.

Seed 002 says the district "kiểm soát tốt tiến độ thực hiện hàng quý"; seed 001 that each
program's steering board "thường xuyên giao ban, rà soát, đánh giá, kiểm tra, đôn đốc".
This module builds that quarterly control as the reporting app holds it:

- the data set "Báo cáo tiến độ thực hiện Nghị quyết hằng quý" (``TD_QUY``): twelve
  quarterly indicators that a ward reports, taken from what the articles name at ward
  level (households and "Gia đình văn hóa", "Tổ dân phố văn hóa", green-clean residential
  groups, social support, administrative procedures on time and online, party
  admissions, budget collection against the estimate), and the rules between them;
- two schedules: the old wards reporting to Quận Long Biên (quý I/2024 – quý II/2025;
  14 wards, 13 once Sài Đồng was dissolved on 1/12/2024) and, after the two-tier reform
  of 1/7/2025, the four new wards covering the old district reporting to Thành phố Hà
  Nội (from quý III/2025, still in force);
- a round for every quarter up to quý III/2026, the current one on 21/11/2026. A round
  opens 10 days before the quarter ends and is due on the 10th day after it (quý
  III/2024: 20/9 – 10/10/2024). Quý IV/2026 opens on 21/12/2026, after the demo's
  "today", so it is left to ``open_scheduled_rounds``;
- every submission through ``reporting.services`` (saved, sent, returned, approved by
  the demo accounts), so the figures, their versions and the audit trail are real.

The story the rounds tell (``LATE``, ``UNSENT``, ``CORRECTIONS``, ``CURRENT_ROUND``):
most reports on time and approved; quý IV/2024 is the round of "12/14 phường đã nộp,
10 đúng hạn" (Sài Đồng, dissolved on 1/12/2024, and Thạch Bàn never sent; Cự Khối and
Ngọc Thụy sent late); Giang Biên (quý III/2024) and the new Bồ Đề (quý I/2026) had a
figure returned and sent a corrected version; in the current round quý III/2026 (due
10/10/2026) Long Biên and Bồ Đề are approved, Việt Hưng sent late and waits for review,
Phúc Lợi has only begun its draft.

Assumptions (none of these figures is in the articles):

- Every series is illustrative, drawn from ``random.Random`` with a fixed seed around
  household counts derived from population (about 3,2 people a household; the new
  wards' populations are those of shared/REORG-2025.md). The indicators say so
  (``illustrative``, "(minh họa)") and their figures cite the source "Số liệu minh họa
  – không có trong nguồn". The one exception is the number of residential groups:
  Phúc Lợi's 14 are in seed 004 and the district's 294 (2018) on the district's site;
  how the other 280 split among the other wards is invented.
- Sài Đồng's households and residential groups go to Phúc Lợi and Phúc Đồng in quý
  IV/2024 by the population shares of the dissolution (73% and 27%; that the larger
  part went to Phúc Lợi is the tree's assumption, see ``longbien``).
- The new wards' first budget estimate covers the second half of 2025 only.
- The district office reviewed the old wards' quý II/2025 reports in early July 2025,
  after the district was abolished, to close its last round.

The services stamp what they do with the real clock; ``_at`` moves those stamps to the
day the story says it happened (see there). The audit rows keep the real time: they
record when ``load_demo`` wrote the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Max

from tiendo.demo import longbien, users
from tiendo.demo.plans_data import ESTIMATE_TITLE
from tiendo.indicators.models import DataValue, Indicator, Source
from tiendo.lib import periods
from tiendo.lib.periods import Period, PeriodKind
from tiendo.lib.vn import format_number
from tiendo.orgs.models import OrgUnit
from tiendo.reporting import checks, schedules, services
from tiendo.reporting.models import (
    DataSet,
    DataSetIndicator,
    Notification,
    ReturnedValue,
    Round,
    Schedule,
    Submission,
    SubmissionVersion,
    ValidationRule,
)

DATA_SET_CODE = "TD_QUY"
DATA_SET_NAME = "Báo cáo tiến độ thực hiện Nghị quyết hằng quý"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 20251121
DEMO_TODAY = dt.date(2026, 11, 21)  # the day the demo's story stops; the data never read the clock
OPEN_DAYS_BEFORE_END = 10  # opens on the 10th day before the quarter's last day
DUE_DAYS_AFTER_END = 10  # due on the 10th day after it
OLD_PERIODS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
NEW_PERIODS = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
CURRENT_ROUND = "2026-Q3"
NEW_WARDS = ["Long Biên", "Bồ Đề", "Việt Hưng", "Phúc Lợi"]

MH = " (minh họa)"
STOCK, FLOW = Indicator.TimeAggregation.STOCK, Indicator.TimeAggregation.FLOW
S_CULTURE = "I. Dân cư và đời sống văn hóa"
S_WELFARE = "II. An sinh xã hội"
S_PROCEDURES = "III. Cải cách hành chính"
S_PARTY = "IV. Xây dựng Đảng"
S_BUDGET = "V. Ngân sách"


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    unit_of_measure: str
    time_aggregation: str
    section: str
    definition: str
    how_to_count: str
    illustrative: bool = True


SPECS = [
    Spec(
        "TONG_HO", "Tổng số hộ gia đình trên địa bàn" + MH, "hộ", STOCK, S_CULTURE,
        "Số hộ gia đình đang sinh sống trên địa bàn phường tại ngày cuối quý. Là mẫu số của tỷ lệ “Gia đình văn "
        "hóa” mà Chương trình 02-CTr/QU theo dõi (bài ngày 18/4/2023: tỷ lệ hằng năm đạt 93,18%).",
        "Theo dữ liệu dân cư của Công an phường tại ngày cuối quý. Số tại một thời điểm: số của năm là số của quý "
        "gần nhất, không cộng các quý.",
    ),
    Spec(
        "GD_VANHOA", "Số hộ đạt danh hiệu “Gia đình văn hóa”" + MH, "hộ", STOCK, S_CULTURE,
        "Số hộ gia đình có danh hiệu “Gia đình văn hóa” còn hiệu lực tại ngày cuối quý; tử số của tỷ lệ “Gia đình "
        "văn hóa” của Chương trình 02-CTr/QU (bài ngày 18/4/2023: hằng năm đạt 93,18%).",
        "Theo quyết định công nhận của UBND phường. Danh hiệu được bình xét mỗi năm một lần nên số thường chỉ đổi ở "
        "báo cáo quý IV. Không lớn hơn tổng số hộ.",
    ),
    Spec(
        "TONG_TDP", "Số tổ dân phố", "tổ", STOCK, S_CULTURE,
        "Số tổ dân phố của phường tại ngày cuối quý. Căn cứ: phường Phúc Lợi có 14 tổ dân phố (bài ngày 7/3/2018); "
        "năm 2018 cả quận có 294 tổ dân phố (trang thông tin điện tử quận Long Biên). Số của từng phường khác là "
        "minh họa.",
        "Theo các quyết định thành lập, sáp nhập tổ dân phố còn hiệu lực tại ngày cuối quý.",
        illustrative=False,
    ),
    Spec(
        "TDP_VANHOA", "Số tổ dân phố đạt danh hiệu “Tổ dân phố văn hóa”" + MH, "tổ", STOCK, S_CULTURE,
        "Số tổ dân phố có danh hiệu “Tổ dân phố văn hóa” còn hiệu lực tại ngày cuối quý; tử số của tỷ lệ “Tổ dân "
        "phố văn hóa” của Chương trình 02-CTr/QU (bài ngày 18/4/2023: hằng năm đạt 90,28%).",
        "Theo quyết định công nhận hằng năm của UBND phường; số thường chỉ đổi ở báo cáo quý IV. Không lớn hơn số "
        "tổ dân phố.",
    ),
    Spec(
        "TDP_XSDVM", "Số tổ dân phố đạt tiêu chí “xanh - sạch - đẹp - văn minh”" + MH, "tổ", STOCK, S_CULTURE,
        "Số tổ dân phố được đánh giá đạt tiêu chí “xanh - sạch - đẹp - văn minh” tại ngày cuối quý (bài ngày "
        "18/4/2023: tỷ lệ đạt chỉ tiêu đề ra; bài ngày 4/12/2018: phong trào xây dựng tổ dân phố xanh, sạch, đẹp).",
        "Theo kết quả chấm điểm của Ban Chỉ đạo phường, 6 tháng một lần (quý II và quý IV); các quý khác giữ số của "
        "lần chấm gần nhất. Không lớn hơn số tổ dân phố.",
    ),
    Spec(
        "HO_HO_TRO", "Số hộ được hỗ trợ, thăm hỏi, tặng quà trong quý" + MH, "hộ", FLOW, S_WELFARE,
        "Số hộ gia đình chính sách, hộ cận nghèo, hộ có hoàn cảnh khó khăn được hỗ trợ bằng tiền hoặc hiện vật "
        "trong quý (bài ngày 18/4/2023: triển khai đồng bộ các giải pháp, mô hình giảm nghèo; bài ngày 18/5/2022: "
        "bảo đảm an sinh xã hội).",
        "Mỗi hộ đếm một lần trong quý dù được hỗ trợ nhiều lần. Cộng dồn theo thời gian: số của năm là tổng các "
        "quý. Quý I thường cao hơn vì có quà Tết Nguyên đán.",
    ),
    Spec(
        "HS_TIEP_NHAN", "Số hồ sơ thủ tục hành chính tiếp nhận trong quý" + MH, "hồ sơ", FLOW, S_PROCEDURES,
        "Số hồ sơ thủ tục hành chính Bộ phận tiếp nhận và trả kết quả của phường tiếp nhận trong quý, trực tiếp và "
        "trực tuyến (bài ngày 4/12/2018: mô hình “Bộ phận tiếp nhận và trả kết quả TTHC thân thiện, gần dân”).",
        "Theo Hệ thống thông tin giải quyết thủ tục hành chính của Thành phố, từ ngày đầu đến ngày cuối quý.",
    ),
    Spec(
        "HS_DUNG_HAN", "Số hồ sơ tiếp nhận trong quý được giải quyết đúng hạn, trước hạn" + MH, "hồ sơ", FLOW,
        S_PROCEDURES,
        "Trong số hồ sơ tiếp nhận trong quý, số hồ sơ đã trả kết quả đúng hạn hoặc trước hạn (bài ngày 18/4/2023: "
        "tỷ lệ hồ sơ thủ tục hành chính trả trước hạn đạt và vượt kế hoạch, Chương trình 01-CTr/QU).",
        "Tính đến ngày cuối quý; hồ sơ chưa đến hạn trả không tính. Không lớn hơn số hồ sơ tiếp nhận trong quý.",
    ),
    Spec(
        "HS_TRUC_TUYEN", "Số hồ sơ tiếp nhận trực tuyến trong quý" + MH, "hồ sơ", FLOW, S_PROCEDURES,
        "Số hồ sơ thủ tục hành chính nộp qua Cổng dịch vụ công trong quý (bài ngày 4/12/2018: mô hình “Cơ quan "
        "điện tử cấp phường”; bài ngày 5/8/2022: ứng dụng công nghệ thông tin, xây dựng chính quyền số).",
        "Theo Cổng dịch vụ công, từ ngày đầu đến ngày cuối quý. Không lớn hơn số hồ sơ tiếp nhận trong quý.",
    ),
    Spec(
        "DV_KET_NAP", "Số đảng viên mới được kết nạp trong quý" + MH, "đảng viên", FLOW, S_PARTY,
        "Số quần chúng được kết nạp vào Đảng trong quý tại các chi bộ trực thuộc Đảng ủy phường; một phần của chỉ "
        "tiêu phát triển Đảng của Chương trình 01-CTr/QU (bài ngày 18/4/2023: đạt và vượt kế hoạch hằng năm; bài ngày "
        "4/12/2018: quan tâm kết nạp quần chúng ưu tú).",
        "Theo quyết định kết nạp ký trong quý. Cộng dồn theo thời gian: số của năm là tổng các quý, không ghi số lũy "
        "kế từ đầu năm.",
    ),
    Spec(
        "NS_DU_TOAN", "Dự toán thu ngân sách nhà nước được giao trong năm" + MH, "triệu đồng", STOCK, S_BUDGET,
        "Dự toán thu ngân sách nhà nước trên địa bàn phường được cấp có thẩm quyền giao cho năm (bài ngày 5/8/2022: "
        "kiến nghị của quận và các phường về công tác tài chính, ngân sách).",
        "Theo quyết định giao dự toán; ghi cùng một số ở cả bốn quý của năm. Phường thành lập ngày 1/7/2025: dự toán "
        "6 tháng cuối năm 2025.",
    ),
    Spec(
        "NS_THU_LUY_KE", "Thu ngân sách nhà nước lũy kế từ đầu năm" + MH, "triệu đồng", STOCK, S_BUDGET,
        "Số thu ngân sách nhà nước trên địa bàn từ ngày 1/1 (phường mới: từ ngày 1/7/2025) đến ngày cuối quý, so "
        "với dự toán được giao.",
        "Theo số liệu của Kho bạc Nhà nước; mỗi năm tính lại từ đầu năm. Vì là số lũy kế, số của năm là số của quý "
        "IV (lấy kỳ gần nhất).",
    ),
]

RULES = [
    ("GD_VANHOA <= TONG_HO", "Số hộ đạt danh hiệu “Gia đình văn hóa” không thể nhiều hơn tổng số hộ gia đình."),
    ("TDP_VANHOA <= TONG_TDP", "Số tổ dân phố văn hóa không thể nhiều hơn tổng số tổ dân phố."),
    ("TDP_XSDVM <= TONG_TDP",
     "Số tổ dân phố đạt tiêu chí “xanh - sạch - đẹp - văn minh” không thể nhiều hơn tổng số tổ dân phố."),
    ("HO_HO_TRO <= TONG_HO", "Số hộ được hỗ trợ trong quý không thể nhiều hơn tổng số hộ gia đình."),
    ("HS_DUNG_HAN <= HS_TIEP_NHAN",
     "Số hồ sơ giải quyết đúng hạn, trước hạn không thể nhiều hơn số hồ sơ tiếp nhận trong quý."),
    ("HS_TRUC_TUYEN <= HS_TIEP_NHAN", "Số hồ sơ tiếp nhận trực tuyến không thể nhiều hơn số hồ sơ tiếp nhận trong quý."),
    ("NS_THU_LUY_KE <= 2 * NS_DU_TOAN",
     "Số thu lũy kế vượt quá 2 lần dự toán năm: kiểm tra lại đơn vị tính (triệu đồng) và số dự toán."),
]


# --- The wards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ward:
    """A ward's size when its series begins: households, residential groups, the usual
    party admissions in a quarter."""

    households: int
    groups: int
    admitted: int


# Old wards on 1/1/2024: households from population estimates (minh họa); residential groups
# adding up to the district's 294, Phúc Lợi's 14 from seed 004.
OLD_WARDS = {
    "Thượng Thanh": Ward(10050, 27, 4), "Ngọc Thụy": Ward(10320, 26, 4), "Giang Biên": Ward(6210, 16, 2),
    "Đức Giang": Ward(10180, 27, 4), "Việt Hưng": Ward(9040, 22, 3), "Gia Thụy": Ward(5230, 14, 2),
    "Ngọc Lâm": Ward(8020, 21, 3), "Phúc Lợi": Ward(9810, 14, 3), "Bồ Đề": Ward(10870, 28, 4),
    "Sài Đồng": Ward(5590, 15, 2), "Long Biên": Ward(8460, 25, 3), "Thạch Bàn": Ward(8530, 24, 3),
    "Phúc Đồng": Ward(7020, 19, 3), "Cự Khối": Ward(3640, 16, 2),
}
# New wards on 1/7/2025: population (REORG-2025.md) / 3,2 people a household.
NEW_WARD_SIZES = {
    "Long Biên": Ward(20590, 62, 9), "Bồ Đề": Ward(37510, 98, 14), "Việt Hưng": Ward(26000, 72, 11),
    "Phúc Lợi": Ward(20870, 56, 9),
}

# Sài Đồng dissolved on 1/12/2024: (households, residential groups) received, and the note the ward writes.
ABSORBED = {
    ("2024-Q4", "p:Phúc Lợi"): (4080, 11, "Từ 1/12/2024 tiếp nhận một phần phường Sài Đồng (13.092 người, 0,73 km²)."),
    ("2024-Q4", "p:Phúc Đồng"): (1510, 4, "Từ 1/12/2024 tiếp nhận một phần phường Sài Đồng (4.817 người, 0,13 km²)."),
}
FIRST_BUDGET_NOTE = "Phường thành lập ngày 1/7/2025: dự toán và số thu tính từ ngày 1/7/2025."
TET = {2024: "Giáp Thìn", 2025: "Ất Tỵ", 2026: "Bính Ngọ"}

# Quarterly workload of a one-stop desk, relative to the year's mean.
SEASON = {1: 0.92, 2: 1.02, 3: 1.0, 4: 1.08}
# Share of the year's budget estimate collected by the end of each quarter.
COLLECTED = {1: (0.20, 0.27), 2: (0.46, 0.54), 3: (0.70, 0.78), 4: (1.01, 1.12)}
COLLECTED_HALF_YEAR = {3: (0.45, 0.55), 4: (1.01, 1.10)}

Figures = dict[str, int]


def _series(key: str, ward: Ward, quarters: list[Period], *, files_per_household: float, online_from: float,
            budget_per_household: float, first_budget_half_year: bool) -> dict[str, Figures]:
    """A ward's figures, quarter by quarter: stocks that change slowly (cultural titles once
    a year, green residential groups twice), flows with their season, budget collected
    year to date. Seeded by the ward, so every run gives the same series."""
    rng = random.Random(f"{SEED}:{key}")  # noqa: S311 - demo figures, seeded on purpose
    households, groups = ward.households, ward.groups
    cultured_rate, group_rate, green_rate = rng.uniform(0.915, 0.945), rng.uniform(0.86, 0.93), rng.uniform(0.72, 0.8)
    cultured, cultured_groups, green = round(households * cultured_rate), round(groups * group_rate), round(
        groups * green_rate
    )
    budget, budget_year = 0, 0
    series: dict[str, Figures] = {}
    for index, period in enumerate(quarters):
        quarter, year = (period.start.month - 1) // 3 + 1, period.start.year
        if index:
            households += round(households * rng.uniform(0.002, 0.006))
        if (period.code, key) in ABSORBED:
            more_households, more_groups, _note = ABSORBED[(period.code, key)]
            households, groups = households + more_households, groups + more_groups
        if quarter == 4:  # the yearly review of the cultural titles
            cultured_rate = min(cultured_rate + rng.uniform(0.002, 0.01), 0.97)
            group_rate = min(group_rate + rng.uniform(0.0, 0.03), 0.97)
            cultured, cultured_groups = round(households * cultured_rate), round(groups * group_rate)
        if quarter in (2, 4):  # green residential groups are scored twice a year
            green_rate = min(green_rate + rng.uniform(0.01, 0.03), 0.95)
            green = round(groups * green_rate)
        half_year = first_budget_half_year and index < 2
        if year != budget_year:
            if budget_year == 0:
                budget = int(round(households * budget_per_household * (0.5 if half_year else 1), -2))
            else:
                full_year = budget * 2 if first_budget_half_year and budget_year == quarters[0].start.year else budget
                budget = int(round(full_year * rng.uniform(1.05, 1.1), -2))
            budget_year = year
        files = households * files_per_household * SEASON[quarter] * (1 + 0.01 * index) * rng.uniform(0.95, 1.05)
        online_share = min(online_from + 0.025 * index + rng.uniform(-0.015, 0.015), 0.95)
        spread = max(1, ward.admitted // 4)
        low, high = (COLLECTED_HALF_YEAR if half_year else COLLECTED)[quarter]
        series[period.code] = {
            "TONG_HO": households,
            "GD_VANHOA": cultured,
            "TONG_TDP": groups,
            "TDP_VANHOA": cultured_groups,
            "TDP_XSDVM": green,
            "HO_HO_TRO": round(households * (rng.uniform(0.025, 0.035) if quarter == 1 else rng.uniform(0.006, 0.01))),
            "HS_TIEP_NHAN": round(files),
            "HS_DUNG_HAN": round(files * rng.uniform(0.975, 0.996)),
            "HS_TRUC_TUYEN": round(files * online_share),
            "DV_KET_NAP": max(0, ward.admitted + rng.randint(-spread, spread) + (1 if quarter in (1, 3) else 0)),
            "NS_DU_TOAN": budget,
            "NS_THU_LUY_KE": round(budget * rng.uniform(low, high)),
        }
    return series


def all_series() -> dict[str, dict[str, Figures]]:
    """Every ward's figures by ward key ("p:Bồ Đề", "new:Bồ Đề") and quarter code."""
    old = [periods.parse(code) for code in OLD_PERIODS]
    new = [periods.parse(code) for code in NEW_PERIODS]
    found = {
        f"p:{name}": _series(f"p:{name}", ward, old, files_per_household=0.26, online_from=0.46,
                              budget_per_household=4.2, first_budget_half_year=False)
        for name, ward in OLD_WARDS.items()
    }
    found.update({
        f"new:{name}": _series(f"new:{name}", ward, new, files_per_household=0.42, online_from=0.74,
                                budget_per_household=8.0, first_budget_half_year=True)
        for name, ward in NEW_WARD_SIZES.items()
    })
    return found


# --- The story of the rounds ------------------------------------------------------------------


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


def opens_on(period: Period) -> dt.date:
    return period.last_day - dt.timedelta(days=OPEN_DAYS_BEFORE_END)


def due_on(period: Period) -> dt.date:
    return period.last_day + dt.timedelta(days=DUE_DAYS_AFTER_END)


# First sent this many days after the due date (Saturday and Sunday move on to Monday).
LATE = {
    ("2024-Q1", "p:Cự Khối"): 2,
    ("2024-Q2", "p:Thạch Bàn"): 3,
    ("2024-Q2", "p:Ngọc Thụy"): 1,
    ("2024-Q3", "p:Sài Đồng"): 4,
    ("2024-Q4", "p:Cự Khối"): 3,  # 13/1/2025
    ("2024-Q4", "p:Ngọc Thụy"): 7,  # 17/1/2025
    ("2025-Q1", "p:Thạch Bàn"): 2,
    ("2025-Q2", "p:Cự Khối"): 1,
    ("2025-Q2", "p:Gia Thụy"): 2,
    ("2025-Q3", "new:Việt Hưng"): 3,
    ("2026-Q2", "new:Phúc Lợi"): 3,
}
# Never sent: the figures typed into the draft (none: nothing was typed), and when.
UNSENT: dict[tuple[str, str], tuple[tuple[str, ...], dt.datetime | None]] = {
    ("2024-Q4", "p:Sài Đồng"): ((), None),  # dissolved on 1/12/2024, before the round opened
    ("2024-Q4", "p:Thạch Bàn"): (
        ("TONG_HO", "GD_VANHOA", "TONG_TDP", "TDP_VANHOA", "TDP_XSDVM", "HO_HO_TRO"), _moment(dt.date(2025, 1, 9), 10, 30)
    ),
    ("2026-Q3", "new:Phúc Lợi"): (
        ("TONG_HO", "GD_VANHOA", "TONG_TDP", "TDP_VANHOA", "TDP_XSDVM"), _moment(dt.date(2026, 10, 6), 15, 10)
    ),
}
# The current round, to the minute: (sent, reviewed; None: not yet).
CURRENT: dict[str, tuple[dt.datetime, dt.datetime | None]] = {
    "new:Long Biên": (_moment(dt.date(2026, 10, 7), 9, 20), _moment(dt.date(2026, 10, 9), 14, 5)),
    "new:Bồ Đề": (_moment(dt.date(2026, 10, 9), 16, 40), _moment(dt.date(2026, 10, 13), 10, 30)),
    "new:Việt Hưng": (_moment(dt.date(2026, 11, 19), 10, 15), None),  # 40 days late, waiting for review
}


@dataclass(frozen=True)
class Correction:
    """A figure sent wrong, returned by the reviewer with a comment, corrected and sent again."""

    code: str
    wrong: Callable[[dict[str, Figures], str], int]  # (the ward's series, the quarter) → the figure first sent
    comment: str  # formatted with wrong, right, before (the figure the comment compares with)
    before: Callable[[dict[str, Figures], str], int]


def _quarter_before(code: str) -> str:
    return periods.parse(code).shifted(-1).code


CORRECTIONS = {
    ("2024-Q3", "p:Giang Biên"): Correction(
        "TONG_HO",
        wrong=lambda s, q: s[q]["TONG_HO"] + 1000,
        before=lambda s, q: s[_quarter_before(q)]["TONG_HO"],
        comment="Tổng số hộ {wrong} tăng hơn 1.000 hộ so với quý II/2024 ({before}) trong khi phường không có biến "
                "động dân cư tương ứng; đề nghị kiểm tra lại, có thể nhập nhầm chữ số.",
    ),
    ("2026-Q1", "new:Bồ Đề"): Correction(
        "NS_THU_LUY_KE",
        wrong=lambda s, q: s[q]["NS_THU_LUY_KE"] + s[_quarter_before(q)]["NS_THU_LUY_KE"],
        before=lambda s, q: s[_quarter_before(q)]["NS_THU_LUY_KE"],
        comment="Số thu lũy kế quý I/2026 tính từ ngày 1/1/2026; số {wrong} triệu đồng đã cộng cả số thu năm 2025 "
                "({before} triệu đồng). Đề nghị sửa lại.",
    ),
}

# The note a reporter writes on a figure far from the ward's usual range (the form asks
# for one before sending), by indicator and whether the figure went up.
OUTLIER_NOTES = {
    "DV_KET_NAP": ("Một số hồ sơ kết nạp chuyển sang quý sau.",
                   "Các chi bộ kết nạp theo đợt; số liệu đã đối chiếu với Văn phòng Đảng ủy phường."),
}
YEAR_TO_DATE = {"NS_THU_LUY_KE"}
OUTLIER_NOTE = ("Giảm so với các quý trước; đã rà soát, số liệu đúng thực tế.",
                "Tăng so với các quý trước; đã rà soát, số liệu đúng thực tế.")


@dataclass
class Timeline:
    entered: dt.datetime | None
    sent: dt.datetime | None
    reviewed: dt.datetime | None
    draft_codes: tuple[str, ...] = ()


def _weekday(day: dt.date, step: int) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def timeline(period: Period, key: str) -> Timeline:
    """When the ward entered, sent and had its report reviewed (the story, not the clock)."""
    if (period.code, key) in UNSENT:
        codes, entered = UNSENT[(period.code, key)]
        return Timeline(entered, None, None, codes)
    if period.code == CURRENT_ROUND and key in CURRENT:
        sent, reviewed = CURRENT[key]
        return Timeline(sent - dt.timedelta(hours=2, minutes=10), sent, reviewed)
    rng = random.Random(f"{SEED}:{period.code}:{key}")  # noqa: S311 - demo dates, seeded on purpose
    due = due_on(period)
    late = LATE.get((period.code, key))
    if late is None:
        day = _weekday(due - dt.timedelta(days=rng.randint(0, 7)), -1)
    else:
        day = _weekday(due + dt.timedelta(days=late), 1)
    sent = _moment(day, rng.randint(8, 16), rng.choice(range(0, 60, 5)))
    if rng.random() < 0.5:  # typed the same morning or afternoon, after 7:00
        entered = sent - dt.timedelta(minutes=rng.randint(30, min(150, (sent.hour - 7) * 60)))
    else:
        entered = _moment(_weekday(day - dt.timedelta(days=rng.randint(1, 2)), -1), rng.randint(8, 16), rng.randint(0, 59))
    reviewed = _moment(_weekday(day + dt.timedelta(days=rng.randint(1, 4)), 1), rng.randint(8, 16), rng.randint(0, 59))
    return Timeline(entered, sent, reviewed)


# --- Building ---------------------------------------------------------------------------------


def is_loaded() -> bool:
    return DataSet.objects.filter(code=DATA_SET_CODE).exists()


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    """Stamp the notifications that the workflow step inside leaves with ``moment``.

    The services stamp what they write with ``timezone.now()``, rightly for real use.
    The demo replays two and a half years of history in a few seconds, so its rows are
    moved back to the day the story puts them on: here the notifications (mailed then,
    and read unless they are less than a week old on the demo's today); the figures'
    ``entered_at`` in ``_Builder.enter``; the submissions' and versions' times by the
    callers, which know which field each step touched."""
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    read = moment + dt.timedelta(hours=3) if moment.date() < DEMO_TODAY - dt.timedelta(days=7) else None
    Notification.objects.filter(pk__gt=last).update(created_at=moment, emailed_at=moment, read_at=read)


def _exists_during(unit: OrgUnit, period: Period) -> bool:
    """The rule ``open_scheduled_rounds`` uses: Sài Đồng (ended 1/12/2024) reports quý IV/2024, not 2025."""
    return unit.valid_from < period.end and (unit.valid_to is None or unit.valid_to > period.start)


class _Builder:
    def __init__(self, units: dict[str, OrgUnit]) -> None:
        self.units = units
        self.series = all_series()
        self.source = Source.objects.filter(kind=Source.Kind.ESTIMATE, title=ESTIMATE_TITLE).first()
        usernames = [a.username for a in users.ACCOUNTS]
        self.users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        self.data_set, self.indicators = self._data_set()

    def user(self, username: str | None) -> Any:
        return self.users.get(username or "")

    def reporter(self, key: str) -> Any:
        return self.user(users.reporter_username(key))

    # The data set and its schedules.

    def _data_set(self) -> tuple[DataSet, dict[str, Indicator]]:
        data_set = DataSet.objects.create(
            code=DATA_SET_CODE,
            name=DATA_SET_NAME,
            period_kind=PeriodKind.QUARTER.value,
            description=(
                "Các phường báo cáo hằng quý tiến độ thực hiện Nghị quyết Đại hội và các chương trình công tác (kiểm "
                "soát tiến độ thực hiện hàng quý, bài ngày 18/5/2022). Chỉ tiêu và số liệu minh họa, trừ số tổ dân "
                "phố của phường Phúc Lợi."
            ),
        )
        indicators = {}
        for order, spec in enumerate(SPECS, start=1):
            indicator = Indicator.objects.create(
                code=spec.code,
                name=spec.name,
                unit_of_measure=spec.unit_of_measure,
                definition=spec.definition,
                how_to_count=spec.how_to_count,
                value_type=Indicator.ValueType.NUMBER,
                unit_aggregation=Indicator.UnitAggregation.SUM,
                time_aggregation=spec.time_aggregation,
                frequency=PeriodKind.QUARTER.value,
                illustrative=spec.illustrative,
                min_value=Decimal(0),
                decimals=0,
                order=order,
            )
            indicators[spec.code] = indicator
            DataSetIndicator.objects.create(
                data_set=data_set, indicator=indicator, order=order, section=spec.section,
                # A total since 1 January grows through the year: its past quarters say nothing of what is usual.
                check_outliers=spec.code not in YEAR_TO_DATE,
            )
        for expression, message in RULES:
            rule = ValidationRule(data_set=data_set, expression=expression, message=message)
            rule.full_clean()
            rule.save()
        return data_set, indicators

    def schedules(self) -> tuple[Schedule, Schedule]:
        common: dict[str, Any] = {
            "data_set": self.data_set,
            "open_offset_days": -(OPEN_DAYS_BEFORE_END + 1),  # offsets count from the day after the quarter
            "due_offset_days": DUE_DAYS_AFTER_END - 1,
            "remind_days_before": 3,
        }
        old = schedules.create_schedule(
            None,
            name="Báo cáo tiến độ hằng quý của các phường gửi Quận Long Biên",
            reviewing_unit=self.units["quan"],
            units=[self.units[f"p:{name}"] for name in OLD_WARDS],
            starts_on=dt.date(2024, 1, 1),
            ends_on=longbien.REFORM - dt.timedelta(days=1),
            is_active=False,  # the district level ended on 30/6/2025
            **common,
        )
        new = schedules.create_schedule(
            None,
            name="Báo cáo tiến độ hằng quý của các phường gửi Thành phố Hà Nội",
            reviewing_unit=self.units["hanoi"],
            units=[self.units[f"new:{name}"] for name in NEW_WARDS],
            starts_on=longbien.REFORM,
            **common,
        )
        return old, new

    # One round.

    def play_round(self, schedule: Schedule, code: str, keys: list[str], reviewer: Any) -> None:
        period = periods.parse(code)
        living = [(key, self.units[key]) for key in keys if _exists_during(self.units[key], period)]
        round_ = services.open_round(
            None, data_set=self.data_set, period=period, reviewing_unit=schedule.reviewing_unit,
            units=[unit for _key, unit in living], opens_on=opens_on(period), due_on=due_on(period),
            remind_days_before=schedule.remind_days_before, schedule=schedule,
        )
        opened = _moment(round_.opens_on, 7)
        Round.objects.filter(pk=round_.pk).update(created_at=opened)
        round_.submissions.update(updated_at=opened)
        submissions = {s.unit_id: s for s in round_.submissions.select_related("round", "unit")}
        for key, unit in living:
            self.submission(submissions[unit.pk], key, period, reviewer)

    def submission(self, submission: Submission, key: str, period: Period, reviewer: Any) -> None:
        story = timeline(period, key)
        figures = self.series[key][period.code]
        reporter = self.reporter(key)
        correction = CORRECTIONS.get((period.code, key))
        if story.sent is None:
            if story.entered is not None and story.draft_codes:
                self.enter(reporter, submission, {c: figures[c] for c in story.draft_codes}, {}, story.entered)
            return
        assert story.entered is not None
        first = dict(figures)
        if correction is not None:
            first[correction.code] = correction.wrong(self.series[key], period.code)
        self.enter(reporter, submission, first, self.notes(submission, key, period, first), story.entered)
        self.send(reporter, submission, story.sent)
        if correction is not None:
            assert story.reviewed is not None
            returned = _moment(_weekday(story.sent.date() + dt.timedelta(days=1), 1), 14, 20)
            with _at(returned):
                services.return_submission(
                    reviewer, submission,
                    value_comments={self.indicators[correction.code].pk: correction.comment.format(
                        wrong=format_number(first[correction.code]), right=format_number(figures[correction.code]),
                        before=format_number(correction.before(self.series[key], period.code)),
                    )},
                )
            Submission.objects.filter(pk=submission.pk).update(reviewed_at=returned, updated_at=returned)
            ReturnedValue.objects.filter(submission=submission, resolved_at__isnull=True).update(returned_at=returned)
            resent = _moment(_weekday(returned.date() + dt.timedelta(days=2), 1), 9, 40)
            self.enter(reporter, submission, {correction.code: figures[correction.code]}, {},
                       resent - dt.timedelta(minutes=25))
            self.send(reporter, submission, resent)
            story.reviewed = max(story.reviewed, _moment(_weekday(resent.date() + dt.timedelta(days=1), 1), 15, 10))
        if story.reviewed is not None:
            with _at(story.reviewed):
                services.approve(reviewer, submission)
            Submission.objects.filter(pk=submission.pk).update(reviewed_at=story.reviewed, updated_at=story.reviewed)

    def notes(self, submission: Submission, key: str, period: Period, figures: Figures) -> dict[str, str]:
        """What the reporter writes beside the figures: the reason for a change of the
        ward's size, the Tết gifts, and an explanation of every figure far from the ward's
        usual range (the form refuses to send such a figure without one)."""
        notes: dict[str, str] = {}
        event = ABSORBED.get((period.code, key))
        if event is not None:
            notes["TONG_HO"] = notes["TONG_TDP"] = event[2]
        if key.startswith("new:") and period.code == NEW_PERIODS[0]:
            notes["NS_DU_TOAN"] = notes["NS_THU_LUY_KE"] = FIRST_BUDGET_NOTE
        if period.start.month == 1:
            notes["HO_HO_TRO"] = f"Gồm quà Tết Nguyên đán {TET[period.start.year]} cho gia đình chính sách, hộ cận nghèo."
        indicators = [self.indicators[code] for code in figures]
        usual = checks.usual_ranges(submission.round, submission.unit_id, indicators)
        for code, value in figures.items():
            indicator = self.indicators[code]
            if code in notes or code in YEAR_TO_DATE or not checks.outlier_warning(indicator, Decimal(value), usual.get(indicator.pk)):
                continue
            went_up = value > usual[indicator.pk].high
            notes[code] = event[2] if event is not None else OUTLIER_NOTES.get(code, OUTLIER_NOTE)[went_up]
        return notes

    def enter(self, reporter: Any, submission: Submission, figures: Figures, notes: dict[str, str],
              moment: dt.datetime) -> None:
        entries = [
            services.Entry(submission, self.indicators[code], Decimal(value), notes.get(code, ""))
            for code, value in figures.items()
        ]
        services.save_figures(reporter, entries, source=self.source)
        # Demo history, not real time: the figures were typed on the day of the story (see ``_at``).
        DataValue.objects.filter(
            unit=submission.unit_id, period_kind=submission.round.period_kind, period_start=submission.round.period_start,
            indicator__in=[self.indicators[code].pk for code in figures], is_current=True,
        ).update(entered_at=moment)
        Submission.objects.filter(pk=submission.pk).update(updated_at=moment)

    def send(self, reporter: Any, submission: Submission, moment: dt.datetime) -> None:
        with _at(moment):
            version = services.submit(reporter, submission)
        SubmissionVersion.objects.filter(pk=version.pk).update(sent_at=moment)
        times = {"submitted_at": moment, "updated_at": moment}
        if version.number == 1:
            times["first_submitted_at"] = moment
        Submission.objects.filter(pk=submission.pk).update(**times)
        ReturnedValue.objects.filter(submission=submission, resolved_at__isnull=False).update(resolved_at=moment)


def build(units: dict[str, OrgUnit]) -> None:
    """Create the data set, schedules, rounds and submissions. Call once, after the tree
    and the demo accounts exist (``load_demo`` does; ``is_loaded`` guards a second run)."""
    builder = _Builder(units)
    old, new = builder.schedules()
    old_wards = [f"p:{name}" for name in OLD_WARDS]
    new_wards = [f"new:{name}" for name in NEW_WARDS]
    for code in OLD_PERIODS:
        builder.play_round(old, code, old_wards, builder.user("quan.tonghop"))
    for code in NEW_PERIODS:
        builder.play_round(new, code, new_wards, builder.user("thanhpho.tonghop"))
