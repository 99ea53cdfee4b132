"""Inspections through the services: creation with subjects and team, recommendations
that become exactly one follow-up task, refusals that write nothing, scope, and the
follow-up summary on a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tiendo.audit.models import AuditEntry
from tiendo.inspections import selectors, services
from tiendo.inspections.models import Inspection, InspectionSubject, Recommendation, TeamMember
from tiendo.inspections.tests.conftest import CONCLUDED, STARTS, recommend
from tiendo.tasks import services as tasks
from tiendo.tasks.models import Task

pytestmark = pytest.mark.django_db


def _written() -> tuple[int, int, int, int]:
    return (Inspection.objects.count(), Recommendation.objects.count(), Task.objects.count(), AuditEntry.objects.count())


def test_inspection_is_recorded_with_subjects_team_and_audit(inspection, tree):
    assert inspection.concluded_on == CONCLUDED
    subjects = list(inspection.subjects.order_by("pk"))
    assert subjects[0].unit == tree.ward_a1 and not subjects[0].is_person
    assert subjects[1].is_person and subjects[1].person_position == "Bí thư Đảng ủy phường A1"
    assert [m.role for m in inspection.team.order_by("pk")] == [TeamMember.Role.LEADER, TeamMember.Role.SECRETARY]
    # One row for the inspection, two subjects, two members, and the conclusion's update.
    assert AuditEntry.objects.filter(content_type__app_label="inspections").count() == 6


def test_a_recommendation_creates_exactly_one_task_for_the_addressed_unit(inspection, tree, personas):
    before = Task.objects.count()
    recommendation = recommend(personas, inspection, tree.ward_a1, "Rà soát kế hoạch tu dưỡng", deadline=dt.date(2024, 6, 30))
    assert Task.objects.count() == before + 1
    task = recommendation.task
    assert task.lead_unit == tree.ward_a1
    assert task.assigned_by == tree.district
    assert task.deadline == dt.date(2024, 6, 30)
    assert task.title == "Rà soát kế hoạch tu dưỡng"
    assert task.expected_output == "Báo cáo khắc phục"
    assert task.recommendation == recommendation


def test_deadline_before_the_conclusion_is_refused_and_nothing_written(inspection, tree, personas):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        recommend(personas, inspection, tree.ward_a1, deadline=CONCLUDED - dt.timedelta(days=1))
    assert refused.value.message_dict["deadline"] == ["Thời hạn 14/3/2024 trước ngày kết luận 15/3/2024."]
    assert _written() == before


def test_the_task_services_refusal_comes_back_and_nothing_is_written(inspection, tree, personas):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        recommend(personas, inspection, tree.ward_a1, deadline=dt.date(2024, 6, 30), output="  ")
    assert "Cần nêu sản phẩm của nhiệm vụ" in refused.value.message_dict["expected_output"][0]
    assert _written() == before


def test_a_recommendation_goes_only_to_an_inspected_unit(inspection, tree, personas):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        recommend(personas, inspection, tree.ward_a2, deadline=dt.date(2024, 6, 30))
    assert refused.value.message_dict["unit"] == ["Đơn vị thực hiện kiến nghị phải là đối tượng của cuộc kiểm tra, giám sát."]
    assert _written() == before


def test_no_recommendation_before_the_conclusion(tree, personas):
    made = services.create_inspection(
        personas["district_reviewer"], kind=Inspection.Kind.SUPERVISION, conducting_unit=tree.district,
        title="Giám sát chuyên đề", starts_on=STARTS, subjects=[services.SubjectInput(unit=tree.ward_a2)],
    )
    with pytest.raises(ValidationError, match="chưa có kết luận"):
        recommend(personas, made, tree.ward_a2, deadline=dt.date(2024, 6, 30))
    assert not Task.objects.exists()


def test_a_subject_is_a_unit_or_a_person_never_both_nor_neither(tree, personas):
    before = _written()
    for subject in (
        services.SubjectInput(unit=tree.ward_a1, person_name="Nguyễn Văn A"),
        services.SubjectInput(),
    ):
        with pytest.raises(ValidationError) as refused:
            services.create_inspection(
                personas["district_reviewer"], kind=Inspection.Kind.INSPECTION, conducting_unit=tree.district,
                title="Kiểm tra", starts_on=STARTS, subjects=[subject],
            )
        assert "Đối tượng là một tổ chức hoặc một cá nhân" in refused.value.message_dict["subjects"][0]
    assert _written() == before


def test_the_database_refuses_a_subject_with_both_unit_and_person(inspection, tree):
    row = InspectionSubject(inspection=inspection, unit=tree.ward_a2, person_name="Nguyễn Văn B")
    with pytest.raises(ValidationError, match="không ghi cả hai"):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_no_inspection_without_a_subject_and_only_one_leader(tree, personas):
    with pytest.raises(ValidationError) as refused:
        services.create_inspection(
            personas["district_reviewer"], kind=Inspection.Kind.INSPECTION, conducting_unit=tree.district, title="Kiểm tra",
            starts_on=STARTS, subjects=[],
            team=[services.MemberInput("A", role=TeamMember.Role.LEADER), services.MemberInput("B", role=TeamMember.Role.LEADER)],
        )
    errors = refused.value.message_dict
    assert errors["subjects"] == ["Cần có ít nhất một đối tượng kiểm tra, giám sát (tổ chức hoặc cá nhân)."]
    assert errors["team"] == ["Mỗi đoàn chỉ có một trưởng đoàn."]
    assert not Inspection.objects.exists()


def test_a_second_leader_is_refused(inspection, personas):
    with pytest.raises(ValidationError) as refused:
        services.add_team_member(personas["district_reviewer"], inspection, services.MemberInput("Lê Văn C", role="leader"))
    assert refused.value.message_dict["role"] == ["Mỗi đoàn chỉ có một trưởng đoàn."]


@pytest.mark.parametrize("who", ["ward_reporter", "district_viewer", "outsider"])
def test_only_the_conducting_units_managers_and_reviewers_write(tree, personas, who):
    with pytest.raises(ValidationError, match="không có quyền ghi kiểm tra, giám sát của “Quận A”"):
        services.create_inspection(
            personas[who], kind=Inspection.Kind.INSPECTION, conducting_unit=tree.district, title="Kiểm tra",
            starts_on=STARTS, subjects=[services.SubjectInput(unit=tree.ward_a1)],
        )
    assert not Inspection.objects.exists()


def test_a_ward_cannot_name_a_subject_outside_its_scope(tree):
    from tiendo.accounts.models import Role
    from tiendo.testing import make_user

    ward_reviewer = make_user("a1.tonghop", Role.REVIEWER, tree.ward_a1)
    with pytest.raises(ValidationError, match="nằm ngoài phạm vi của bạn"):
        services.create_inspection(
            ward_reviewer, kind=Inspection.Kind.SUPERVISION, conducting_unit=tree.ward_a1, title="Giám sát",
            starts_on=STARTS, subjects=[services.SubjectInput(unit=tree.ward_a2)],
        )
    assert not Inspection.objects.exists()


def test_conclusion_before_the_start_or_after_a_deadline_is_refused(inspection, tree, personas):
    with pytest.raises(ValidationError) as refused:
        services.record_conclusion(
            personas["district_reviewer"], inspection, conclusions="Kết luận", concluded_on=STARTS - dt.timedelta(days=1)
        )
    assert refused.value.message_dict["concluded_on"] == ["Ngày kết luận 3/3/2024 trước ngày bắt đầu 4/3/2024."]
    recommend(personas, inspection, tree.ward_a1, deadline=dt.date(2024, 4, 1))
    with pytest.raises(ValidationError, match="thời hạn trước ngày kết luận"):
        services.record_conclusion(personas["district_reviewer"], inspection, conclusions="K", concluded_on=dt.date(2024, 4, 2))
    inspection.refresh_from_db()
    assert inspection.concluded_on == CONCLUDED


def _finish(personas, recommendation, on: dt.date, *, confirm: bool = True) -> None:
    tasks.report_completion(personas["ward_reporter"], recommendation.task, evidence="Báo cáo số 12/BC-ĐU", on=on)
    if confirm:
        tasks.confirm_completion(personas["district_reviewer"], recommendation.task)


def test_follow_up_counts_done_on_time_late_and_overdue(inspection, tree, personas):
    june = dt.date(2024, 6, 30)
    on_time = [recommend(personas, inspection, tree.ward_a1, f"Kiến nghị {i}", deadline=june) for i in range(2)]
    late = recommend(personas, inspection, tree.ward_a1, "Kiến nghị trễ", deadline=dt.date(2024, 4, 30))
    overdue = recommend(personas, inspection, tree.ward_a1, "Kiến nghị quá hạn", deadline=dt.date(2024, 5, 31))
    recommend(personas, inspection, tree.ward_a1, "Kiến nghị còn hạn", deadline=dt.date(2024, 12, 31))
    for r in on_time:
        _finish(personas, r, dt.date(2024, 6, 20))
    _finish(personas, late, dt.date(2024, 5, 10))
    _finish(personas, overdue, dt.date(2024, 6, 1), confirm=False)  # reported, not yet confirmed: still overdue

    [row] = selectors.inspection_rows(personas["district_reviewer"], day=dt.date(2024, 7, 1))
    assert (row.follow_up.total, row.follow_up.done, row.follow_up.done_late, row.follow_up.overdue) == (5, 3, 1, 1)
    assert row.follow_up.text == "3/5 kiến nghị đã hoàn thành, 1 quá hạn"
    # Judged before the deadline of May, nothing is overdue yet.
    [earlier] = selectors.inspection_rows(personas["district_reviewer"], day=dt.date(2024, 5, 20))
    assert earlier.follow_up.overdue == 0
