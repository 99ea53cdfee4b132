"""The inspection pages: scope (another ward's inspection is a 404), the list's
follow-up summary and filters, writes through POST with refusals that write nothing,
and query counts that do not grow with inspections or recommendations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.inspections import services
from tiendo.inspections.models import Inspection, InspectionPlan, Recommendation
from tiendo.inspections.tests.conftest import STARTS, recommend
from tiendo.tasks import services as tasks
from tiendo.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_a_ward_sees_its_own_inspection_and_not_another_wards(client, inspection, personas):
    url = reverse("inspections:detail", args=[inspection.pk])
    client.force_login(personas["other_ward_reporter"])
    assert client.get(url).status_code == 404
    assert inspection.title not in client.get(reverse("inspections:list")).content.decode()
    client.force_login(personas["ward_reporter"])
    page = client.get(url).content.decode()
    assert "Đoàn kiểm tra số 2 của Ban Thường vụ Quận ủy" in page
    assert "Nguyễn Văn Trưởng" in page and "Trưởng đoàn" in page
    assert "Bí thư Đảng ủy phường A1" in page


def test_detail_shows_each_recommendation_with_its_task_and_status(client, inspection, tree, personas):
    done = recommend(personas, inspection, tree.ward_a1, "Sửa quy chế làm việc", deadline=dt.date(2024, 4, 30))
    recommend(personas, inspection, tree.ward_a1, "Niêm yết kế hoạch", deadline=dt.date(2024, 5, 31))
    tasks.report_completion(personas["ward_reporter"], done.task, evidence="Quy chế số 05", on=dt.date(2024, 4, 29))
    tasks.confirm_completion(personas["district_reviewer"], done.task)
    client.force_login(personas["district_viewer"])
    page = client.get(reverse("inspections:detail", args=[inspection.pk]), {"ngay": "1/6/2024"}).content.decode()
    assert f'href="/nhiem-vu/{done.task.pk}/"' in page
    assert f'data-testid="status-{done.pk}">Đã hoàn thành đúng hạn<' in page
    assert 'data-testid="follow-up" class="overdue">1/2 kiến nghị đã hoàn thành, 1 quá hạn<' in page
    assert 'data-testid="count-overdue">1<' in page


def test_list_shows_the_follow_up_summary_and_filters_by_year_and_kind(client, inspection, tree, personas):
    recommend(personas, inspection, tree.ward_a1, deadline=dt.date(2024, 4, 30))
    other = services.create_inspection(
        personas["district_reviewer"], kind=Inspection.Kind.SUPERVISION, conducting_unit=tree.district,
        title="Giám sát năm trước", starts_on=dt.date(2023, 9, 1), subjects=[services.SubjectInput(unit=tree.ward_a2)],
    )
    client.force_login(personas["district_viewer"])
    page = client.get(reverse("inspections:list"), {"ngay": "1/5/2024"}).content.decode()
    assert f'data-testid="follow-up-{inspection.pk}" class="overdue">0/1 kiến nghị đã hoàn thành, 1 quá hạn<' in page
    assert f'data-testid="follow-up-{other.pk}">Chưa có kiến nghị<' in page
    page = client.get(reverse("inspections:list"), {"year": "2023"}).content.decode()
    assert other.title in page and inspection.title not in page
    page = client.get(reverse("inspections:list"), {"kind": "inspection"}).content.decode()
    assert other.title not in page and inspection.title in page


def test_adding_a_recommendation_on_the_page_creates_its_task(client, inspection, tree, personas):
    client.force_login(personas["district_reviewer"])
    url = reverse("inspections:detail", args=[inspection.pk])
    response = client.post(url, {
        "action": "recommendation", "text": "Rà soát kế hoạch", "unit": tree.ward_a1.pk, "expected_output": "Kế hoạch",
        "deadline": "30/6/2024",
    })
    assert response.status_code == 302
    task = Recommendation.objects.get().task
    assert (task.lead_unit, task.assigned_by, task.deadline) == (tree.ward_a1, tree.district, dt.date(2024, 6, 30))


def test_a_refused_recommendation_shows_why_and_writes_nothing(client, inspection, tree, personas):
    client.force_login(personas["district_reviewer"])
    response = client.post(reverse("inspections:detail", args=[inspection.pk]), {
        "action": "recommendation", "text": "Rà soát", "unit": tree.ward_a1.pk, "expected_output": "Báo cáo",
        "deadline": "1/3/2024",
    })
    assert response.status_code == 400
    assert "Thời hạn 1/3/2024 trước ngày kết luận 15/3/2024." in response.content.decode()
    assert not Recommendation.objects.exists() and not Task.objects.exists()


def test_a_viewer_sees_no_forms_and_may_not_post(client, inspection, personas):
    client.force_login(personas["district_viewer"])
    url = reverse("inspections:detail", args=[inspection.pk])
    assert 'value="recommendation"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "member", "name": "X", "role": "member"}).status_code == 403


def test_creating_an_inspection_for_a_unit_outside_scope_is_a_404(client, tree, personas):
    client.force_login(personas["district_reviewer"])
    response = client.post(reverse("inspections:create"), {
        "kind": "inspection", "conducting_unit": tree.district.pk, "title": "Kiểm tra", "starts_on": "1/3/2024",
        "subject_units": [tree.ward_b.pk],  # a ward under the city since 2025, outside district A
    })
    assert response.status_code == 404
    assert not Inspection.objects.exists()


def test_creating_a_plan_and_an_inspection_in_it(client, tree, personas):
    client.force_login(personas["district_reviewer"])
    response = client.post(reverse("inspections:plan_create"), {
        "conducting_unit": tree.district.pk, "year": "2024", "number": "05-KH/QU",
        "title": "Kế hoạch kiểm tra, giám sát năm 2024", "issued_on": "5/1/2024",
    })
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("inspections:create"), {
        "kind": "supervision", "conducting_unit": tree.district.pk, "plan": plan.pk, "title": "Giám sát chuyên đề",
        "starts_on": "1/3/2024", "subject_units": [tree.ward_a1.pk, tree.ward_a2.pk],
        "person_position": "Bí thư Đảng ủy phường A2", "person_unit": tree.ward_a2.pk, "leader_name": "Lê Văn D",
    })
    assert response.status_code == 302
    made = Inspection.objects.get()
    assert made.plan == plan and made.subjects.count() == 3 and made.team.get().role == "leader"
    page = client.get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert "Giám sát chuyên đề" in page


def test_an_inspection_out_of_its_plans_year_is_refused(client, tree, personas):
    plan = services.create_plan(
        personas["district_reviewer"], year=2024, conducting_unit=tree.district, title="Kế hoạch 2024",
        issued_on=dt.date(2024, 1, 5),
    )
    client.force_login(personas["district_reviewer"])
    response = client.post(reverse("inspections:create"), {
        "kind": "inspection", "conducting_unit": tree.district.pk, "plan": plan.pk, "title": "Kiểm tra",
        "starts_on": "1/3/2023", "subject_units": [tree.ward_a1.pk],
    })
    assert response.status_code == 400
    assert "không thuộc kế hoạch năm 2024" in response.content.decode()
    assert not Inspection.objects.exists()


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(tree, personas, n: int) -> None:
    for i in range(n):
        made = services.create_inspection(
            personas["district_reviewer"], kind=Inspection.Kind.INSPECTION, conducting_unit=tree.district,
            title=f"Kiểm tra {i}", starts_on=STARTS,
            subjects=[services.SubjectInput(unit=tree.ward_a1), services.SubjectInput(unit=tree.ward_a2)],
        )
        made = services.record_conclusion(personas["district_reviewer"], made, conclusions="K", concluded_on=STARTS)
        recommend(personas, made, tree.ward_a2, deadline=dt.date(2024, 5, 1))


def test_list_query_count_does_not_grow(client, tree, personas, inspection):
    client.force_login(personas["district_viewer"])
    url = reverse("inspections:list")
    _more(tree, personas, 1)
    few = _count(client, url)
    _more(tree, personas, 6)
    assert _count(client, url) == few


def test_detail_query_count_does_not_grow(client, tree, personas, inspection):
    client.force_login(personas["district_reviewer"])  # with the forms
    url = reverse("inspections:detail", args=[inspection.pk])
    recommend(personas, inspection, tree.ward_a1, deadline=dt.date(2024, 5, 1))
    few = _count(client, url)
    for i in range(8):
        recommend(personas, inspection, tree.ward_a1, f"Kiến nghị {i}", deadline=dt.date(2024, 5, 1))
        services.add_team_member(personas["district_reviewer"], inspection, services.MemberInput(f"Thành viên {i}"))
    services.add_subject(personas["district_reviewer"], inspection, services.SubjectInput(unit=tree.ward_a2))
    assert _count(client, url) == few
