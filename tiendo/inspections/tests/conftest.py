"""An inspection of district A over ward A1, conducted on 4/3/2024 and concluded on
15/3/2024, with its team; built through the services like everything else."""

from __future__ import annotations

import datetime as dt

import pytest

from tiendo.inspections import services
from tiendo.inspections.models import Inspection, TeamMember

STARTS = dt.date(2024, 3, 4)
CONCLUDED = dt.date(2024, 3, 15)


@pytest.fixture
def inspection(tree, personas) -> Inspection:
    made = services.create_inspection(
        personas["district_reviewer"], kind=Inspection.Kind.INSPECTION, conducting_unit=tree.district,
        title="Kiểm tra việc thực hiện Quy định 37-QĐ/TW tại phường A1", starts_on=STARTS,
        ends_on=dt.date(2024, 3, 8), team_name="Đoàn kiểm tra số 2 của Ban Thường vụ Quận ủy",
        subjects=[
            services.SubjectInput(unit=tree.ward_a1),
            services.SubjectInput(person_position="Bí thư Đảng ủy phường A1", person_unit=tree.ward_a1),
        ],
        team=[
            services.MemberInput("Nguyễn Văn Trưởng", "Phó Bí thư Quận ủy", TeamMember.Role.LEADER),
            services.MemberInput("Trần Thị Thư", "Chuyên viên", TeamMember.Role.SECRETARY),
        ],
    )
    return services.record_conclusion(
        personas["district_reviewer"], made, conclusions="Phường A1 thực hiện nghiêm túc; cần khắc phục một số hạn chế.",
        concluded_on=CONCLUDED, strengths="Niêm yết công khai kế hoạch tu dưỡng.", shortcomings="Chậm báo cáo.",
    )


def recommend(personas, inspection, unit, text="Khắc phục hạn chế", *, deadline: dt.date, output="Báo cáo khắc phục"):
    return services.add_recommendation(
        personas["district_reviewer"], inspection, text=text, unit=unit, deadline=deadline, expected_output=output
    )
