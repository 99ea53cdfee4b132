"""The Long Biên demo's directives and tasks: the conclusion of 3/8/2022 with its five
tasks and their lead bodies, every status on the pages, split tasks rolled up from
their wards, the city's current tasks to the new wards, and who sees what."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.models import Q, QuerySet
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.demo import longbien, tasks_data, users
from tiendo.lib.dates import today
from tiendo.orgs.models import OrgUnit, UnitVersion, valid_on_q
from tiendo.tasks.models import DeadlineChange, Directive, Task
from tiendo.tasks.selectors import rows
from tiendo.tasks.services import rolled_up_progress
from tiendo.tasks.status import LABELS, TaskStatus

LEADS_2022 = [
    "Văn phòng HĐND và UBND quận",
    "Văn phòng Quận ủy",
    "Ban Tổ chức Quận ủy",
    "Văn phòng HĐND và UBND quận",
    "Ủy ban MTTQ Việt Nam quận",
]


def name_of(unit: OrgUnit) -> str:
    return str(UnitVersion.objects.filter(unit=unit).latest("valid_from").name)


class DemoTasks(TestCase):
    """The demo loaded once for the class (each test runs in a transaction rolled back after it)."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.conclusion = Directive.objects.get(number=tasks_data.CONCLUSION_2022)
        cls.five = list(cls.conclusion.tasks.filter(parent__isnull=True).order_by("pk"))

    def demo_tasks(self) -> QuerySet[Task]:
        """This module's tasks (other demo modules, such as inspections, add their own)."""
        numbers = [*tasks_data.CONCLUSIONS_2018, tasks_data.THONG_TRI, tasks_data.CONCLUSION_2022, tasks_data.CITY_PLAN]
        return Task.objects.filter(
            Q(directive__number__in=numbers) | Q(recurrence=Task.Recurrence.QUARTERLY) | Q(series__recurrence=Task.Recurrence.QUARTERLY)
        )

    def log_in(self, username: str) -> None:
        """Through the login page, with the demo password (as a person trying the demo would)."""
        response = self.client.post(reverse("accounts:login"), {"username": username, "password": users.DEMO_PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]

    def status(self, task: Task) -> TaskStatus:
        return rows([task])[0].status

    def test_thong_tri_03_and_the_conclusion_of_the_review_conference_are_recorded(self):
        circular = Directive.objects.get(number="03-TT/QU")
        assert (circular.kind, circular.issued_on, name_of(circular.issuer)) == (
            Directive.Kind.CIRCULAR, dt.date(2021, 4, 22), "Quận ủy Long Biên"
        )
        assert self.conclusion.kind == Directive.Kind.CONCLUSION_NOTICE
        assert "3/8/2022" in self.conclusion.text
        assert "giả định" in self.conclusion.text  # its number is not in the article
        review = circular.tasks.get()
        assert (review.completed_on, self.status(review)) == (dt.date(2022, 8, 3), TaskStatus.DONE_ON_TIME)

    def test_the_conclusion_sets_the_five_tasks_of_the_seed_to_their_district_bodies(self):
        assert [t.title for t in self.five] == tasks_data.FIVE_TASKS
        assert [name_of(t.lead_unit) for t in self.five] == LEADS_2022
        for task in self.five:
            with self.subTest(task.title[:30]):
                assert name_of(task.assigned_by) == "Quận ủy Long Biên"
                assert "giả định" in task.description  # lead body, output and deadline are assumed

    def test_the_five_tasks_end_differently(self):
        assert [self.status(t) for t in self.five] == [
            TaskStatus.DONE_ON_TIME, TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE, TaskStatus.DONE_ON_TIME,
            TaskStatus.OVERDUE,
        ]

    def test_an_approved_extension_keeps_the_old_deadline_in_its_history(self):
        reform = self.five[1]
        change = reform.deadline_changes.get()
        assert (change.old_deadline, change.new_deadline, change.state) == (
            dt.date(2022, 12, 31), dt.date(2023, 3, 31), DeadlineChange.State.APPROVED
        )
        assert reform.deadline == dt.date(2023, 3, 31)
        assert reform.completed_on is not None and reform.completed_on > change.old_deadline
        assert change.requested_at.date() == dt.date(2022, 12, 20)  # the story's day, not the loading day

    def test_the_fronts_task_is_split_to_the_14_wards_and_rolls_up_their_progress(self):
        front = self.five[4]
        subtasks = list(front.subtasks.all())
        assert {name_of(t.lead_unit) for t in subtasks} == {f"Phường {name}" for name, _code in longbien.OLD_WARDS}
        assert {name_of(t.assigned_by) for t in subtasks} == {"Ủy ban MTTQ Việt Nam quận"}
        # 12 wards finished, Thạch Bàn at 60% and Cự Khối at 40%: (12 × 100 + 60 + 40) / 14 = 92,9.
        assert sorted(t.progress for t in subtasks) == [40, 60, *[100] * 12]
        assert front.progress == 93
        assert front.completed_on is None

    def test_every_split_task_shows_the_average_of_its_subtasks(self):
        parents = self.demo_tasks().filter(subtasks__isnull=False).distinct()
        assert parents.count() == 2  # the Front's task of 2022 and a new ward's task split to residential groups
        for parent in parents:
            with self.subTest(parent.title[:30]):
                assert parent.progress == rolled_up_progress(parent)

    def test_every_status_appears(self):
        found = {row.status for row in rows(self.demo_tasks())}
        assert found == set(LABELS)

    def test_no_task_without_expected_output(self):
        assert self.demo_tasks().count() > 30
        assert not Task.objects.filter(expected_output="").exists()

    def test_seed_000_conclusions_of_the_standing_committee_have_finished_tasks(self):
        directives = Directive.objects.filter(number__in=tasks_data.CONCLUSIONS_2018)
        assert directives.count() == 3
        assert {d.issued_on.year for d in directives} == {2018}
        tasks = Task.objects.filter(directive__in=directives)
        assert tasks.count() >= 6
        assert {self.status(t) for t in tasks} == {TaskStatus.DONE_ON_TIME}
        assert all("giả định" in d.text for d in directives)
        assert tasks.filter(completion_report__contains="32 quy trình cấp Quận").exists()  # the article's figures as evidence

    def test_current_tasks_come_from_the_city_to_wards_that_exist_today(self):
        plan = Directive.objects.get(number=tasks_data.CITY_PLAN)
        city = UnitVersion.objects.get(name="Thành phố Hà Nội").unit
        assert name_of(plan.issuer) == "Thành phố Hà Nội"
        top = plan.tasks.filter(parent__isnull=True)
        assert top.count() >= 5
        for task in top:
            with self.subTest(task.title[:30]):
                assert task.assigned_by == city
                assert task.lead_unit.valid_from >= longbien.REFORM
                assert UnitVersion.objects.filter(valid_on_q(today()), unit=task.lead_unit).exists()
        soon = [t for t in top if self.status(t) == TaskStatus.DUE_SOON]
        assert soon and all(0 <= (t.deadline - today()).days <= 7 for t in soon)
        pending = DeadlineChange.objects.get(task__directive=plan, state=DeadlineChange.State.REQUESTED)
        assert self.status(pending.task) == TaskStatus.OVERDUE

    def test_the_quarterly_task_has_its_occurrences_and_the_next_one_is_open(self):
        series = Task.objects.get(recurrence=Task.Recurrence.QUARTERLY, series__isnull=True)
        occurrences = list(series.occurrences.order_by("deadline"))
        assert [o.deadline for o in occurrences[:3]] == [dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 30)]
        assert occurrences[-1].deadline > today() and occurrences[-1].completed_on is None
        assert self.status(occurrences[0]) == TaskStatus.DONE_LATE

    def test_loading_twice_adds_no_task(self):
        before = (Directive.objects.count(), Task.objects.count())
        call_command("load_demo", verbosity=0)
        assert (Directive.objects.count(), Task.objects.count()) == before

    def test_the_district_office_logs_in_and_sees_the_five_tasks_on_the_conclusions_page(self):
        self.log_in("quan.tonghop")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("tasks:directive", args=[self.conclusion.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        for title in tasks_data.FIVE_TASKS:
            assert title in page
        assert str(LABELS[TaskStatus.DONE_LATE]) in page and str(LABELS[TaskStatus.OVERDUE]) in page
        assert len(queries) <= 15  # 12 for 19 rows (the 14 ward sub-tasks among them): none per row

    def test_the_phuc_loi_reporter_sees_its_wards_task_and_not_another_wards(self):
        self.log_in("phucloi.baocao")
        own = self.five[4].subtasks.get(lead_unit__versions__name="Phường Phúc Lợi")
        other = self.five[4].subtasks.get(lead_unit__versions__name="Phường Cự Khối")
        response = self.client.get(reverse("tasks:list"))
        assert response.status_code == 200
        assert reverse("tasks:detail", args=[own.pk]) in response.content.decode()
        assert reverse("tasks:detail", args=[other.pk]) not in response.content.decode()
        assert self.client.get(reverse("tasks:detail", args=[own.pk])).status_code == 200
        assert self.client.get(reverse("tasks:detail", args=[other.pk])).status_code == 404
        assert self.client.get(reverse("tasks:directive", args=[self.conclusion.pk])).status_code == 200

    def test_the_new_phuc_loi_reporter_has_the_citys_tasks_to_do(self):
        user = User.objects.get(username="phucloimoi.baocao")
        self.client.force_login(user)
        response = self.client.get(reverse("tasks:mine"))
        assert response.status_code == 200
        assert "Rà soát, kiện toàn tổ dân phố sau sắp xếp" in response.content.decode()
