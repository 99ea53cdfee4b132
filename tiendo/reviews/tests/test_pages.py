"""The review pages on the Long Biên demo: create, preview, edit, rewrite, export and
download, each scoped (another ward's reporter gets a 404), refusals shown in
Vietnamese with nothing written, and the report page's queries bounded."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.demo import plans_data
from tiendo.demo.seed_figures import ON_MIDTERM
from tiendo.indicators import services as indicator_services
from tiendo.indicators.models import DataValue, Indicator
from tiendo.plans.models import Program, Resolution
from tiendo.reviews import builder, services
from tiendo.reviews.models import Review, ReviewExport


def change_a_counted_figure(review: Review) -> DataValue:
    """Change by one a figure the report counts: an approved figure of the counted unit,
    of an indicator with an actual, in the latest period begun by the report's day."""
    row = next(r for r in builder.compute(review)["indicators"] if r["actual"] is not None)
    value = (
        DataValue.objects.filter(indicator_id=row["id"], unit=review.unit, is_current=True,
                                 state=DataValue.State.APPROVED, period_start__lte=review.as_of)
        .order_by("-period_start").first()
    )
    assert value is not None
    return indicator_services.record_value(
        User.objects.get(username="quantri"), indicator=value.indicator, unit=review.unit, period=value.period,
        value=value.value - Decimal(1) if value.value >= 1 else value.value + Decimal(1),
        state=DataValue.State.APPROVED, reason="Sửa số liệu",
    )


class ReviewPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.units = plans_data.find_units()
        cls.district = cls.units["quan"]
        cls.resolution = Resolution.objects.get(term_start=2020)
        cls.reviewer = User.objects.get(username="quan.tonghop")
        cls.reporter = User.objects.get(username="phucloi.baocao")
        cls.review = services.create_review(
            cls.reviewer, kind=Review.Kind.MIDTERM, resolution=cls.resolution, period_code="NK2020-2025", as_of=ON_MIDTERM
        )

    def setUp(self) -> None:
        self.client.force_login(self.reviewer)

    def form_data(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": Review.Kind.MIDTERM, "resolution": self.resolution.pk, "period_code": "NK2020-2025",
            "as_of": "18/4/2023", "layout": "",
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def test_list_shows_the_report_and_the_nav_link(self):
        response = self.client.get(reverse("reviews:list"))
        assert response.status_code == 200
        self.assertContains(response, self.review.subject)
        self.assertContains(response, "Báo cáo tổng hợp")
        self.assertContains(response, reverse("reviews:create"))

    def test_creating_from_the_form_writes_the_report_and_shows_seed_001_counts(self):
        response = self.client.post(reverse("reviews:create"), self.form_data())
        review = Review.objects.latest("pk")
        self.assertRedirects(response, reverse("reviews:detail", args=[review.pk]))
        page = self.client.get(reverse("reviews:detail", args=[review.pk]))
        self.assertContains(page, "có 32 chỉ tiêu, trong đó 6 chỉ tiêu thuộc Nghị quyết")
        self.assertContains(page, "đã hoàn thành 24/32 chỉ tiêu, đang thực hiện 8 chỉ tiêu")
        self.assertContains(page, "Bảng 1. Kết quả thực hiện chỉ tiêu theo chương trình")

    def test_bad_input_is_refused_with_vietnamese_messages_and_nothing_written(self):
        program = Program.objects.filter(resolution=self.resolution).first()
        assert program is not None
        count = Review.objects.count()
        cases = [
            (self.form_data(period_code="2023-Q9"), "không đúng dạng"),
            (self.form_data(program=program.pk), "Mỗi báo cáo chỉ về một nội dung"),
            (self.form_data(resolution=None), "Hãy chọn nghị quyết, chương trình hoặc chủ đề"),
            (self.form_data(as_of="1/1/2030"), "nằm ngoài nhiệm kỳ 2020-2025"),
        ]
        for data, message in cases:
            with self.subTest(message):
                response = self.client.post(reverse("reviews:create"), data)
                assert response.status_code == 400
                self.assertContains(response, message, status_code=400)
        assert Review.objects.count() == count

    def test_a_unit_outside_scope_in_the_form_is_a_404_and_nothing_written(self):
        count = Review.objects.count()
        response = self.client.post(reverse("reviews:create"), self.form_data(unit=self.units["hanoi"].pk))
        assert response.status_code == 404
        assert Review.objects.count() == count

    def test_a_ward_reporter_cannot_see_the_district_report_by_guessing_ids(self):
        export = services.request_export(self.reviewer, self.review, ReviewExport.Format.XLSX)
        self.client.force_login(self.reporter)
        assert self.review.subject not in self.client.get(reverse("reviews:list")).content.decode()
        for url in (
            reverse("reviews:detail", args=[self.review.pk]),
            reverse("reviews:export_status", args=[export.pk]),
            reverse("reviews:download", args=[export.pk]),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                assert response.status_code == 404
                self.assertContains(response, "Không tìm thấy", status_code=404)
        for name in ("text", "regenerate", "export"):
            assert self.client.post(reverse(f"reviews:{name}", args=[self.review.pk]), {"format": "docx"}).status_code == 404
        if export.file_path:
            default_storage.delete(export.file_path)

    def test_a_viewer_sees_the_report_but_cannot_edit_it(self):
        self.client.force_login(User.objects.get(username="quan.xem"))
        page = self.client.get(reverse("reviews:detail", args=[self.review.pk]))
        assert page.status_code == 200
        self.assertNotContains(page, "Viết lại từ số liệu</button>")
        before = Review.objects.get(pk=self.review.pk).generated_text
        self.client.post(reverse("reviews:regenerate", args=[self.review.pk]))
        assert Review.objects.get(pk=self.review.pk).generated_text == before

    def test_preview_links_each_indicator_to_its_page(self):
        page = self.client.get(reverse("reviews:detail", args=[self.review.pk]))
        indicator = Indicator.objects.filter(program__resolution=self.resolution).first()
        assert indicator is not None
        self.assertContains(page, f'href="{reverse("indicators:detail", args=[indicator.pk])}"')

    def test_report_page_queries_are_bounded(self):
        url = reverse("reviews:detail", args=[self.review.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for fmt in ReviewExport.Format.values:  # more rows on the page: no more queries
            ReviewExport.objects.create(review=self.review, format=fmt, state=ReviewExport.State.FAILED, message="x")
        with CaptureQueriesContext(connection) as second:
            self.client.get(url)
        assert len(first) <= 30
        assert len(second) == len(first)

    def test_kept_edit_survives_a_change_of_data_with_the_note(self):
        url = reverse("reviews:detail", args=[self.review.pk])
        response = self.client.post(
            reverse("reviews:text", args=[self.review.pk]),
            {"text": "I. KẾT QUẢ\nĐoạn viết tay của chuyên viên.\n[[Bảng 1]]", "keep_edit": "on"},
        )
        self.assertRedirects(response, url)
        page = self.client.get(url)
        self.assertContains(page, "Đoạn viết tay của chuyên viên.")
        self.assertNotContains(page, "Số liệu đã thay đổi từ khi soạn")
        change_a_counted_figure(self.review)
        page = self.client.get(url)
        self.assertContains(page, "Đoạn viết tay của chuyên viên.")
        self.assertContains(page, "Số liệu đã thay đổi từ khi soạn (ngày ")
        self.assertContains(page, "Viết lại từ số liệu")
        self.client.post(reverse("reviews:regenerate", args=[self.review.pk]))
        page = self.client.get(url)
        self.assertNotContains(page, "Đoạn viết tay của chuyên viên.")
        self.assertNotContains(page, "Số liệu đã thay đổi từ khi soạn")

    def test_empty_kept_text_is_refused(self):
        response = self.client.post(reverse("reviews:text", args=[self.review.pk]), {"text": "  ", "keep_edit": "on"})
        self.assertContains(response, "Nội dung báo cáo trống", status_code=400)
        assert not Review.objects.get(pk=self.review.pk).keep_edit

    def test_export_shows_progress_then_the_download(self):
        for fmt in ReviewExport.Format.values:
            with self.subTest(fmt):
                response = self.client.post(reverse("reviews:export", args=[self.review.pk]), {"format": fmt},
                                            headers={"HX-Request": "true"})
                export = ReviewExport.objects.filter(review=self.review, format=fmt).latest("pk")
                assert export.state == ReviewExport.State.DONE, export.message
                self.assertContains(response, reverse("reviews:download", args=[export.pk]))
                download = self.client.get(reverse("reviews:download", args=[export.pk]))
                assert download.status_code == 200
                assert f'filename="bao-cao-{self.review.pk}.{fmt}"' in download["Content-Disposition"]
                assert b"".join(download.streaming_content)[:4] in (b"PK\x03\x04", b"%PDF")
                default_storage.delete(export.file_path)

    def test_a_pending_export_polls_its_status(self):
        export = ReviewExport.objects.create(review=self.review, format=ReviewExport.Format.PDF, progress=40,
                                             state=ReviewExport.State.RUNNING)
        response = self.client.get(reverse("reviews:export_status", args=[export.pk]))
        self.assertContains(response, 'hx-trigger="every 1s"')
        self.assertContains(response, 'value="40"')
        assert self.client.get(reverse("reviews:download", args=[export.pk])).status_code == 404

    def test_an_unknown_format_is_refused(self):
        count = ReviewExport.objects.count()
        response = self.client.post(reverse("reviews:export", args=[self.review.pk]), {"format": "exe"}, follow=True)
        self.assertContains(response, "Định dạng tệp không hợp lệ")
        assert ReviewExport.objects.count() == count

    def test_no_data_says_so_plainly_on_the_page(self):
        ward = self.units["p:Cự Khối"]
        review = services.create_review(self.reviewer, kind=Review.Kind.YEARLY, resolution=self.resolution,
                                        period_code="2022", unit=ward)
        page = self.client.get(reverse("reviews:detail", args=[review.pk]))
        # The notice, the preview and the text offered for editing.
        self.assertContains(page, "Chưa có số liệu của các chỉ tiêu thuộc", count=3)
        self.assertNotContains(page, "Bảng 1.")
