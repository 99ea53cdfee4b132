"""Inspection and supervision in the Long Biên demo, from seed 002 (article of 18/5/2022).

- **The inspection of 17/5/2022.** "Đoàn kiểm tra số 1 của Ban Thường vụ Thành ủy", led by
  Nguyễn Thị Tuyến (Ủy viên Trung ương Đảng, Phó Bí thư Thường trực Thành ủy) with Nguyễn
  Doãn Toản and Phùng Thị Hồng Hà, inspected how the Long Biên district Party committee
  carried out Chương trình 01-CTr/TU, Quy định 55-QĐ/TW and Quy định 37-QĐ/TW, and
  concluded the same afternoon. What the article reports (16.300 đảng viên in 47 tổ chức
  cơ sở đảng, the strengths named in the conclusion) is the finding; its six requests to
  the district are the recommendations, each a follow-up task of the district Party
  committee assigned on 17/5/2022.
- **The district's supervision of 3 organisations and 3 individuals**, which the district
  reported at that inspection (Kết luận 01-KL/TW, Nghị quyết Trung ương 4 khóa XII, Quy
  định 08-QĐi/TW), as a supervision of the Ban Thường vụ Quận ủy.
- **Two plans for 2022**: the city standing committee's, holding the inspection, and the
  district's, holding the supervision.

Assumptions ("giả định", said so in the records' text): the unit "Thành phố Hà Nội" stands
for the city Party committee (the tree has no separate body for it); the plans' numbers and
dates; the recommendations' expected outputs and deadlines, and how each was carried out;
which 3 organisations were supervised (three Party organisations of the demo tree) and that
the 3 individuals were their secretaries, named by position only; the supervision's dates
and recommendations. The article names no decision number, so none is recorded.

The follow-up is told as it stood on ``FOLLOW_UP_DAY`` (26/12/2022), when the follow-up
tasks hold every status of ``tasks.status``: done on time, done late, overdue (one of them
reported done but not yet confirmed), due soon and in time. Nothing was finished after that
day: the district level was abolished on 1/7/2025, so on the demo's today the open ones are
overdue. Completion reports carry their story day; the confirmations are stamped with the
real clock by ``tasks.services`` (the status reads only the reported day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from tiendo.inspections import services
from tiendo.inspections.models import Inspection, Recommendation, TeamMember
from tiendo.orgs.models import OrgUnit, UnitVersion, valid_on_q
from tiendo.tasks import services as tasks

CONCLUDED = dt.date(2022, 5, 17)
FOLLOW_UP_DAY = dt.date(2022, 12, 26)
TEAM_NAME = "Đoàn kiểm tra số 1 của Ban Thường vụ Thành ủy"
PROGRAMS = "Chương trình 01-CTr/TU, Quy định số 55-QĐ/TW và Quy định số 37-QĐ/TW"
ASSUMED = "giả định"


@dataclass(frozen=True)
class Rec:
    """A recommendation and how it was carried out: ``done`` the day the unit reported it
    done (``None``: still open), ``confirmed`` whether the assigning level confirmed."""

    text: str
    output: str
    deadline: dt.date
    done: dt.date | None = None
    confirmed: bool = True


# Seed 002: the requests of the conclusion; outputs, deadlines and outcomes are assumed.
INSPECTION_RECS = [
    Rec(f"Rà soát lại các giải pháp để thực hiện {PROGRAMS} hiệu quả hơn, gắn với triển khai Nghị quyết "
        "Hội nghị Trung ương 4 (khóa XIII), Kết luận 21",
        f"Báo cáo rà soát, bổ sung giải pháp ({ASSUMED})", dt.date(2022, 6, 30), dt.date(2022, 6, 28)),
    Rec("Tập trung xây dựng Đảng cả về chính trị, tư tưởng và đạo đức, quy định về nêu gương",
        f"Kế hoạch của Ban Thường vụ Quận ủy ({ASSUMED})", dt.date(2022, 9, 30), dt.date(2022, 10, 14)),
    Rec("Tiếp tục đổi mới phương thức lãnh đạo của cấp ủy Đảng; giữ mối quan hệ và tăng cường công tác phối hợp "
        "giữa khối Đảng, chính quyền và các đoàn thể chính trị - xã hội",
        f"Quy chế phối hợp được sửa đổi ({ASSUMED})", dt.date(2022, 9, 30), dt.date(2022, 9, 29)),
    Rec("Đổi mới hoạt động của Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội theo hướng tập trung về "
        "cơ sở, nhất là cấp phường trong thực hiện mô hình chính quyền đô thị",
        f"Báo cáo kết quả đổi mới hoạt động của khối vận cấp phường ({ASSUMED})", dt.date(2022, 11, 30),
        dt.date(2022, 12, 5), confirmed=False),
    Rec("Làm tốt hơn nữa công tác cải cách hành chính",
        f"Báo cáo kết quả cải cách hành chính năm 2022 ({ASSUMED})", dt.date(2022, 12, 31)),
    Rec("Thực hiện nghiêm Quy định số 55-QĐ/TW và Quy định số 37-QĐ/TW về những điều đảng viên không được làm, "
        "về trách nhiệm nêu gương của cán bộ, đảng viên",
        f"Báo cáo kiểm điểm việc thực hiện quy định nêu gương ({ASSUMED})", dt.date(2023, 3, 31)),
]

SUPERVISED = ["Đảng bộ phường Phúc Lợi", "Đảng bộ Khối doanh nghiệp quận", "Chi bộ Tổ dân phố số 13"]
SECRETARIES = ["Bí thư Đảng ủy phường Phúc Lợi", "Bí thư Đảng ủy Khối doanh nghiệp quận", "Bí thư Chi bộ Tổ dân phố số 13"]
SUPERVISION_RECS = [  # one per organisation, in SUPERVISED's order; all assumed
    Rec(f"Bổ sung kế hoạch tu dưỡng, rèn luyện của người đứng đầu theo Quy định 08-QĐi/TW ({ASSUMED})",
        "Kế hoạch tu dưỡng được niêm yết công khai", dt.date(2022, 5, 31), dt.date(2022, 5, 25)),
    Rec(f"Nâng cao chất lượng sinh hoạt chuyên đề theo Kết luận 01-KL/TW ({ASSUMED})",
        "Báo cáo kết quả sinh hoạt chuyên đề", dt.date(2022, 6, 30), dt.date(2022, 7, 15)),
    Rec(f"Khắc phục hạn chế trong thực hiện Nghị quyết Trung ương 4 (khóa XII) ({ASSUMED})",
        "Báo cáo khắc phục hạn chế", dt.date(2022, 6, 30), dt.date(2022, 6, 30)),
]


def is_loaded() -> bool:
    return Inspection.objects.filter(team_name=TEAM_NAME, starts_on=CONCLUDED).exists()


def _unit(name: str) -> OrgUnit:
    """The unit of that name in 2022 (the new wards of 2025 reuse some names)."""
    return UnitVersion.objects.select_related("unit").get(valid_on_q(CONCLUDED), name=name).unit


def _account(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _follow_up(recs: list[Rec], made: list[Recommendation], reporter: User | None, assigner: User | None) -> None:
    for rec, recommendation in zip(recs, made, strict=True):
        if rec.done is None:
            continue
        evidence = f"{rec.output} ({ASSUMED}: minh chứng không có trong nguồn)"
        tasks.report_completion(reporter, recommendation.task, evidence=evidence, on=rec.done)
        if rec.confirmed:
            tasks.confirm_completion(assigner, recommendation.task)


def load(units: dict[str, OrgUnit], out: Any = None) -> bool:
    """Create the plans, the inspection and the supervision with their follow-up tasks,
    through the services. Does nothing (and returns ``False``) when already loaded."""
    if is_loaded():
        return False
    city = units["hanoi"]
    district_committee = _unit("Quận ủy Long Biên")
    city_reviewer = _account("thanhpho.tonghop")
    district_reviewer = _account("quan.tonghop")
    district_admin = _account("quan.quantri")

    city_plan = services.create_plan(
        city_reviewer, year=2022, conducting_unit=city, issued_on=dt.date(2022, 1, 10),
        title=f"Chương trình kiểm tra, giám sát năm 2022 của Ban Thường vụ Thành ủy (số, ngày ban hành: {ASSUMED})",
    )
    inspection = services.create_inspection(
        city_reviewer, kind=Inspection.Kind.INSPECTION, conducting_unit=city, plan=city_plan, team_name=TEAM_NAME,
        title=f"Kiểm tra việc thực hiện {PROGRAMS} tại quận Long Biên",
        scope=(f"Việc lãnh đạo, chỉ đạo, cụ thể hóa và tổ chức thực hiện {PROGRAMS} của Ban Chấp hành Đảng bộ quận "
               "Long Biên. Dự làm việc: Bí thư Quận ủy, Chủ tịch HĐND quận Đường Hoài Nam, Ban Thường vụ Quận ủy, "
               "lãnh đạo Ban Tổ chức Quận ủy, Văn phòng Quận ủy, Văn phòng HĐND và UBND, phòng Nội vụ. Đơn vị tiến "
               f"hành ghi là Thành phố Hà Nội thay cho Thành ủy ({ASSUMED})."),
        starts_on=CONCLUDED, ends_on=CONCLUDED,
        subjects=[services.SubjectInput(unit=district_committee)],
        team=[
            services.MemberInput("Nguyễn Thị Tuyến", "Ủy viên Trung ương Đảng, Phó Bí thư Thường trực Thành ủy",
                                 TeamMember.Role.LEADER),
            services.MemberInput("Nguyễn Doãn Toản", "Ủy viên Ban Thường vụ Thành ủy, Trưởng ban Dân vận Thành ủy"),
            services.MemberInput("Phùng Thị Hồng Hà", "Ủy viên Ban Thường vụ Thành ủy, Phó Chủ tịch Thường trực HĐND Thành phố"),
        ],
    )
    services.record_conclusion(
        city_reviewer, inspection, concluded_on=CONCLUDED,
        strengths=(
            "Đảng bộ quận có trên 16.300 đảng viên sinh hoạt tại 47 tổ chức cơ sở đảng. Tinh thần chủ động, nghiêm túc "
            f"trong cụ thể hóa thực hiện {PROGRAMS}: lồng ghép với Chương trình 01-CTr/QU, kiểm soát tiến độ hằng quý; "
            "nhiều giải pháp xây dựng Đảng bộ trong sạch, vững mạnh; rà soát, sàng lọc đảng viên; sắp xếp tổ chức bộ "
            "máy nghiêm túc; đi đầu cải cách hành chính gắn với mô hình chính quyền đô thị và cơ quan điện tử; là một "
            "trong số ít đơn vị có giải pháp cụ thể hóa Nghị quyết Trung ương 4 (kế hoạch “Tự soi, tự sửa”, niêm yết "
            "công khai kế hoạch tu dưỡng của người đứng đầu)."
        ),
        shortcomings=f"Kết luận chỉ ra “một số tồn tại” trong quá trình thực hiện; bài viết không nêu chi tiết ({ASSUMED}).",
        conclusions=(
            f"Đánh giá cao quận Long Biên trong cụ thể hóa thực hiện {PROGRAMS}. Đề nghị Quận rà soát lại các giải "
            "pháp, gắn với Nghị quyết Trung ương 4 (khóa XIII), Kết luận 21; xây dựng Đảng về chính trị, tư tưởng, "
            "đạo đức; đổi mới phương thức lãnh đạo; đổi mới hoạt động của Mặt trận và các đoàn thể; làm tốt hơn cải "
            "cách hành chính; thực hiện nghiêm Quy định 55-QĐ/TW và 37-QĐ/TW."
        ),
    )
    made = [
        services.add_recommendation(
            city_reviewer, inspection, text=rec.text, unit=district_committee, deadline=rec.deadline,
            expected_output=rec.output,
        )
        for rec in INSPECTION_RECS
    ]
    _follow_up(INSPECTION_RECS, made, district_admin, city_reviewer)

    district_plan = services.create_plan(
        district_reviewer, year=2022, conducting_unit=district_committee, issued_on=dt.date(2022, 1, 5),
        title=f"Kế hoạch kiểm tra, giám sát năm 2022 của Ban Thường vụ Quận ủy (số, ngày ban hành: {ASSUMED})",
    )
    organisations = [_unit(name) for name in SUPERVISED]
    supervision = services.create_inspection(
        district_reviewer, kind=Inspection.Kind.SUPERVISION, conducting_unit=district_committee, plan=district_plan,
        title=("Giám sát công tác lãnh đạo, chỉ đạo, tổ chức thực hiện Kết luận số 01-KL/TW, Nghị quyết Trung ương 4 "
               "(khóa XII), Quy định số 08-QĐi/TW"),
        scope=("Giám sát 3 tổ chức và 3 cá nhân (báo cáo tại cuộc kiểm tra ngày 17/5/2022). Bài viết không nêu tên: "
               f"các tổ chức, cá nhân, thời gian và kiến nghị ghi ở đây là {ASSUMED}."),
        starts_on=dt.date(2022, 3, 1), ends_on=dt.date(2022, 3, 31),
        subjects=[
            *(services.SubjectInput(unit=unit) for unit in organisations),
            *(services.SubjectInput(person_position=position, person_unit=unit)
              for position, unit in zip(SECRETARIES, organisations, strict=True)),
        ],
    )
    services.record_conclusion(
        district_reviewer, supervision, concluded_on=dt.date(2022, 4, 15),
        conclusions=f"Các tổ chức, cá nhân được giám sát thực hiện cơ bản nghiêm túc; có kiến nghị khắc phục ({ASSUMED}).",
    )
    supervised = [
        services.add_recommendation(
            district_reviewer, supervision, text=rec.text, unit=unit, deadline=rec.deadline, expected_output=rec.output
        )
        for rec, unit in zip(SUPERVISION_RECS, organisations, strict=True)
    ]
    _follow_up(SUPERVISION_RECS, supervised, district_admin, district_reviewer)
    if out is not None:
        out.write("Đã nạp cuộc kiểm tra ngày 17/5/2022 của Đoàn kiểm tra số 1 Thành ủy, cuộc giám sát của Quận ủy và các kiến nghị.")
    return True
