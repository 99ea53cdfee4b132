"""The Long Biên demo holds every figure of the seed articles, with its article as
source, and its programs reproduce from computed statuses the counts the articles state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Max
from django.test import TestCase

from tiendo.audit.models import AuditEntry
from tiendo.demo import plans_data
from tiendo.demo.seed_figures import (
    ARTICLES,
    ASSUMED_COUNTS,
    COUNTS,
    DERIVED,
    NOT_STORED,
    ON_MIDTERM,
    SEED_FIGURES,
    TREE_COUNTS,
)
from tiendo.indicators import rollups
from tiendo.indicators.evaluation import count, evaluate
from tiendo.indicators.models import DataValue, Indicator, Source, Target
from tiendo.lib import periods
from tiendo.orgs.models import UnitVersion, valid_on_q
from tiendo.plans.models import BoardMember, Plan, PlanItem, Priority, Program, Resolution, Theme

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
MODELS = [Resolution, Priority, Program, BoardMember, Theme, Plan, PlanItem, Source, Indicator, Target, DataValue,
          AuditEntry]


def _flat(text: str) -> str:
    """Whitespace as one plain space: the articles use non-breaking spaces here and there."""
    return " ".join(text.split())


def test_every_quote_is_in_its_article_and_every_number_in_its_quote():
    if not SEEDS.is_dir():
        pytest.skip("the seed articles are not next to the repository")
    texts = {seed: _flat((SEEDS / article.file).read_text(encoding="utf-8")) for seed, article in ARTICLES.items()}
    for seed, article in ARTICLES.items():
        assert _flat(article.title) in texts[seed]
    for entry in [*SEED_FIGURES, *COUNTS, *TREE_COUNTS]:
        assert _flat(entry.quote) in texts[entry.seed], entry
        assert entry.written.replace(" ", "") in entry.quote.replace(" ", ""), entry
    for seed, quote, _reason in NOT_STORED:
        assert _flat(quote.strip("()")) in texts[seed]


class DemoFigures(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.units = plans_data.find_units()
        cls.district = cls.units["quan"]

    def program(self, number: str, term_start: int = 2020) -> Program:
        return Program.objects.get(number=number, resolution__term_start=term_start)

    def computed(self, what: tuple[str, str]) -> int:
        kind, key = what
        if kind == "programs":
            start = int(key[:4])
            return Program.objects.filter(resolution__term_start=start).count()
        if kind == "priorities":
            return Priority.objects.filter(resolution__term_start=int(key[:4])).count()
        indicators = list(self.program(key).indicators.all())
        if kind == "indicators":
            return len(indicators)
        if kind == "in_resolution":
            return sum(i.in_resolution for i in indicators)
        if kind.startswith("resolution_"):
            indicators = [i for i in indicators if i.in_resolution]
            kind = kind.removeprefix("resolution_")
        counts = count(evaluate(indicators, self.district, on=ON_MIDTERM))
        return counts.done if kind == "done" else counts.in_progress

    def test_program_counts_of_the_mid_term_article_follow_from_computed_statuses(self):
        for entry in [*COUNTS, *ASSUMED_COUNTS]:
            with self.subTest(entry.quote):
                assert self.computed(entry.what) == entry.value

    def test_every_program_indicator_has_a_status_on_the_article_date(self):
        for number in ("01-CTr/QU", "02-CTr/QU", "03-CTr/QU"):
            statuses = count(evaluate(list(self.program(number).indicators.all()), self.district, on=ON_MIDTERM))
            assert statuses.done + statuses.in_progress == statuses.total

    def test_named_indicators_have_the_status_the_article_gives_them(self):
        specs = {s.code: s for s in (*plans_data.P01, *plans_data.P02, *plans_data.P03) if not s.illustrative}
        indicators = list(Indicator.objects.filter(code__in=specs))
        for evaluation in evaluate(indicators, self.district, on=ON_MIDTERM):
            with self.subTest(evaluation.indicator.code):
                assert evaluation.status == specs[evaluation.indicator.code].expect
        # Seed 001: "một số chỉ tiêu đạt và vượt kế hoạch hằng năm như: Phát triển Đảng; tỷ lệ đảng viên và tỷ lệ tổ
        # chức Đảng hoàn thành tốt nhiệm vụ trở lên; tỷ lệ hồ sơ thủ tục hành chính trả trước hạn".
        named = ["CT01_PHAT_TRIEN_DANG", "CT01_DANG_VIEN_HTTNV", "CT01_TO_CHUC_DANG_HTTNV", "CT01_TTHC_TRUOC_HAN"]
        assert all(e.status.done for e in evaluate(list(Indicator.objects.filter(code__in=named)), self.district,
                                                   on=ON_MIDTERM))

    def test_program_03_resolution_indicator_is_among_the_achieved(self):
        flagged = list(self.program("03-CTr/QU").indicators.filter(in_resolution=True))
        assert [e.status.done for e in evaluate(flagged, self.district, on=ON_MIDTERM)] == [True]

    def assert_from_article(self, source: Source | None, seed: str) -> None:
        assert source is not None
        assert source.kind == Source.Kind.ARTICLE
        assert (source.title, source.published_on, source.publisher) == (
            ARTICLES[seed].title, ARTICLES[seed].published_on, ARTICLES[seed].publisher,
        )

    def current_value(self, code: str, unit_key: str, period_code: str) -> DataValue:
        period = periods.parse(period_code)
        return DataValue.objects.select_related("source").get(
            indicator__code=code, unit=self.units[unit_key], period_kind=period.kind.value,
            period_start=period.start, is_current=True,
        )

    def target(self, code: str, unit_key: str, period_code: str) -> Target:
        period = periods.parse(period_code)
        return Target.objects.select_related("source").get(
            indicator__code=code, unit=self.units[unit_key], period_kind=period.kind.value, period_start=period.start,
        )

    def test_every_seed_figure_is_stored_with_its_article_as_source(self):
        for figure in SEED_FIGURES:
            with self.subTest(f"{figure.seed} {figure.quote} {figure.written}"):
                row = self.current_value(figure.indicator, figure.unit, figure.period)
                assert row.state == DataValue.State.APPROVED
                assert row.measured_on == figure.measured_on
                if figure.stored_as == "value":
                    assert row.value == figure.value
                    self.assert_from_article(row.source, figure.seed)
                else:  # "đạt 88,94% chỉ tiêu chương trình"
                    assert figure.stored_as == "share_of_target"
                    target = self.target(figure.indicator, figure.unit, figure.period)
                    assert (row.value / target.value * 100).quantize(Decimal("0.01")) == figure.value
                    self.assert_from_article(target.source, figure.seed)
        for derived in DERIVED:
            with self.subTest(derived.how):
                if derived.stored_as == "value":
                    row = self.current_value(derived.indicator, derived.unit, derived.period)
                    assert (row.value, row.measured_on) == (derived.value, derived.measured_on)
                    self.assert_from_article(row.source, derived.seed)
                else:
                    target = self.target(derived.indicator, derived.unit, derived.period)
                    assert target.value == derived.value
                    assert "9,25 / 0,8894" in target.clause
                    self.assert_from_article(target.source, derived.seed)

    def test_every_seed_figure_shows_on_its_value_page_in_vietnamese_format(self):
        from django.contrib.auth.models import User
        from django.urls import reverse

        from tiendo.lib.vn import format_number

        self.client.force_login(User.objects.get(username="quantri"))
        for figure in SEED_FIGURES:
            with self.subTest(f"{figure.seed} {figure.written}"):
                row = self.current_value(figure.indicator, figure.unit, figure.period)
                page = self.client.get(reverse("indicators:value", args=[row.pk])).content.decode()
                assert format_number(row.value) in page, (figure.written, format_number(row.value))
                assert row.source.title in page or row.source.title.replace('"', "&quot;") in page

    def test_no_figure_claims_an_article_it_is_not_listed_under(self):
        listed = {(f.indicator, f.unit, f.period) for f in [*SEED_FIGURES, *DERIVED]}
        keys = {unit.pk: key for key, unit in self.units.items()}
        for row in DataValue.objects.filter(source__kind=Source.Kind.ARTICLE).select_related("indicator"):
            assert (row.indicator.code, keys[row.unit_id], row.period.code) in listed, row
        for target in Target.objects.filter(source__kind=Source.Kind.ARTICLE).select_related("indicator"):
            assert (target.indicator.code, keys[target.unit_id], target.period.code) in listed, target

    def test_one_source_per_article_and_one_for_illustrative_figures(self):
        for seed in ARTICLES:
            self.assert_from_article(Source.objects.get(title=ARTICLES[seed].title), seed)
        estimate = Source.objects.get(kind=Source.Kind.ESTIMATE)
        assert estimate.title == "Số liệu minh họa – không có trong nguồn"

    def test_illustrative_indicators_say_so_and_have_only_illustrative_figures(self):
        illustrative = Indicator.objects.filter(illustrative=True, program__isnull=False)  # the programs' own
        assert illustrative.count() == (19 - 5) + (32 - 8) + (14 - 5)
        for indicator in illustrative:
            with self.subTest(indicator.code):
                assert "(minh họa)" in indicator.name
                assert indicator.values.exists()
                assert set(indicator.values.values_list("source__kind", flat=True)) == {Source.Kind.ESTIMATE}
                assert set(indicator.targets.values_list("source__kind", flat=True)) == {Source.Kind.ESTIMATE}
        assert not Indicator.objects.filter(illustrative=False, name__contains="minh họa").exists()

    def test_targets_are_set_for_the_term_on_the_district_citing_the_resolution_or_program(self):
        term = periods.term(2020, 2025)
        for program in Program.objects.filter(resolution__term_start=2020):
            for indicator in program.indicators.all():
                target = indicator.targets.get()
                assert (target.unit, target.period) == (self.district, term)
                assert program.number in target.clause
                assert ("Nghị quyết Đại hội" in target.clause) == indicator.in_resolution

    def test_some_illustrative_indicators_have_ward_figures_that_roll_up_to_the_district(self):
        wards = {v.unit_id for v in UnitVersion.objects.filter(valid_on_q(dt.date(2022, 6, 1)), unit__kind="ward",
                                                                 parent=self.district)}
        assert len(wards) == 14
        for code in plans_data.WARD_LEVEL:
            indicator = Indicator.objects.get(code=code)
            for period in (periods.year(2021), periods.year(2022)):
                rows = DataValue.objects.filter(indicator=indicator, period_start=period.start, is_current=True)
                assert {r.unit_id for r in rows} == wards
                values = [r.value for r in rows]
                expected = sum(values) if indicator.unit_aggregation == "sum" else sum(values) / len(values)
                assert rollups.value(indicator, self.district, period).value == expected

    def test_ratio_of_the_veterans_supervision_is_computed_from_121_and_212(self):
        ratio = Indicator.objects.get(code=plans_data.RATIO[0])
        figure = rollups.value(ratio, self.district, periods.year(2018))
        assert figure.value is not None
        assert figure.value.quantize(Decimal("0.01")) == Decimal("57.08")

    def test_tree_holds_the_unit_counts_the_articles_state(self):
        for entry in TREE_COUNTS:
            children = UnitVersion.objects.filter(valid_on_q(entry.on), parent=self.units[entry.parent],
                                                  unit__kind=entry.kind)
            assert children.count() == entry.value, entry

    def test_resolution_priorities_and_programs_are_those_of_seed_001(self):
        resolution = Resolution.objects.get(congress_number=4)
        assert (resolution.term_label, resolution.issuer) == ("2020-2025", self.units["b:Quận ủy Long Biên"])
        assert [p.number for p in resolution.programs.all()] == ["01-CTr/QU", "02-CTr/QU", "03-CTr/QU"]
        assert self.program("01-CTr/QU").priority.number == 1
        assert self.program("03-CTr/QU").priority.number == 2
        assert self.program("02-CTr/QU").title.startswith("Nâng cao chất lượng cuộc sống người dân")
        assert resolution.priorities.get(number=2).title.startswith("Tiếp tục hoàn thiện hệ thống hạ tầng đô thị")

    def test_every_program_has_a_board_and_assumed_roles_say_so(self):
        named = {"Đường Hoài Nam", "Nguyễn Mạnh Hà"}
        for program in Program.objects.filter(resolution__term_start=2020):
            members = list(program.board.all())
            assert members and members[0].role == BoardMember.Role.HEAD
            for member in members:
                assert "minh họa" in member.position
                assert member.full_name in named or member.full_name.startswith("Đại diện ")

    def test_2018_themes_link_to_the_programs_of_their_time_and_plans_name_their_models(self):
        system = Theme.objects.get(year=2018, title__startswith="Nâng cao hiệu lực")
        green = Theme.objects.get(year=2018, title__startswith="Vì một Long Biên")
        assert sorted(p.number for p in system.programs.all()) == ["01-CTr/QU", "02-CTr/QU"]
        assert [p.number for p in green.programs.all()] == ["03-CTr/QU"]
        assert {p.resolution.term_label for p in [*system.programs.all(), *green.programs.all()]} == {"2015-2020"}
        assert (system.issuer, green.issuer) == (self.units["hanoi"], self.district)
        assert Plan.objects.filter(year=2018).count() == 4
        tdp13 = PlanItem.objects.get(title__contains="(TDP 13)")
        assert tdp13.responsible_unit == self.units["tdp:13"]
        assert tdp13.plan.unit == self.units["p:Phúc Lợi"] and tdp13.plan.theme == green
        linked = set(PlanItem.objects.exclude(indicator=None).values_list("indicator__code", flat=True))
        linked |= {plans_data.RATIO[3]}  # the total of "121/212" is linked through the ratio
        assert {f.indicator for f in SEED_FIGURES if f.seed in ("000", "004")} <= linked

    def test_loading_twice_changes_nothing(self):
        def state() -> list[tuple[int, int | None]]:
            return [(m.objects.count(), m.objects.aggregate(last=Max("pk"))["last"]) for m in MODELS]

        before = state()
        call_command("load_demo", verbosity=0)
        assert state() == before

