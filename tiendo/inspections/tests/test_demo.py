"""The demo's inspections (seed 002): the inspection of 17/5/2022 with its team and six
recommendations, each a task of the district Party committee assigned on the conclusion
day; every task status among them on the follow-up day; the supervision of 3
organisations and 3 individuals; a second load writes nothing."""

from __future__ import annotations

from django.test import TestCase, override_settings

from tiendo.demo import inspections_data, longbien, users
from tiendo.demo.management.commands.load_demo import _units_by_key
from tiendo.inspections import selectors
from tiendo.inspections.models import Inspection, InspectionPlan, Recommendation
from tiendo.tasks.models import Task
from tiendo.tasks.status import TaskStatus, task_status


@override_settings(TASK_DUE_SOON_DAYS=7)
class DemoInspections(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The tree and the accounts only: the other parts of ``load_demo`` are not needed here.
        units = {**longbien.build_tree(), **_units_by_key()}
        users.ensure_accounts(units)
        cls.units = units
        assert inspections_data.load(units)
        cls.inspection = Inspection.objects.get(team_name=inspections_data.TEAM_NAME)

    def test_the_inspection_has_its_team_subject_and_conclusion(self) -> None:
        inspection = self.inspection
        self.assertEqual(inspection.concluded_on, inspections_data.CONCLUDED)
        self.assertEqual(str(inspection.conducting_unit), "Thành phố Hà Nội")
        leader = inspection.team.get(role="leader")
        self.assertEqual(leader.name, "Nguyễn Thị Tuyến")
        self.assertEqual(inspection.team.count(), 3)
        self.assertEqual([str(s) for s in inspection.subjects.all()], ["Quận ủy Long Biên"])
        self.assertIn("16.300 đảng viên", inspection.strengths)
        self.assertEqual(inspection.plan.year, 2022)

    def test_each_recommendation_is_a_task_of_the_district_committee(self) -> None:
        recommendations = list(self.inspection.recommendations.select_related("task", "unit"))
        self.assertEqual(len(recommendations), 6)
        for r in recommendations:
            self.assertEqual(str(r.task.lead_unit), "Quận ủy Long Biên")
            self.assertEqual(r.task.assigned_by_id, self.inspection.conducting_unit_id)
            self.assertEqual(r.task.deadline, r.deadline)

    def test_every_task_status_appears_among_the_follow_up_tasks(self) -> None:
        day = inspections_data.FOLLOW_UP_DAY
        statuses = {
            task_status(t.deadline, t.completed_on, t.is_confirmed, day)
            for t in Task.objects.filter(recommendation__inspection=self.inspection)
        }
        self.assertEqual(statuses, set(TaskStatus))

    def test_the_list_summarises_the_follow_up_on_the_follow_up_day(self) -> None:
        admin = users.User.objects.get(username="quantri")
        rows = {r.inspection.pk: r for r in selectors.inspection_rows(admin, day=inspections_data.FOLLOW_UP_DAY)}
        self.assertEqual(rows[self.inspection.pk].follow_up.text, "3/6 kiến nghị đã hoàn thành, 1 quá hạn")

    def test_the_supervision_has_three_organisations_and_three_individuals(self) -> None:
        supervision = Inspection.objects.get(kind=Inspection.Kind.SUPERVISION)
        subjects = list(supervision.subjects.all())
        self.assertEqual(sum(1 for s in subjects if s.is_person), 3)
        self.assertEqual(sum(1 for s in subjects if not s.is_person), 3)
        self.assertTrue(all(s.person_name == "" for s in subjects))  # the article names nobody
        self.assertEqual(supervision.recommendations.count(), 3)
        self.assertEqual(InspectionPlan.objects.filter(year=2022).count(), 2)

    def test_a_ward_reporter_sees_the_supervision_of_its_party_committee_only(self) -> None:
        reporter = users.User.objects.get(username="phucloi.baocao")
        titles = {r.inspection.kind for r in selectors.inspection_rows(reporter, day=inspections_data.FOLLOW_UP_DAY)}
        self.assertEqual(titles, {Inspection.Kind.SUPERVISION})

    def test_a_second_load_writes_nothing(self) -> None:
        before = (Inspection.objects.count(), Recommendation.objects.count(), Task.objects.count())
        self.assertFalse(inspections_data.load(self.units))
        self.assertEqual((Inspection.objects.count(), Recommendation.objects.count(), Task.objects.count()), before)
