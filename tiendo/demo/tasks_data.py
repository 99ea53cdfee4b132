"""Directives and tasks in the Long Biên demo (chỉ đạo, nhiệm vụ), played through
``tiendo.tasks.services`` on the days the story puts them.

Three stories:

- Seed 000 (4/12/2018): the district "duy trì việc theo dõi, kiểm soát việc thực hiện
  các kết luận, chỉ đạo của Thường trực, BTV Quận ủy". The article lists what the
  standing committee directed in 2018 (standardised procedures, ISO 9001:2015, the draft
  scheme on ward staff, the assessment of cadres, the green streets…); each group is
  recorded as one conclusion with its tasks, all finished, with the article's figures
  as evidence. The conclusions' numbers and dates are not in the article: assumed.
- Seed 003 (5/8/2022): Thông tri 03-TT/QU of 22/4/2021 on the urban-government pilot,
  the review conference of 3/8/2022 (a task of the Thông tri, done that day) and the
  conclusion of the district secretary with its five tasks, word for word. The notice's
  number and date, each task's lead body (read from the task's subject), expected output
  and deadline are assumed and say so. Their history: done on time, done on time after
  an approved extension (the old deadline stays in the request), done late, and the
  Front's task split to the 14 wards, two of which never finished, so it is still
  overdue with its progress rolled up from the wards.
- Current work of the four new wards, assigned by the city after the two-tier reform
  (1/7/2025; the district no longer exists): due soon, in time, overdue with a pending
  extension request, done on time, done late, done and waiting for confirmation, one
  task split to residential groups, and a quarterly recurring task with its
  occurrences. Everything in it is illustrative ("minh họa"). Its dates count from the
  day the demo is loaded (``tiendo.lib.dates.today``), because task status is computed
  against the real today: fixed dates would all turn overdue within weeks. (The
  reporting rounds can keep a fixed story day: their state does not depend on today.)

The services stamp what they write with the real clock; ``_Story`` moves those stamps
(created, reported, requested, decided, confirmed) to the story's day. The audit rows
keep the real time: they record when ``load_demo`` wrote the demo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from tiendo.demo import longbien, plans_data, users
from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit
from tiendo.plans.models import Program
from tiendo.tasks import services
from tiendo.tasks.models import DeadlineChange, Directive, Task, TaskUpdate

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
QUAN_UY = "b:Quận ủy Long Biên"
VP_QU = "b:Văn phòng Quận ủy"
VP_UB = "b:Văn phòng HĐND và UBND quận"
BAN_TC = "b:Ban Tổ chức Quận ủy"
NOI_VU = "b:Phòng Nội vụ"
MTTQ = "b:Ủy ban MTTQ Việt Nam quận"
PHU_NU = "b:Hội Liên hiệp Phụ nữ quận"
DOAN_TN = "b:Đoàn Thanh niên Cộng sản Hồ Chí Minh quận"
CCB = "b:Hội Cựu chiến binh quận"
LDLD = "b:Liên đoàn Lao động quận"
KHOI_DN = "b:Đảng bộ Khối doanh nghiệp quận"

# The numbers of the 2018 conclusions and of the city's plan are assumed (see their text).
CONCLUSIONS_2018 = ("95-TB/QU", "48-KL/QU", "102-TB/QU")
THONG_TRI = "03-TT/QU"
CONCLUSION_2022 = "312-TB/QU"
CITY_PLAN = "215/KH-UBND"

# Seed 003, the district secretary's conclusion of 3/8/2022, in the article's words.
# (The article writes "Đề số 11-ĐA/TU": "Đề án" is meant.)
FIVE_TASKS = [
    "Tiếp tục bám sát sự chỉ đạo của Trung ương, Thành phố về việc thực hiện mô hình chính quyền đô thị trên địa bàn "
    "Thành phố. Chủ động tiếp cận, triển khai các quy định mới về phân cấp quản lý nhà nước; quy định về tài chính, "
    "ngân sách; cơ chế chỉ huy, điều hành, phối hợp thực hiện nhiệm vụ về an ninh, quốc phòng, quân sự địa phương.",
    "Đổi mới mạnh mẽ hơn về phương thức lãnh đạo, chỉ đạo, điều hành gắn với đẩy mạnh công tác cải cách hành chính, "
    "ứng dụng CNTT trong hoạt động của các cơ quan đơn vị khối Đảng, chính quyền, MTTQ, các đoàn thể CT-XH; tăng cường "
    "kỷ cương hành chính, kỷ luật công vụ; linh hoạt, hiệu quả trong công tác phối hợp giữa Quận và phường.",
    "Tiếp tục thực hiện nghiêm túc các quy định của Trung ương, Thành phố và Quận về công tác điều động, luân chuyển "
    "cán bộ; chú trọng công tác đào tạo, bồi dưỡng cán bộ, công chức khối phường.",
    "Triển khai hiệu quả Đề án số 11-ĐA/TU ngày 12/5/2022 của Ban Thường vụ Thành ủy về hoạt động của HĐND các cấp "
    "giai đoạn 2022-2026: hoàn thiện tổ chức bộ máy, bảo đảm số lượng đại biểu HĐND Quận chuyên trách; đổi mới, nâng "
    "cao chất lượng tiếp xúc cử tri và các kỳ họp của HĐND Quận.",
    "Tiếp tục phát huy vai trò của UBMTTQ, các đoàn thể CT-XH trong công tác giám sát, phản biện xã hội. Vận hành hiệu "
    "quả cơ chế phối hợp giữa cấp ủy, HĐND, UBMTTQ và các đoàn thể CT-XH trong giám sát việc thực hiện các nhiệm vụ "
    "phát triển kinh tế - xã hội, an ninh quốc phòng của UBND Quận và phường trong điều kiện không tổ chức HĐND phường.",
]
FIVE_LEADS = [VP_UB, VP_QU, BAN_TC, VP_UB, MTTQ]

# The wards' sub-tasks of the Front's task (seed 003, task 5): reported done on these
# days (every other ward on 24/3/2023), or left at this percentage.
WARD_DONE = {"Phúc Lợi": dt.date(2023, 3, 20), "Việt Hưng": dt.date(2023, 3, 28), "Ngọc Thụy": dt.date(2023, 4, 12)}
WARD_OPEN = {"Thạch Bàn": 60, "Cự Khối": 40}


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


def is_loaded() -> bool:
    return Directive.objects.filter(number=THONG_TRI, kind=Directive.Kind.CIRCULAR).exists()


def load(units: dict[str, OrgUnit], out: Any = None) -> None:
    """Create the directives and tasks once (``is_loaded`` guards a second run). Needs
    the tree, the plans (for the 2015–2020 programs) and the demo accounts."""
    if is_loaded():
        return
    story = _Story({**plans_data.find_units(), **units})
    story.seed_000()
    story.seed_003()
    story.current(today())
    if out is not None:
        out.write("Đã nạp văn bản chỉ đạo và nhiệm vụ (kết luận năm 2018, Thông tri 03-TT/QU, nhiệm vụ hiện nay).")


class _Story:
    def __init__(self, units: dict[str, OrgUnit]) -> None:
        self.units = units
        self.users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in users.ACCOUNTS])}
        # No demo account reports for a district body: the district's unit administrator
        # (Văn phòng Quận ủy) reports for them; its reviewer assigns and confirms.
        self.district_assigner = self.users["quan.tonghop"]
        self.district_body = self.users["quan.quantri"]
        self.city = self.users["thanhpho.tonghop"]

    def reporter(self, key: str) -> Any:
        return self.users[users.reporter_username(key) or ""]

    # The service calls, each stamped with the story's day.

    def directive(self, *, kind: str, number: str, issued_on: dt.date, issuer: str, title: str, text: str,
                  by: Any) -> Directive:
        directive = services.create_directive(
            by, kind=kind, number=number, issued_on=issued_on, issuer=self.units[issuer], title=title, text=text
        )
        Directive.objects.filter(pk=directive.pk).update(created_at=_moment(issued_on, 16))
        return directive

    def assign(self, *, title: str, output: str, lead: str, deadline: dt.date, assigned_on: dt.date, by: Any,
               assigned_by: str, directive: Directive | None = None, coordinating: tuple[str, ...] = (),
               description: str = "", parent: Task | None = None, **extra: Any) -> Task:
        task = services.create_task(
            by, title=title, expected_output=output, assigned_by=self.units[assigned_by], lead_unit=self.units[lead],
            deadline=deadline, coordinating_units=[self.units[k] for k in coordinating], directive=directive,
            parent=parent, description=description, assigned_on=assigned_on, **extra,
        )
        Task.objects.filter(pk=task.pk).update(created_at=_moment(assigned_on, 9, 30))
        return task

    def progress(self, task: Task, day: dt.date, percent: int, text: str, by: Any) -> None:
        update = services.report_progress(by, task, progress=percent, text=text)
        TaskUpdate.objects.filter(pk=update.pk).update(reported_at=_moment(day, 15, 20))

    def done(self, task: Task, day: dt.date, evidence: str, by: Any, *, confirmed_on: dt.date | None = None,
             confirmed_by: Any = None) -> None:
        services.report_completion(by, task, evidence=evidence, on=day)
        if confirmed_on is not None:
            services.confirm_completion(confirmed_by, task)
            Task.objects.filter(pk=task.pk).update(confirmed_at=_moment(confirmed_on, 10, 15))

    def extension(self, task: Task, day: dt.date, new_deadline: dt.date, reason: str, by: Any, *,
                  decided_on: dt.date | None = None, decided_by: Any = None, note: str = "") -> DeadlineChange:
        change = services.request_extension(by, task, new_deadline=new_deadline, reason=reason)
        DeadlineChange.objects.filter(pk=change.pk).update(requested_at=_moment(day, 14, 0))
        if decided_on is not None:
            services.decide_extension(decided_by, change, approve=True, note=note)
            DeadlineChange.objects.filter(pk=change.pk).update(decided_at=_moment(decided_on, 11, 0))
        return change

    # Seed 000: the standing committee's conclusions of 2018.

    def seed_000(self) -> None:
        programs = {p.number: p for p in Program.objects.filter(resolution__term_start=2015)}
        assigner, body = self.district_assigner, self.district_body
        note = (
            "Nội dung theo bài “Kết quả lãnh đạo, chỉ đạo thực hiện các chủ đề công tác năm 2018 gắn với 3 Chương trình "
            "công tác của Quận ủy” (đăng ngày 04/12/2018): Thường trực, Ban Thường vụ Quận ủy “duy trì việc theo dõi, "
            "kiểm soát việc thực hiện các kết luận, chỉ đạo”. Số, ngày của văn bản là giả định; bài viết không nêu."
        )
        procedures = self.directive(
            kind=Directive.Kind.CONCLUSION_NOTICE, number=CONCLUSIONS_2018[0], issued_on=dt.date(2018, 3, 12), issuer=QUAN_UY,
            title="Kết luận của Thường trực Quận ủy về rà soát, chuẩn hóa quy trình nghiệp vụ và xây dựng, áp dụng hệ "
                  "thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015 từ Quận đến phường",
            text=note, by=assigner,
        )
        assigned, due, finished = dt.date(2018, 3, 15), dt.date(2018, 11, 30), dt.date(2018, 11, 20)
        common: dict[str, Any] = {"assigned_on": assigned, "by": assigner, "assigned_by": QUAN_UY, "directive": procedures,
                  "program": programs.get("01-CTr/QU")}
        deadline_note = "Thời hạn 30/11/2018 là giả định."
        party = self.assign(
            title="Rà soát, chuẩn hóa quy trình nghiệp vụ khối Đảng, đoàn thể; đánh giá chất lượng triển khai tại mỗi "
                  "đơn vị",
            output="Các quy trình nghiệp vụ khối Đảng, đoàn thể cấp Quận và cấp phường được chuẩn hóa, ban hành",
            lead=VP_QU, deadline=due, coordinating=(MTTQ, PHU_NU, DOAN_TN), description=deadline_note, **common,
        )
        self.progress(party, dt.date(2018, 7, 10), 60, "Đã rà soát xong các quy trình cấp Quận; đang hoàn thiện quy "
                      "trình cấp phường.", body)
        self.done(party, finished, "Đã chuẩn hóa 32 quy trình cấp Quận và 26 quy trình cấp phường khối Đảng, đoàn "
                  "thể (bài ngày 04/12/2018).", body, confirmed_on=dt.date(2018, 11, 26), confirmed_by=assigner)
        government = self.assign(
            title="Rà soát, chuẩn hóa quy trình nghiệp vụ khối chính quyền cấp Quận và cấp phường",
            output="Các quy trình nghiệp vụ khối chính quyền cấp Quận và cấp phường được chuẩn hóa, ban hành",
            lead=VP_UB, deadline=due, coordinating=(NOI_VU,), description=deadline_note, **common,
        )
        self.done(government, dt.date(2018, 11, 16), "Đã chuẩn hóa 55 quy trình cấp Quận và 15 quy trình cấp phường "
                  "khối chính quyền (bài ngày 04/12/2018).", body, confirmed_on=dt.date(2018, 11, 26), confirmed_by=assigner)
        iso = self.assign(
            title="Xây dựng và triển khai hệ thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015 đồng bộ từ Quận đến "
                  "phường, lần đầu đến các cơ quan khối Đảng, đoàn thể",
            output="Hệ thống quản lý chất lượng ISO 9001:2015 được áp dụng tại các cơ quan khối Đảng, đoàn thể, chính "
                   "quyền Quận và 14 phường",
            lead=VP_QU, deadline=due, coordinating=(VP_UB,), description=deadline_note, **common,
        )
        self.progress(iso, dt.date(2018, 8, 20), 50, "Đã xây dựng hệ thống tài liệu; đang áp dụng thử tại các cơ "
                      "quan khối Đảng.", body)
        self.done(iso, finished, "Hệ thống ISO 9001:2015 đã triển khai đồng bộ từ Quận đến phường (bài ngày "
                  "04/12/2018).", body, confirmed_on=dt.date(2018, 11, 26), confirmed_by=assigner)
        enterprises = self.assign(
            title="Đổi mới, nâng cao chất lượng hoạt động của các tổ chức đảng trong doanh nghiệp",
            output="02 chuyên đề về công tác xây dựng đảng, bộ quy chế mẫu và 05 quy trình nội bộ của Đảng bộ Khối "
                   "doanh nghiệp",
            lead=KHOI_DN, deadline=due, description="Sản phẩm theo kết quả bài ngày 04/12/2018. " + deadline_note,
            **common,
        )
        self.done(enterprises, dt.date(2018, 11, 9), "Đã xây dựng, triển khai 02 chuyên đề, bộ quy chế mẫu và 05 quy "
                  "trình nội bộ (bài ngày 04/12/2018).", body, confirmed_on=dt.date(2018, 11, 26), confirmed_by=assigner)

        staff = self.directive(
            kind=Directive.Kind.CONCLUSION, number=CONCLUSIONS_2018[1], issued_on=dt.date(2018, 4, 2), issuer=QUAN_UY,
            title="Kết luận của Ban Thường vụ Quận ủy về sắp xếp tổ chức bộ máy, cán bộ không chuyên trách phường, tổ "
                  "dân phố và sát hạch một số chức danh diện Ban Thường vụ Quận ủy quản lý năm 2018",
            text=note, by=assigner,
        )
        common = {"assigned_on": dt.date(2018, 4, 5), "by": assigner, "assigned_by": QUAN_UY, "directive": staff,
                  "program": programs.get("02-CTr/QU")}
        scheme = self.assign(
            title="Khảo sát và xây dựng dự thảo Đề án “Đánh giá thực trạng, giải pháp sắp xếp tổ chức bộ máy, cán bộ "
                  "không chuyên trách phường, tổ dân phố trên địa bàn quận Long Biên”",
            output="Dự thảo Đề án trình Ban Thường vụ Quận ủy",
            lead=BAN_TC, deadline=dt.date(2018, 10, 31), coordinating=(NOI_VU,),
            description="Thời hạn 31/10/2018 là giả định.", **common,
        )
        self.progress(scheme, dt.date(2018, 6, 25), 40, "Đã khảo sát thực trạng tại 14 phường.", body)
        self.done(scheme, dt.date(2018, 10, 24), "Đã hoàn thành khảo sát và dự thảo Đề án (bài ngày 04/12/2018).", body,
                  confirmed_on=dt.date(2018, 10, 30), confirmed_by=assigner)
        assessment = self.assign(
            title="Triển khai công tác sát hạch đối với một số chức danh diện Ban Thường vụ Quận ủy quản lý năm 2018",
            output="Kết quả sát hạch các chức danh báo cáo Ban Thường vụ Quận ủy",
            lead=BAN_TC, deadline=dt.date(2018, 11, 30), description="Thời hạn 30/11/2018 là giả định.", **common,
        )
        self.done(assessment, dt.date(2018, 11, 22), "Đã tổ chức sát hạch, báo cáo kết quả (bài ngày 04/12/2018).",
                  body, confirmed_on=dt.date(2018, 11, 28), confirmed_by=assigner)

        green = self.directive(
            kind=Directive.Kind.CONCLUSION_NOTICE, number=CONCLUSIONS_2018[2], issued_on=dt.date(2018, 3, 20), issuer=QUAN_UY,
            title="Kết luận của Thường trực Quận ủy về triển khai chủ đề năm 2018 “Vì một Long Biên xanh - sạch - đẹp” "
                  "gắn với Chương trình 03-CTr/QU",
            text=note, by=assigner,
        )
        common = {"assigned_on": dt.date(2018, 3, 22), "by": assigner, "assigned_by": QUAN_UY, "directive": green,
                  "program": programs.get("03-CTr/QU"), "deadline": dt.date(2018, 11, 30)}
        streets = self.assign(
            title="Xây dựng các tuyến phố xanh - sạch - đẹp; trồng bổ sung, thay thế, cắt tỉa cây xanh",
            output="15 tuyến phố xanh - sạch - đẹp (06 cấp quận, 09 cấp phường); cây xanh mất an toàn được xử lý",
            lead=VP_UB, description="Đơn vị chủ trì (tham mưu UBND quận) và thời hạn 30/11/2018 là giả định.", **common,
        )
        self.progress(streets, dt.date(2018, 8, 15), 60, "Đã hoàn thành 09 tuyến phố; đang triển khai các tuyến còn "
                      "lại.", body)
        self.done(streets, dt.date(2018, 11, 27), "Xây dựng 15 tuyến phố xanh - sạch - đẹp (06 cấp quận, 09 cấp "
                  "phường); cắt tỉa, xử lý 830 cây mất an toàn; trồng mới 534 cây xanh (bài ngày 04/12/2018).", body,
                  confirmed_on=dt.date(2018, 11, 30), confirmed_by=assigner)
        women = self.assign(
            title="Tham gia xây dựng trật tự, văn minh đô thị; biến điểm chân rác thành vườn hoa, đường hoa",
            output="Các điểm chân rác được cải tạo thành vườn hoa, đường hoa, tường hoa, bồn hoa",
            lead=PHU_NU, description="Thời hạn 30/11/2018 là giả định.", **common,
        )
        self.done(women, dt.date(2018, 11, 15), "Biến 30 điểm chân rác thành vườn hoa, đường hoa, tường hoa, bồn "
                  "hoa; 16 buổi tuyên truyền cho 2.435 cán bộ, hội viên (bài ngày 04/12/2018).", body,
                  confirmed_on=dt.date(2018, 11, 23), confirmed_by=assigner)
        front = self.assign(
            title="Giám sát, kiểm tra các đường phố có tên, vườn hoa, công viên; duy trì mô hình tình nguyện vì môi "
                  "trường",
            output="Báo cáo kết quả giám sát; các câu lạc bộ tình nguyện vì môi trường tại cơ sở duy trì hoạt động",
            lead=MTTQ, description="Thời hạn 30/11/2018 là giả định.", **common,
        )
        self.done(front, dt.date(2018, 11, 19), "33 câu lạc bộ, hơn 3.300 hội viên tham gia; phong trào xây dựng tổ "
                  "dân phố xanh, sạch, đẹp (bài ngày 04/12/2018).", body,
                  confirmed_on=dt.date(2018, 11, 23), confirmed_by=assigner)

    # Seed 003: Thông tri 03-TT/QU, its one-year review and the five tasks.

    def seed_003(self) -> list[Task]:
        assigner, body = self.district_assigner, self.district_body
        circular = self.directive(
            kind=Directive.Kind.CIRCULAR, number=THONG_TRI, issued_on=dt.date(2021, 4, 22), issuer=QUAN_UY,
            title="Thông tri của Ban Thường vụ Quận ủy về tổ chức thực hiện Nghị định số 32/2021/NĐ-CP ngày 29/3/2021 "
                  "của Chính phủ quy định chi tiết và biện pháp thi hành Nghị quyết số 97/2019/QH14; Kế hoạch số "
                  "100/KH-UBND ngày 12/4/2021 của UBND Thành phố về thí điểm tổ chức mô hình chính quyền đô thị tại "
                  "thành phố Hà Nội",
            text="Theo bài “Quận Long Biên sơ kết 01 năm thực hiện thí điểm tổ chức mô hình chính quyền đô thị” (đăng "
                 "ngày 05/08/2022). Nội dung đầy đủ của Thông tri không có trong nguồn.",
            by=assigner,
        )
        review = self.assign(
            title="Sơ kết 01 năm thực hiện Thông tri 03-TT/QU, thí điểm tổ chức mô hình chính quyền đô thị trên địa bàn "
                  "Quận",
            output="Báo cáo sơ kết của Ban Thường vụ Quận ủy; Hội nghị sơ kết",
            lead=VP_QU, coordinating=(VP_UB,), deadline=dt.date(2022, 8, 15), assigned_on=dt.date(2022, 6, 15),
            by=assigner, assigned_by=QUAN_UY, directive=circular,
            description="Đơn vị chủ trì, ngày giao và thời hạn là giả định; ngày hội nghị 3/8/2022 theo nguồn.",
        )
        self.progress(review, dt.date(2022, 7, 20), 50, "Đã có dự thảo báo cáo sơ kết; đang tổng hợp ý kiến các "
                      "phường.", body)
        self.done(review, dt.date(2022, 8, 3), "Hội nghị sơ kết ngày 3/8/2022 do đồng chí Bí thư Quận ủy chủ trì; "
                  "Chủ tịch UBND Quận báo cáo thay mặt Ban Thường vụ; khen thưởng 11 tập thể, 12 cá nhân.", body,
                  confirmed_on=dt.date(2022, 8, 5), confirmed_by=assigner)

        conclusion = self.directive(
            kind=Directive.Kind.CONCLUSION_NOTICE, number=CONCLUSION_2022, issued_on=dt.date(2022, 8, 10),
            issuer=QUAN_UY,
            title="Kết luận của đồng chí Bí thư Quận ủy tại Hội nghị sơ kết 01 năm thực hiện Thông tri 03-TT/QU ngày "
                  "22/4/2021 của Ban Thường vụ Quận ủy về thí điểm tổ chức mô hình chính quyền đô thị",
            text="Hội nghị ngày 3/8/2022; đồng chí Đường Hoài Nam, Thành ủy viên, Bí thư Quận ủy, Chủ tịch HĐND Quận "
                 "chủ trì và kết luận, yêu cầu lãnh đạo cấp ủy, thủ trưởng các đơn vị tập trung thực hiện 5 nhiệm vụ, "
                 "giải pháp. Số 312-TB/QU và ngày 10/8/2022 của thông báo là giả định (nguồn: bài đăng ngày "
                 "05/08/2022, không nêu số văn bản). Nội dung 5 nhiệm vụ theo nguồn; đơn vị chủ trì, sản phẩm và "
                 "thời hạn là giả định.",
            by=assigner,
        )
        assumed = "Đơn vị chủ trì, sản phẩm và thời hạn là giả định; nội dung nhiệm vụ theo kết luận hội nghị."
        outputs = [
            "Báo cáo rà soát các quy định mới về phân cấp quản lý nhà nước, tài chính - ngân sách, cơ chế chỉ huy an "
            "ninh, quốc phòng và kế hoạch triển khai của Quận",
            "Quy chế phối hợp giữa Quận và phường (sửa đổi); kế hoạch ứng dụng CNTT trong khối Đảng, chính quyền, "
            "MTTQ, đoàn thể",
            "Kế hoạch và báo cáo kết quả đào tạo, bồi dưỡng cán bộ, công chức khối phường năm 2022",
            "Kế hoạch của Quận triển khai Đề án 11-ĐA/TU; báo cáo kiện toàn tổ chức bộ máy HĐND Quận",
            "Kế hoạch giám sát năm 2023 của UBMTTQ và các đoàn thể CT-XH; báo cáo kết quả giám sát tại Quận và phường",
        ]
        deadlines = [dt.date(2022, 12, 31), dt.date(2022, 12, 31), dt.date(2022, 12, 31), dt.date(2023, 6, 30),
                     dt.date(2023, 6, 30)]
        coordinating: list[tuple[str, ...]] = [(NOI_VU,), (VP_UB, NOI_VU, MTTQ), (NOI_VU,), (BAN_TC,),
                                               (PHU_NU, DOAN_TN, CCB, LDLD)]
        tasks = [
            self.assign(
                title=text, output=output, lead=lead, deadline=deadline, coordinating=coord,
                assigned_on=dt.date(2022, 8, 15), by=assigner, assigned_by=QUAN_UY, directive=conclusion,
                description=assumed, priority=Task.Priority.HIGH,
            )
            for text, output, lead, deadline, coord in zip(FIVE_TASKS, outputs, FIVE_LEADS, deadlines, coordinating,
                                                          strict=True)
        ]
        rules, reform, training, council, front = tasks

        # 1: done on time.
        self.progress(rules, dt.date(2022, 10, 10), 40, "Đã rà soát các văn bản mới của Trung ương, Thành phố về "
                      "phân cấp và tài chính, ngân sách.", body)
        self.done(rules, dt.date(2022, 12, 20), "Báo cáo rà soát và kế hoạch triển khai đã trình UBND Quận (minh họa).",
                  body, confirmed_on=dt.date(2022, 12, 26), confirmed_by=assigner)
        # 2: an extension approved (31/12/2022 stays in the request), then done by the new deadline.
        self.progress(reform, dt.date(2022, 10, 12), 30, "Đã rà soát quy chế phối hợp hiện hành giữa Quận và "
                      "phường.", body)
        self.progress(reform, dt.date(2022, 12, 15), 70, "Đã có dự thảo quy chế phối hợp sửa đổi; kế hoạch ứng dụng "
                      "CNTT đang lấy ý kiến.", body)
        self.extension(
            reform, dt.date(2022, 12, 20), dt.date(2023, 3, 31),
            "Chờ rà soát lại quy chế làm việc giữa cấp ủy, chính quyền theo quy chế mẫu của Thành ủy (ý kiến chỉ đạo "
            "tại hội nghị ngày 3/8/2022) để sửa đổi đồng bộ (giả định).",
            body, decided_on=dt.date(2022, 12, 23), decided_by=assigner, note="Đồng ý gia hạn đến 31/3/2023.",
        )
        self.done(reform, dt.date(2023, 3, 24), "Quy chế phối hợp sửa đổi và kế hoạch ứng dụng CNTT đã ban hành "
                  "(minh họa).", body, confirmed_on=dt.date(2023, 3, 30), confirmed_by=assigner)
        # 3: done late.
        self.progress(training, dt.date(2022, 11, 15), 50, "Đã mở 2 lớp bồi dưỡng cho cán bộ, công chức phường.", body)
        self.done(training, dt.date(2023, 2, 14), "Báo cáo kết quả đào tạo, bồi dưỡng năm 2022 (gửi muộn do chờ "
                  "tổng hợp các lớp cuối năm; minh họa).", body, confirmed_on=dt.date(2023, 2, 20), confirmed_by=assigner)
        # 4: done on time.
        self.progress(council, dt.date(2023, 3, 15), 60, "Đã ban hành kế hoạch triển khai Đề án 11-ĐA/TU.", body)
        self.done(council, dt.date(2023, 6, 26), "Báo cáo kiện toàn tổ chức bộ máy HĐND Quận (minh họa).", body,
                  confirmed_on=dt.date(2023, 7, 3), confirmed_by=assigner)
        # 5: the Front passes it to the 14 wards; two never finish, so it is still open and overdue.
        self._split_to_wards(front)
        return tasks

    def _split_to_wards(self, front: Task) -> None:
        """The Front's task split to the 14 wards of 2022. ``services.split_task`` checks
        that each ward exists today (it has no day of assignment), and the old wards
        ended on 1/7/2025; so each sub-task is created as ``split_task`` does it,
        through ``create_task`` with the parent and the day of the split."""
        split_on, due = dt.date(2022, 8, 25), dt.date(2023, 3, 31)
        assigner, reviewer = self.district_body, self.district_assigner
        wards = [name for name, _code in longbien.OLD_WARDS]
        subtasks = {
            name: self.assign(
                title=front.title, output=front.expected_output, lead=f"p:{name}", deadline=due, assigned_on=split_on,
                by=assigner, assigned_by=MTTQ, directive=front.directive, parent=front, description=front.description,
                priority=front.priority,
            )
            for name in wards
        }
        for name, task in subtasks.items():
            reporter = self.reporter(f"p:{name}")
            if name in WARD_OPEN or name in WARD_DONE:  # a midway report from a few wards only, to keep loading fast
                self.progress(task, dt.date(2022, 12, 12), 50, "Ban Thường trực UBMTTQ phường đã xây dựng kế hoạch "
                              "giám sát, phối hợp với các đoàn thể.", reporter)
            if name in WARD_OPEN:
                self.progress(task, dt.date(2023, 3, 27), WARD_OPEN[name], "Đã giám sát một phần nội dung; chưa tổng "
                              "hợp báo cáo.", reporter)
                continue
            day = WARD_DONE.get(name, dt.date(2023, 3, 24))
            self.done(task, day, "Báo cáo kết quả giám sát của UBMTTQ phường (minh họa).", reporter,
                      confirmed_on=day + dt.timedelta(days=5), confirmed_by=reviewer)

    # Current work of the new wards, dated from the day the demo is loaded.

    def current(self, day: dt.date) -> None:
        city = self.city
        issued = max(day - dt.timedelta(days=75), longbien.REFORM)
        assigned = issued + dt.timedelta(days=3)
        plan = self.directive(
            kind=Directive.Kind.PLAN, number=CITY_PLAN, issued_on=issued, issuer="hanoi",
            title="Kế hoạch kiện toàn tổ chức, hoạt động của các phường sau sắp xếp đơn vị hành chính, vận hành chính "
                  "quyền địa phương hai cấp (minh họa)",
            text="Văn bản minh họa: số, ngày và nội dung là giả định, không có trong nguồn. Ngày ban hành và thời hạn "
                 "các nhiệm vụ tính theo ngày nạp dữ liệu mẫu, để các trang luôn có việc sắp đến hạn, trong hạn, quá hạn.",
            by=city,
        )
        common: dict[str, Any] = {"assigned_on": assigned, "by": city, "assigned_by": "hanoi", "directive": plan,
                  "description": "Nhiệm vụ minh họa (giả định)."}

        def days(n: int) -> dt.date:
            return day + dt.timedelta(days=n)

        groups = self.assign(
            title="Rà soát, kiện toàn tổ dân phố sau sắp xếp; cập nhật danh sách hộ, nhân khẩu",
            output="Danh sách tổ dân phố, hộ, nhân khẩu đã cập nhật; báo cáo kết quả kiện toàn",
            lead="new:Phúc Lợi", deadline=days(5), **common,
        )
        # The ward passes it on to three residential groups (through the real split: they exist today). No
        # demo account leads the ward, so the split is recorded without a person.
        parts = services.split_task(None, groups, [(self.units[f"tdp:{n}"], days(3)) for n in (1, 2, 3)])
        # split_task assigns on the real today; the story splits a week after the assignment.
        Task.objects.filter(pk__in=[p.pk for p in parts]).update(created_at=_moment(assigned + dt.timedelta(days=7), 8))
        ward_reporter = self.reporter("new:Phúc Lợi")
        self.done(parts[0], days(-4), "Danh sách hộ, nhân khẩu tổ dân phố số 1 đã cập nhật (minh họa).", ward_reporter)
        self.progress(parts[1], days(-6), 70, "Đã cập nhật 70% số hộ.", ward_reporter)
        self.progress(parts[2], days(-2), 30, "Đang rà soát danh sách hộ.", ward_reporter)

        digital = self.assign(
            title="Triển khai tiếp nhận, giải quyết thủ tục hành chính trực tuyến toàn trình tại phường",
            output="Báo cáo tỷ lệ hồ sơ trực tuyến toàn trình; danh mục thủ tục đã triển khai",
            lead="new:Bồ Đề", deadline=days(40), **common,
        )
        self.progress(digital, days(-15), 30, "Đã rà soát danh mục thủ tục; 30% thủ tục đã cung cấp trực tuyến "
                      "toàn trình.", self.reporter("new:Bồ Đề"))

        archive = self.assign(
            title="Chỉnh lý, bàn giao hồ sơ lưu trữ của các phường cũ về phường mới",
            output="Biên bản bàn giao và mục lục hồ sơ lưu trữ",
            lead="new:Việt Hưng", deadline=days(-12), **common,
        )
        viet_hung = self.reporter("new:Việt Hưng")
        self.progress(archive, days(-20), 50, "Đã chỉnh lý hồ sơ của phường Việt Hưng cũ; còn hồ sơ của Gia Thụy, "
                      "Đức Giang, Thượng Thanh.", viet_hung)
        self.extension(archive, days(-14), days(20), "Khối lượng hồ sơ của các phường cũ lớn hơn dự kiến (minh họa).",
                       viet_hung)

        publicity = self.assign(
            title="Công bố công khai địa chỉ trụ sở, bộ phận một cửa và đường dây nóng của phường",
            output="Thông báo công khai trên cổng thông tin và tại trụ sở phường",
            lead="new:Long Biên", deadline=days(-20), **common,
        )
        self.done(publicity, days(-22), "Thông báo đã đăng trên cổng thông tin và niêm yết tại trụ sở (minh họa).",
                  self.reporter("new:Long Biên"), confirmed_on=days(-19), confirmed_by=city)

        budget = self.assign(
            title="Lập dự toán thu, chi ngân sách 6 tháng cuối năm của phường mới",
            output="Dự toán thu, chi ngân sách trình Hội đồng nhân dân phường",
            lead="new:Phúc Lợi", deadline=days(-45), **common,
        )
        self.done(budget, days(-38), "Dự toán đã trình Hội đồng nhân dân phường (minh họa).", ward_reporter,
                  confirmed_on=days(-36), confirmed_by=city)

        hotline = self.assign(
            title="Tổ chức đối thoại với Nhân dân về hoạt động của chính quyền phường sau sắp xếp",
            output="Báo cáo kết quả đối thoại, tổng hợp ý kiến của Nhân dân",
            lead="new:Bồ Đề", deadline=days(10), **common,
        )
        self.done(hotline, days(-2), "Đã tổ chức đối thoại; báo cáo kèm theo (minh họa).", self.reporter("new:Bồ Đề"))

        self._quarterly(day)

    def _quarterly(self, day: dt.date) -> None:
        """A quarterly report of the new Phúc Lợi, due on each quarter's last day from
        quý III/2025, with its occurrences up to a quarter ahead (so the next one is
        open); those already due are done, one of them late."""
        series = self.assign(
            title="Báo cáo kết quả tiếp nhận, giải quyết phản ánh, kiến nghị của người dân (hằng quý)",
            output="Báo cáo quý gửi UBND Thành phố",
            lead="new:Phúc Lợi", deadline=dt.date(2025, 9, 30), assigned_on=dt.date(2025, 7, 15), by=self.city,
            assigned_by="hanoi", recurrence=Task.Recurrence.QUARTERLY,
            description="Nhiệm vụ định kỳ minh họa (giả định): hạn báo cáo là ngày cuối quý.",
        )
        services.create_occurrences(day + dt.timedelta(days=92))
        reporter = self.reporter("new:Phúc Lợi")
        # Left open: an occurrence due within the last week (it may still be reported) and those to come.
        due = [series, *series.occurrences.filter(deadline__lt=day - dt.timedelta(days=7)).order_by("deadline")]
        for index, task in enumerate(due):
            finished = task.deadline + dt.timedelta(days=6 if index == 1 else -2)
            self.done(task, finished, "Báo cáo quý đã gửi UBND Thành phố (minh họa).", reporter,
                      confirmed_on=min(finished + dt.timedelta(days=3), day), confirmed_by=self.city)
