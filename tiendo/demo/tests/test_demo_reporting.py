"""The Long Biên demo's quarterly reporting: the rounds tell the story the issue gives
(12 of 14 wards sent quý IV/2024, 10 on time), every approved report keeps the rules,
the current round is half done, and the rollups add up the wards."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Max
from django.test import TestCase

from tiendo.audit.models import AuditEntry
from tiendo.demo import reporting_data, users
from tiendo.indicators import rollups
from tiendo.indicators.models import DataValue, Indicator, Source
from tiendo.lib import periods
from tiendo.lib.dates import local_date, today
from tiendo.lib.expressions import compile_rule
from tiendo.orgs.models import OrgUnit, UnitVersion
from tiendo.reporting import services
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

State = Submission.State
MODELS = [DataSet, DataSetIndicator, ValidationRule, Schedule, Round, Submission, SubmissionVersion, ReturnedValue,
          Notification, Indicator, DataValue, Source, User, AuditEntry]


def unit_name(unit: OrgUnit) -> str:
    return str(UnitVersion.objects.filter(unit=unit).latest("valid_from").name)


class DemoReporting(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.data_set = DataSet.objects.get(code=reporting_data.DATA_SET_CODE)
        cls.district = UnitVersion.objects.get(name="Quận Long Biên").unit
        cls.city = UnitVersion.objects.get(name="Thành phố Hà Nội").unit

    def round(self, code: str) -> Round:
        period = periods.parse(code)
        return Round.objects.select_related("reviewing_unit").get(data_set=self.data_set, period_start=period.start)

    def figures(self, submission: Submission) -> dict[str, DataValue]:
        return {row.indicator.code: row for row in services.current_figures(submission).values()}

    def test_the_data_set_has_quarterly_ward_indicators_marked_as_illustrative_where_invented(self):
        indicators = list(self.data_set.indicators.all())
        assert 8 <= len(indicators) <= 12
        for indicator in indicators:
            with self.subTest(indicator.code):
                assert indicator.frequency == "quarter"
                assert indicator.program is None
                assert indicator.definition and indicator.how_to_count and indicator.unit_of_measure
                assert indicator.min_value == 0
                assert indicator.illustrative == (indicator.code != "TONG_TDP")
                assert ("(minh họa)" in indicator.name) == indicator.illustrative
        assert {r.expression for r in self.data_set.rules.all()} >= {"GD_VANHOA <= TONG_HO", "HS_DUNG_HAN <= HS_TIEP_NHAN"}
        for rule in self.data_set.rules.all():
            compile_rule(rule.expression)

    def test_quarter_iv_2024_twelve_of_fourteen_wards_sent_and_ten_on_time(self):
        round_ = self.round("2024-Q4")
        assert (round_.reviewing_unit, round_.opens_on, round_.due_on) == (
            self.district, dt.date(2024, 12, 21), dt.date(2025, 1, 10)
        )
        submissions = list(round_.submissions.select_related("round"))
        sent = [s for s in submissions if s.first_submitted_at is not None]
        on_time = [s for s in sent if local_date(s.first_submitted_at) <= round_.due_on]
        assert (len(submissions), len(sent), len(on_time)) == (14, 12, 10)
        assert [s.on_time for s in sent].count(True) == 10
        unsent = {unit_name(s.unit) for s in submissions if s.first_submitted_at is None}
        assert unsent == {"Phường Sài Đồng", "Phường Thạch Bàn"}
        late = {unit_name(s.unit): s.submitted_late_days for s in sent if not s.on_time}
        assert late == {"Phường Cự Khối": 3, "Phường Ngọc Thụy": 7}

    def test_rounds_follow_the_units_validity_and_the_two_schedules(self):
        sizes = {r.period.code: (r.reviewing_unit, r.submissions.count()) for r in Round.objects.filter(data_set=self.data_set)}
        assert sizes == {
            **dict.fromkeys(["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"], (self.district, 14)),
            **dict.fromkeys(["2025-Q1", "2025-Q2"], (self.district, 13)),
            **dict.fromkeys(reporting_data.NEW_PERIODS, (self.city, 4)),
        }
        assert self.round("2024-Q3").due_on == dt.date(2024, 10, 10)
        assert self.round("2024-Q3").opens_on == dt.date(2024, 9, 20)
        new_wards = {unit_name(s.unit) for s in self.round("2026-Q3").submissions.all()}
        assert new_wards == {"Phường Long Biên", "Phường Bồ Đề", "Phường Việt Hưng", "Phường Phúc Lợi"}
        assert all(s.unit.valid_from >= dt.date(2025, 7, 1) for s in self.round("2025-Q3").submissions.all())
        old, new = Schedule.objects.filter(data_set=self.data_set).order_by("starts_on")
        assert (old.ends_on, old.is_active, new.ends_on, new.is_active) == (dt.date(2025, 6, 30), False, None, True)
        for schedule in (old, new):
            rounds = set(schedule.rounds.values_list("period_start", "opens_on", "due_on"))
            expected = {(p.start, o, d) for p, o, d in services.schedule_periods(schedule, reporting_data.DEMO_TODAY)}
            assert rounds == expected

    def test_the_scheduler_opens_nothing_more_today_and_quarter_iv_2026_on_21_12_2026(self):
        count = Round.objects.count()
        assert services.open_scheduled_rounds(reporting_data.DEMO_TODAY) == []
        assert Round.objects.count() == count
        new = Schedule.objects.get(data_set=self.data_set, is_active=True)
        period, opens, due = services.schedule_periods(new, dt.date(2026, 12, 21))[-1]
        assert (period.code, opens, due) == ("2026-Q4", dt.date(2026, 12, 21), dt.date(2027, 1, 10))

    def test_every_approved_submission_keeps_the_rules_and_is_complete(self):
        rules = [compile_rule(rule.expression) for rule in self.data_set.rules.all()]
        codes = set(self.data_set.indicators.values_list("code", flat=True))
        approved = Submission.objects.filter(round__data_set=self.data_set, state=State.APPROVED).select_related("round")
        assert approved.count() == 14 * 3 + 12 + 13 * 2 + 4 * 4 + 2
        for submission in approved:
            figures = self.figures(submission)
            assert set(figures) == codes, submission
            assert {row.state for row in figures.values()} == {DataValue.State.APPROVED}
            values = {code: row.value for code, row in figures.items()}
            for rule in rules:
                assert rule.evaluate(values) is True, (submission, rule.expression)
            assert values["NS_THU_LUY_KE"] <= values["NS_DU_TOAN"] * Decimal("1.2")

    def test_the_current_round_is_partly_approved_one_waits_for_review_one_is_late(self):
        round_ = self.round(reporting_data.CURRENT_ROUND)
        assert round_.due_on == dt.date(2026, 10, 10) < today()
        states = {unit_name(s.unit): s for s in round_.submissions.select_related("round")}
        assert {name: s.state for name, s in states.items()} == {
            "Phường Long Biên": State.APPROVED,
            "Phường Bồ Đề": State.APPROVED,
            "Phường Việt Hưng": State.SUBMITTED,
            "Phường Phúc Lợi": State.DRAFT,
        }
        waiting = states["Phường Việt Hưng"]
        assert waiting.reviewed_at is None and waiting.submitted_late_days == 40
        late = states["Phường Phúc Lợi"]
        assert late.first_submitted_at is None and late.versions.count() == 0
        assert 0 < len(self.figures(late)) < self.data_set.indicators.count()
        reviewer = User.objects.get(username="thanhpho.tonghop")
        unread = Notification.objects.filter(recipient=reviewer, read_at__isnull=True)
        assert list(unread.values_list("submission", flat=True)) == [waiting.pk]

    def test_two_reports_were_returned_corrected_and_restated(self):
        restated = SubmissionVersion.objects.filter(submission__round__data_set=self.data_set, number=2)
        cases = {(s.submission.round.period.code, unit_name(s.submission.unit)): s for s in restated}
        assert set(cases) == {("2024-Q3", "Phường Giang Biên"), ("2026-Q1", "Phường Bồ Đề")}
        for (_code, _name), version in cases.items():
            submission = version.submission
            assert submission.state == State.APPROVED
            returned = ReturnedValue.objects.get(submission=submission)
            assert returned.resolved_at is not None and returned.comment in version.reason
            changed = services.version_differences(version)
            assert [code for code, _before, _after in changed] == [returned.indicator.code]
            first = submission.versions.get(number=1)
            assert first.sent_at < returned.returned_at < version.sent_at < submission.reviewed_at
            assert submission.first_submitted_at == first.sent_at

    def test_history_is_dated_by_the_story_not_by_the_loading(self):
        for round_ in Round.objects.filter(data_set=self.data_set):
            for submission in round_.submissions.all():
                for version in submission.versions.all():
                    assert round_.opens_on <= local_date(version.sent_at) <= reporting_data.DEMO_TODAY
                if submission.reviewed_at is not None:
                    assert submission.submitted_at is not None
                    assert submission.first_submitted_at <= submission.reviewed_at <= submission.updated_at
        rows = DataValue.objects.filter(indicator__data_sets=self.data_set).select_related("indicator")
        rounds = {r.period_start: r for r in Round.objects.filter(data_set=self.data_set)}
        for row in rows:
            assert rounds[row.period_start].opens_on <= local_date(row.entered_at) <= reporting_data.DEMO_TODAY, row

    def test_each_ward_reports_through_its_own_reporter_and_reviewers_approve(self):
        for submission in Submission.objects.filter(round__data_set=self.data_set).exclude(first_submitted_at=None):
            reporter = submission.submitted_by
            assert reporter is not None
            assert services.may_report(reporter, submission)
            assert users.reporter_username(self._key(submission.unit)) == reporter.username
            if submission.state == State.APPROVED:
                assert submission.reviewed_by is not None and services.may_review(submission.reviewed_by, submission)
        entered_by = DataValue.objects.filter(indicator__data_sets=self.data_set).values_list("entered_by", flat=True)
        assert None not in set(entered_by)

    def _key(self, unit: OrgUnit) -> str:
        prefix = "new" if unit.valid_from >= dt.date(2025, 7, 1) else "p"
        return f"{prefix}:{unit_name(unit).removeprefix('Phường ')}"

    def test_an_approved_quarter_rolls_up_to_the_sum_of_its_wards(self):
        for code, subject in (("2024-Q3", self.district), ("2024-Q4", self.district), ("2026-Q2", self.city)):
            period = periods.parse(code)
            for indicator in self.data_set.indicators.all():
                with self.subTest(code=code, indicator=indicator.code):
                    rows = DataValue.objects.filter(
                        indicator=indicator, period_kind="quarter", period_start=period.start, is_current=True,
                        state=DataValue.State.APPROVED,
                    )
                    assert rows.exists()
                    figure = rollups.value(indicator, subject, period)
                    assert figure.value == sum(row.value for row in rows)
                    assert figure.units_reporting == rows.count()

    def test_households_change_slowly_and_sai_dong_passes_into_phuc_loi_and_phuc_dong(self):
        series = reporting_data.all_series()
        for key, quarters in series.items():
            codes = list(quarters)
            for before, after in itertools.pairwise(codes):
                grown = quarters[after]["TONG_HO"] - quarters[before]["TONG_HO"]
                absorbed = reporting_data.ABSORBED.get((after, key), (0, 0, ""))[0]
                assert 0 <= grown - absorbed <= quarters[before]["TONG_HO"] * 0.01, (key, after)
        assert series["p:Phúc Lợi"]["2024-Q4"]["TONG_TDP"] == 14 + 11
        assert sum(s["2024-Q1"]["TONG_TDP"] for k, s in series.items() if k.startswith("p:")) == 294
        assert reporting_data.all_series() == series  # seeded: the same every run

    def test_loading_twice_changes_nothing(self):
        def state() -> list[tuple[int, int | None]]:
            return [(m.objects.count(), m.objects.aggregate(last=Max("pk"))["last"]) for m in MODELS]

        before = state()
        call_command("load_demo", verbosity=0)
        assert state() == before
