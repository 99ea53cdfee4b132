"""The review builder on the Long Biên demo: the mid-term report states the program
counts of the mid-term article (seed 001) from computed statuses, follows the data
when they change, keeps a user's edit with a note, and says so plainly when there
are no figures. Also the services' refusals and the background export."""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tiendo.audit.models import AuditEntry
from tiendo.demo import plans_data
from tiendo.demo.seed_figures import ON_MIDTERM
from tiendo.indicators import services as indicator_services
from tiendo.indicators.models import DataValue, Indicator
from tiendo.lib import periods
from tiendo.plans.models import Program, Resolution
from tiendo.reviews import builder, services
from tiendo.reviews import document as doc
from tiendo.reviews.models import Review, ReviewExport
from tiendo.reviews.tests.test_pages import change_a_counted_figure


def text_of(document: doc.OfficialDocument) -> str:
    return "\n".join(b.text for b in document.body if isinstance(b, (doc.Heading, doc.Paragraph)))


def table(document: doc.OfficialDocument, number: int) -> doc.Table:
    return next(b for b in document.body if isinstance(b, doc.Table) and b.title.startswith(f"Bảng {number}."))


class MidTermReport(TestCase):
    """The demo loaded once for the module's class; each test is rolled back after it."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.units = plans_data.find_units()
        cls.district = cls.units["quan"]
        cls.resolution = Resolution.objects.get(term_start=2020)
        cls.reviewer = User.objects.get(username="quan.tonghop")
        cls.review = services.create_review(
            cls.reviewer, kind=Review.Kind.MIDTERM, resolution=cls.resolution, period_code="NK2020-2025", as_of=ON_MIDTERM
        )

    def fresh_document(self, review: Review | None = None) -> doc.OfficialDocument:
        review = review or Review.objects.get(pk=self.review.pk)
        return builder.compose(review, builder.compute(review))

    def test_defaults_follow_the_issuing_party_committee(self):
        review = self.review
        assert review.issuer == self.units[plans_data.QUAN_UY]
        assert review.unit == self.district  # the committee's figures are the district's
        assert review.layout == Review.Layout.PARTY
        assert (review.issuing_body, review.superior_body, review.symbol, review.place) == (
            "QUẬN ỦY LONG BIÊN", "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "BC/QU", "Long Biên",
        )
        assert review.subject.startswith("Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội")
        assert AuditEntry.objects.filter(content_type__model="review", object_id=str(review.pk)).exists()

    def test_narrative_states_the_program_counts_of_seed_001(self):
        text = text_of(self.fresh_document())
        assert "Chương trình số 01-CTr/QU" in text and "có 19 chỉ tiêu, trong đó 3 chỉ tiêu thuộc Nghị quyết" in text
        assert "Chương trình số 02-CTr/QU" in text
        assert "có 32 chỉ tiêu, trong đó 6 chỉ tiêu thuộc Nghị quyết" in text
        assert "đã hoàn thành 24/32 chỉ tiêu, đang thực hiện 8 chỉ tiêu" in text
        assert "Riêng các chỉ tiêu thuộc Nghị quyết Đại hội: đã đạt 3/6 chỉ tiêu, đang thực hiện 3 chỉ tiêu" in text
        assert "có 14 chỉ tiêu, trong đó 1 chỉ tiêu thuộc Nghị quyết" in text
        assert "đã hoàn thành 8/14 chỉ tiêu, đang thực hiện 6 chỉ tiêu" in text
        # Program 03's in-progress six are illustrative in the demo: the text says they are assumed.
        assert "là minh họa, giả định" in text
        assert [b.text for b in self.fresh_document().body if isinstance(b, doc.Heading) and b.level == 1] == [
            "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "II. HẠN CHẾ, NGUYÊN NHÂN", "III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI",
        ]

    def test_the_document_is_vietnamese_for_a_user_reading_the_interface_in_english(self):
        with translation.override("en"):
            review = services.create_review(
                self.reviewer, kind=Review.Kind.MIDTERM, resolution=self.resolution, period_code="NK2020-2025",
                as_of=ON_MIDTERM,
            )
            document = self.fresh_document(review)
            assert translation.get_language() == "en"  # the user's language is back after the document
        assert (review.superior_body, review.subject[:12]) == ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "Sơ kết giữa ")
        text = text_of(document)
        assert "đã hoàn thành 24/32 chỉ tiêu, đang thực hiện 8 chỉ tiêu" in text and "indicators" not in text
        assert table(document, 2).title.startswith(builder.INDICATOR_TABLE_PREFIX)

    def test_tables_state_the_same_counts_and_every_indicator(self):
        document = self.fresh_document()
        by_program = {row.cells[0]: row.cells for row in table(document, 1).rows}
        assert by_program["02-CTr/QU"][1:4] == (32, 24, 8)
        assert by_program["02-CTr/QU"][6:8] == (6, 3)
        assert by_program["03-CTr/QU"][1:3] == (14, 8)
        assert by_program["Tổng cộng"][1] == 65
        indicator_rows = [r for r in table(document, 2).rows if not r.heading]
        assert len(indicator_rows) == 65
        assert "giả định" in table(document, 2).note
        assert any(isinstance(b, doc.Chart) for b in document.body)
        assert document.header.subject == self.review.subject and document.draft

    def test_achievements_quote_actual_over_target(self):
        text = text_of(self.fresh_document())
        assert "2. Những chỉ tiêu đạt và vượt" in text
        assert "/" in text.split("2. Những chỉ tiêu đạt và vượt")[1].splitlines()[2]

    def test_changing_a_value_and_regenerating_changes_the_narrative(self):
        review = Review.objects.get(pk=self.review.pk)
        before = text_of(self.fresh_document(review))
        # Make one in-progress program 02 indicator lag far behind, with a cause.
        snapshot = builder.compute(review)
        row = next(r for r in snapshot["indicators"] if r["status"] == "on_track" and r["actual"] and r["target"])
        indicator = Indicator.objects.get(pk=row["id"])
        current = DataValue.objects.filter(indicator=indicator, is_current=True, unit=self.district).latest("period_start")
        low = Decimal(row["target"]) / 10 if indicator.direction == Indicator.Direction.HIGHER else Decimal(row["target"]) * 10
        admin = User.objects.get(username="quantri")
        indicator_services.record_value(
            admin, indicator=indicator, unit=self.district, period=current.period, value=low.quantize(Decimal(1)),
            state=DataValue.State.APPROVED, note="Thiếu quỹ đất để triển khai", reason="Cập nhật số liệu",
        )
        fresh = builder.compute(review)
        assert fresh["fingerprint"] != review.fingerprint
        after = text_of(builder.compose(review, fresh))
        assert after != before
        assert indicator.name in after.split("II. HẠN CHẾ, NGUYÊN NHÂN")[1]
        assert "Thiếu quỹ đất để triển khai" in after
        regenerated = services.regenerate(self.reviewer, review)
        assert regenerated.fingerprint == fresh["fingerprint"]
        assert "Thiếu quỹ đất để triển khai" in regenerated.generated_text

    def test_a_kept_edit_survives_a_change_of_data_with_a_note(self):
        review = services.update_text(self.reviewer, self.review, "I. KẾT QUẢ\nĐoạn do chuyên viên viết lại.\n[[Bảng 1]]")
        assert review.keep_edit
        unchanged = self.fresh_document(review)
        assert "Đoạn do chuyên viên viết lại." in text_of(unchanged)
        assert not any("Số liệu đã thay đổi" in n for n in unchanged.notes)
        change_a_counted_figure(review)
        document = self.fresh_document(review)
        assert "Đoạn do chuyên viên viết lại." in text_of(document)
        assert any(n.startswith("Số liệu đã thay đổi từ khi soạn (ngày ") and "Viết lại từ số liệu" in n for n in document.notes)
        assert any(isinstance(b, doc.Table) for b in document.body)  # the marker still draws the table

    def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(self):
        program = Program.objects.filter(resolution=self.resolution).first()
        count, audit = Review.objects.count(), AuditEntry.objects.count()
        cases = [
            ({"period_code": "2023-Q7", "resolution": self.resolution}, "không đúng dạng"),
            ({"period_code": "NK2020-2025", "resolution": self.resolution, "program": program}, "Mỗi báo cáo chỉ về một nội dung"),
            ({"period_code": "NK2020-2025"}, "Hãy chọn nghị quyết, chương trình hoặc chủ đề"),
            ({"period_code": "2022", "resolution": self.resolution, "as_of": dt.date(2023, 1, 5)}, "nằm ngoài năm 2022"),
        ]
        for kwargs, message in cases:
            with self.subTest(message), pytest.raises(ValidationError) as refused:
                services.create_review(self.reviewer, kind=Review.Kind.MIDTERM, **kwargs)
            assert message in " ".join(refused.value.messages)
        assert (Review.objects.count(), AuditEntry.objects.count()) == (count, audit)

    def test_a_ward_reporter_cannot_issue_a_district_report(self):
        reporter = User.objects.get(username="phucloi.baocao")
        with pytest.raises(ValidationError) as refused:
            services.create_review(reporter, kind=Review.Kind.YEARLY, resolution=self.resolution, period_code="2022")
        assert "không có quyền lập báo cáo" in " ".join(refused.value.messages)
        with pytest.raises(ValidationError):
            services.update_text(reporter, self.review, "x")

    def test_compute_runs_a_bounded_number_of_queries(self):
        review = Review.objects.select_related("unit", "resolution").get(pk=self.review.pk)
        with CaptureQueriesContext(connection) as queries:
            builder.compute(review)
        # Units, indicators, targets, rollup, estimates, causes (+ versions), wards (+ versions),
        # ward rollup, tasks (+ units, versions): fixed, whatever the number of rows.
        assert len(queries) <= 16

    def test_a_yearly_report_judges_the_year(self):
        review = services.create_review(self.reviewer, kind=Review.Kind.YEARLY, resolution=self.resolution, period_code="2022")
        assert review.as_of == dt.date(2022, 12, 31) and review.period == periods.year(2022)
        assert "năm 2022" in review.subject

    def test_export_runs_once_even_when_claimed_twice(self):
        export = ReviewExport.objects.create(review=self.review, format=ReviewExport.Format.XLSX)
        calls = []

        def fake_writer(fmt):
            return lambda document: calls.append(document) or b"PK-fake"

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(services, "writer", fake_writer)
            assert services.run_export(export.pk) is True
            assert services.run_export(export.pk) is False
            assert services.run_pending_exports() == 0
        export.refresh_from_db()
        assert len(calls) == 1
        assert (export.state, export.progress, export.size) == (ReviewExport.State.DONE, 100, 7)
        assert default_storage.open(export.file_path).read() == b"PK-fake"
        assert export.file_path.startswith("reviews/") and export.file_path.endswith(".xlsx")  # a generated name
        default_storage.delete(export.file_path)

    def test_two_threads_claiming_the_same_export_run_it_once(self):
        export = ReviewExport.objects.create(review=self.review, format=ReviewExport.Format.DOCX)
        results = [services.claim(export.pk), services.claim(export.pk)]
        assert results == [True, False]
        assert ReviewExport.objects.get(pk=export.pk).state == ReviewExport.State.RUNNING
        assert threading  # the web process's path is start_in_thread; claim is what guards it

    def test_run_jobs_picks_up_exports_left_queued_and_fails_those_cut_off(self):
        from tiendo.reporting import reminders

        queued = ReviewExport.objects.create(review=self.review, format=ReviewExport.Format.XLSX)
        cut_off = ReviewExport.objects.create(review=self.review, format=ReviewExport.Format.PDF,
                                              state=ReviewExport.State.RUNNING)
        ReviewExport.objects.filter(pk=cut_off.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(services, "writer", lambda fmt: lambda document: b"PK-fake")
            summary = reminders.run(today=dt.date(2023, 4, 18))
        queued.refresh_from_db()
        cut_off.refresh_from_db()
        assert queued.state == ReviewExport.State.DONE
        assert cut_off.state == ReviewExport.State.FAILED and "Hãy bấm xuất lại" in cut_off.message
        assert "Báo cáo tổng hợp: đã xuất 1 tệp còn chờ." in summary.lines
        default_storage.delete(queued.file_path)

    def test_outside_tests_the_export_starts_in_a_thread_after_the_commit(self):
        started = []
        with pytest.MonkeyPatch.context() as patch, override_settings(REVIEW_EXPORT_INLINE=False):
            patch.setattr(services, "start_in_thread", started.append)
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                export = services.request_export(self.reviewer, self.review, ReviewExport.Format.DOCX)
                again = services.request_export(self.reviewer, self.review, ReviewExport.Format.DOCX)
            assert started == []  # nothing before the commit
            for callback in callbacks:
                callback()
        assert started == [export.pk] and again.pk == export.pk  # the same file already queued is not queued twice
        assert ReviewExport.objects.get(pk=export.pk).state == ReviewExport.State.QUEUED

    def test_a_failed_export_says_why_in_vietnamese(self):
        export = ReviewExport.objects.create(review=self.review, format=ReviewExport.Format.PDF)

        def broken(fmt):
            def write(document):
                raise RuntimeError("font missing")
            return write

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(services, "writer", broken)
            services.run_export(export.pk)
        export.refresh_from_db()
        assert export.state == ReviewExport.State.FAILED
        assert export.message == "Không xuất được tệp PDF: font missing"
        assert not export.file_path

    def test_the_docx_states_the_counts_of_seed_001(self):
        from docx import Document

        export = services.request_export(self.reviewer, self.review, ReviewExport.Format.DOCX)
        assert export.state == ReviewExport.State.DONE, export.message
        with default_storage.open(export.file_path) as stored:
            word = Document(io.BytesIO(stored.read()))
        text = "\n".join(p.text for p in word.paragraphs)
        cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
        assert "có 32 chỉ tiêu, trong đó 6 chỉ tiêu thuộc Nghị quyết" in text
        assert "đã hoàn thành 24/32 chỉ tiêu, đang thực hiện 8 chỉ tiêu" in text
        assert "02-CTr/QU" in cells and "32" in cells and "24" in cells
        default_storage.delete(export.file_path)


class NoData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.reviewer = User.objects.get(username="quan.tonghop")
        cls.resolution = Resolution.objects.get(term_start=2020)

    def test_no_figures_in_scope_say_so_plainly(self):
        # No target or figure of the resolution's indicators is held by this ward.
        ward = plans_data.find_units()["p:Cự Khối"]
        review = services.create_review(self.reviewer, kind=Review.Kind.YEARLY, resolution=self.resolution,
                                        period_code="2022", unit=ward)
        snapshot = builder.compute(review)
        assert not snapshot["has_data"]
        document = builder.compose(review, snapshot)
        text = text_of(document)
        assert "Chưa có số liệu của các chỉ tiêu thuộc" in text
        assert "0 chỉ tiêu" not in text and "hoàn thành" not in text
        assert not any(isinstance(b, (doc.Table, doc.Chart)) for b in document.body)
