"""Excel and CSV data entry through the pages: download a template, fill it, upload
it. Who may download what (out of scope is a 404), the round trip, and every bad
file refused with a Vietnamese message and nothing written."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tiendo.audit.models import AuditEntry
from tiendo.indicators.models import DataValue, Indicator
from tiendo.lib import periods
from tiendo.reporting import services
from tiendo.reporting.models import Submission
from tiendo.reporting.spreadsheets import CODES_SHEET
from tiendo.testing import build_reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def template_url(setup, submission) -> str:
    return reverse("reporting:template", args=[setup.round.pk, submission.unit_id])


def download(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: Client, setup, content: bytes, name: str = "bao-cao.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("reporting:upload", args=[setup.round.pk]), {"file": file})


def written() -> tuple[int, int]:
    return DataValue.objects.count(), AuditEntry.objects.count()


def refused(response, *fragments: str) -> list[tuple[str, str]]:
    """The page's problems as (where, message), after checking each fragment is in one."""
    assert response.status_code == 400, response.status_code
    problems = [(p.where, p.message) for p in response.context["problems"]]
    for fragment in fragments:
        assert any(fragment in f"{where}: {message}" for where, message in problems), (fragment, problems)
    assert "Chưa lưu số liệu nào" in response.content.decode()
    return problems


def filled_a1(setup, client: Client, **cells) -> bytes:
    workbook = download(client, template_url(setup, setup.a1))
    sheet = workbook["Phường A1"]
    for reference, value in cells.items():
        sheet[reference] = value
    return to_bytes(workbook)


def save(setup, user, submission, **values):
    by_code = {i.code: i for i in (setup.households, setup.cultured, setup.rate)}
    services.save_figures(user, [services.Entry(submission, by_code[c], Decimal(v)) for c, v in values.items()])


def approved_a1(setup, personas):
    reporter = personas["ward_reporter"]
    save(setup, reporter, setup.a1, TONG_HO="1200", GD_VANHOA="1000")
    services.submit(reporter, setup.a1)
    services.approve(personas["district_reviewer"], setup.a1)


# --- Round trip ----------------------------------------------------------------------------


def test_reporter_downloads_fills_uploads_and_sees_the_figures(setup, personas):
    reporter = personas["ward_reporter"]
    client = client_for(reporter)
    content = filled_a1(setup, client, F7=1200, F8="1.000", F9=82.3, G9="Ước thực hiện")
    response = upload(client, setup, content)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.changed, result.unchanged) == (3, 0)
    assert reverse("reporting:form", args=[setup.round.pk, setup.a1.unit_id]) in response.content.decode()
    rows = DataValue.objects.filter(unit=setup.a1.unit, is_current=True).order_by("indicator__code")
    assert [(r.indicator.code, r.value, r.note, r.state, r.entered_by) for r in rows] == [
        ("GD_VANHOA", Decimal(1000), "", DataValue.State.DRAFT, reporter),
        ("TL_THU_NS", Decimal("82.3"), "Ước thực hiện", DataValue.State.DRAFT, reporter),
        ("TONG_HO", Decimal(1200), "", DataValue.State.DRAFT, reporter),
    ]
    assert all(r.period == periods.parse("2024-Q3") for r in rows)
    # Shown again: the template is prefilled, and so is the unit's form.
    sheet = download(client, template_url(setup, setup.a1))["Phường A1"]
    assert [sheet["F7"].value, sheet["F8"].value, sheet["F9"].value, sheet["G9"].value] == [1200, 1000, 82.3, "Ước thực hiện"]
    form = client.get(reverse("reporting:form", args=[setup.round.pk, setup.a1.unit_id]))
    assert form.status_code == 200 and "1.200" in form.content.decode()
    # Uploading the same file again changes nothing.
    again = upload(client, setup, content)
    assert (again.context["result"].changed, again.context["result"].unchanged) == (0, 3)


def test_district_office_fills_every_ward_in_one_workbook(setup, personas):
    client = client_for(personas["district_admin"])
    workbook = download(client, reverse("reporting:round_template", args=[setup.round.pk]))
    assert workbook.sheetnames == ["Phường A1", "Phường A2", "Hướng dẫn", CODES_SHEET]
    workbook["Phường A1"]["F7"] = 1200
    workbook["Phường A2"]["F7"] = 800
    workbook["Phường A2"]["F9"] = 91.5
    response = upload(client, setup, to_bytes(workbook), "quan-a.xlsx")
    assert response.status_code == 200 and response.context["result"].changed == 3
    assert [u["name"] for u in response.context["result_units"]] == ["Phường A1", "Phường A2"]
    assert DataValue.objects.get(unit=setup.a2.unit, indicator=setup.rate).value == Decimal("91.5")


def test_round_template_narrowed_to_the_units_asked_for(setup, personas):
    client = client_for(personas["district_admin"])
    url = reverse("reporting:round_template", args=[setup.round.pk]) + f"?don_vi={setup.a2.unit_id}"
    assert download(client, url).sheetnames == ["Phường A2", "Hướng dẫn", CODES_SHEET]


def test_csv_upload(setup, personas):
    client = client_for(personas["ward_reporter"])
    content = "\ufeffma_don_vi;ma_chi_tieu;gia_tri;ghi_chu\nP001;TONG_HO;21.327;\nP001;TL_THU_NS;82,3;Ước tính\n".encode()
    response = upload(client, setup, content, "xuat-tu-he-thong.csv")
    assert response.status_code == 200 and response.context["result"].changed == 2
    assert DataValue.objects.get(unit=setup.a1.unit, indicator=setup.households).value == Decimal(21327)


def test_upload_page_has_the_form_and_the_templates(setup, personas):
    response = client_for(personas["district_admin"]).get(reverse("reporting:upload", args=[setup.round.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert reverse("reporting:round_template", args=[setup.round.pk]) in html
    assert template_url(setup, setup.a1) in html and template_url(setup, setup.a2) in html


def test_an_unchanged_approved_figure_in_a_reuploaded_template_is_fine(setup, personas):
    approved_a1(setup, personas)
    client = client_for(personas["ward_reporter"])
    before = written()
    response = upload(client, setup, filled_a1(setup, client))  # the prefilled, locked 1200 and 1000
    assert response.status_code == 200
    assert (response.context["result"].changed, response.context["result"].unchanged) == (0, 2)
    assert written() == before


# --- Who may download and upload -------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(setup):
    for url in (
        template_url(setup, setup.a1),
        reverse("reporting:round_template", args=[setup.round.pk]),
        reverse("reporting:upload", args=[setup.round.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_reporter_cannot_read_another_wards_template(setup, personas):
    client = client_for(personas["ward_reporter"])
    assert client.get(template_url(setup, setup.a2)).status_code == 404
    url = reverse("reporting:round_template", args=[setup.round.pk]) + f"?don_vi={setup.a2.unit_id}"
    assert client.get(url).status_code == 404
    # Without ?don_vi=, only the reporter's own ward.
    assert download(client, reverse("reporting:round_template", args=[setup.round.pk])).sheetnames[0] == "Phường A1"


@pytest.mark.parametrize("persona", ["outsider", "new_ward_viewer", "city_viewer"])
def test_users_outside_the_round_get_404(setup, personas, persona):
    client = client_for(personas[persona])
    assert client.get(template_url(setup, setup.a1)).status_code == 404
    assert client.get(reverse("reporting:round_template", args=[setup.round.pk])).status_code == 404
    assert client.get(reverse("reporting:upload", args=[setup.round.pk])).status_code == 404
    assert upload(client, setup, b"ma_don_vi;ma_chi_tieu;gia_tri\nP001;TONG_HO;1\n", "a.csv").status_code == 404


def test_unknown_round_or_unit_is_404(setup, personas):
    client = client_for(personas["system_admin"])
    assert client.get(reverse("reporting:template", args=[setup.round.pk + 99, setup.a1.unit_id])).status_code == 404
    assert client.get(reverse("reporting:template", args=[setup.round.pk, 99999])).status_code == 404
    # A unit that exists but does not report in the round.
    url = reverse("reporting:round_template", args=[setup.round.pk]) + f"?don_vi={setup.a1.unit.pk + 1000}"
    assert client.get(url).status_code == 404


def test_reviewer_reads_every_template_locked(setup, personas):
    client = client_for(personas["district_reviewer"])
    workbook = download(client, reverse("reporting:round_template", args=[setup.round.pk]))
    assert workbook.sheetnames[:2] == ["Phường A1", "Phường A2"]
    assert workbook["Phường A1"]["F7"].protection.locked
    assert download(client, template_url(setup, setup.a2))["Phường A2"]["F7"].protection.locked


def test_ward_reporter_uploading_a_file_made_for_another_ward_is_refused(setup, personas):
    # The district office's template for ward A2, passed on to ward A1's reporter.
    a2_template = download(client_for(personas["district_admin"]), template_url(setup, setup.a2))
    a2_template["Phường A2"]["F7"] = 900
    before = written()
    response = upload(client_for(personas["ward_reporter"]), setup, to_bytes(a2_template))
    refused(response, "Trang “Phường A2”: Bạn không có quyền báo cáo cho “Phường A2 (P002)”.")
    assert written() == before


# --- Bad files -------------------------------------------------------------------------------


@pytest.fixture
def reporter_client(personas) -> Client:
    return client_for(personas["ward_reporter"])


def test_template_of_another_round_is_refused(setup, tree, personas, reporter_client):
    other = services.open_round(
        None, data_set=setup.data_set, period=periods.parse("2024-Q2"), reviewing_unit=tree.district,
        units=[tree.ward_a1, tree.ward_a2], opens_on=periods.parse("2024-Q2").start, due_on=periods.parse("2024-Q3").start,
    )
    workbook = download(reporter_client, reverse("reporting:template", args=[other.pk, setup.a1.unit_id]))
    workbook["Phường A1"]["F7"] = 1200
    before = written()
    refused(upload(reporter_client, setup, to_bytes(workbook)), "mẫu của một đợt báo cáo khác (bộ chỉ tiêu “TIEN_DO_QUY”, kỳ 2024-Q2)")
    assert written() == before


def test_template_naming_a_unit_outside_the_round_is_refused(setup, tree, reporter_client):
    workbook = download(reporter_client, template_url(setup, setup.a1))
    codes = workbook[CODES_SHEET]
    row = next(r for r in codes.iter_rows() if r[0].value == "trang")
    row[2].value = tree.tdp_a1_1.pk  # a residential group of the ward: not a unit of this round
    workbook["Phường A1"]["F7"] = 1200
    before = written()
    refused(upload(reporter_client, setup, to_bytes(workbook)), "không phải đơn vị báo cáo trong đợt")
    assert written() == before


def test_text_in_a_number_cell_is_refused(setup, reporter_client):
    before = written()
    response = upload(reporter_client, setup, filled_a1(setup, reporter_client, F7=1200, F8="khoảng một nghìn"))
    problems = refused(response, "Trang “Phường A1”, ô F8: Ô F8: “khoảng một nghìn” không phải là số")
    assert len(problems) == 1
    assert written() == before


def test_a_formula_is_refused(setup, reporter_client):
    before = written()
    response = upload(reporter_client, setup, filled_a1(setup, reporter_client, F7=1200, F8="=F7*0.8"))
    refused(response, "Ô F8 chứa công thức “=F7*0.8”; hãy thay bằng giá trị")
    assert written() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda wb: wb.remove(wb["Phường A1"]), "Thiếu trang tính “Phường A1” của mẫu"),
        (lambda wb: setattr(wb["Phường A1"], "title", "A1 đã sửa"), "Thiếu trang tính “Phường A1” của mẫu"),
        (lambda wb: wb.remove(wb[CODES_SHEET]), "Không thấy trang mã ẩn “Mã”"),
        (lambda wb: setattr(wb[CODES_SHEET], "title", "Ma"), "Không thấy trang mã ẩn “Mã”"),
        (lambda wb: wb["Phường A1"].insert_rows(8), "Dòng 8 không còn là dòng của chỉ tiêu “GD_VANHOA”"),
    ],
    ids=["deleted sheet", "renamed sheet", "deleted codes sheet", "renamed codes sheet", "inserted row"],
)
def test_a_broken_template_is_refused(setup, reporter_client, change, message):
    workbook = download(reporter_client, template_url(setup, setup.a1))
    workbook["Phường A1"]["F7"] = 1200
    change(workbook)
    before = written()
    refused(upload(reporter_client, setup, to_bytes(workbook)), message)
    assert written() == before


def test_a_renamed_sheet_is_also_named_as_ignored(setup, reporter_client):
    workbook = download(reporter_client, template_url(setup, setup.a1))
    workbook["Phường A1"].title = "A1 đã sửa"
    response = upload(reporter_client, setup, to_bytes(workbook))
    assert [(w.where, w.message) for w in response.context["warnings"]] == [
        ("Trang “A1 đã sửa”", "Trang tính này không thuộc mẫu; bị bỏ qua.")
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "bao-cao.xlsx", "Tệp trống (0 byte)"),
        (b"", "bao-cao.csv", "Tệp trống (0 byte)"),
        (b"Day khong phai la tep Excel", "bao-cao.xlsx", "Tệp không phải là tệp Excel (.xlsx) hợp lệ"),
        (None, "bao-cao.xlsx", "Tệp không đọc được như tệp Excel"),  # a zip, but not a workbook
        (b"PK", "bao-cao.xls", "Chỉ nhận tệp Excel dạng .xlsx"),
        (b"ma_don_vi", "bao-cao.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc tệp CSV (.csv)."),
    ],
    ids=["empty xlsx", "empty csv", "not excel", "zip not workbook", "xls", "pdf"],
)
def test_files_that_are_not_templates(setup, reporter_client, content, name, message):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xin-chao.txt", "xin chào")
        content = buffer.getvalue()
    before = written()
    refused(upload(reporter_client, setup, content, name), message)
    assert written() == before


def test_an_empty_workbook_is_refused(setup, reporter_client):
    refused(upload(reporter_client, setup, to_bytes(Workbook())), "Tệp Excel trống")


@override_settings(REPORTING_UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_before_it_is_opened(setup, reporter_client, monkeypatch):
    from tiendo.reporting import spreadsheets

    def must_not_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(spreadsheets, "load_workbook", must_not_open)
    monkeypatch.setattr(spreadsheets, "read_file", must_not_open)
    response = upload(reporter_client, setup, b"x" * 1001)
    refused(response, "Tệp nặng 1.001 byte, quá giới hạn 1.000 byte")


@override_settings(REPORTING_UPLOAD_MAX_BYTES=50_000)
def test_a_zip_bomb_is_refused(setup, reporter_client):
    content = filled_a1(setup, reporter_client, F7=1200)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/media/rong.bin", b"\0" * 5_000_000)  # 5 MB of zeros: a few kB packed
    assert len(buffer.getvalue()) < 50_000
    before = written()
    refused(upload(reporter_client, setup, buffer.getvalue()), "quá giới hạn 500.000 byte")
    assert written() == before


def test_a_value_for_an_indicator_not_in_the_round_is_refused(setup, reporter_client):
    Indicator.objects.create(code="NGOAI_DOT", name="Chỉ tiêu ngoài đợt", frequency="quarter")
    workbook = download(reporter_client, template_url(setup, setup.a1))
    codes = workbook[CODES_SHEET]
    for row in codes.iter_rows():
        if row[0].value == "chi_tieu" and row[2].value == "TONG_HO":
            row[2].value = "NGOAI_DOT"
    workbook["Phường A1"]["H7"] = "NGOAI_DOT"
    workbook["Phường A1"]["F7"] = 5
    before = written()
    refused(upload(reporter_client, setup, to_bytes(workbook)), "Trang “Phường A1”, ô F7: Chỉ tiêu “NGOAI_DOT” không có trong đợt báo cáo này.")
    csv = b"ma_don_vi;ma_chi_tieu;gia_tri\nP001;NGOAI_DOT;5\n"
    refused(upload(reporter_client, setup, csv, "a.csv"), "Dòng 2: Chỉ tiêu “NGOAI_DOT” không có trong đợt báo cáo này.")
    assert written() == before


def test_a_changed_approved_figure_is_refused(setup, personas, reporter_client):
    approved_a1(setup, personas)
    before = written()
    response = upload(reporter_client, setup, filled_a1(setup, reporter_client, F7=1300, F9=80))
    problems = refused(
        response,
        "Trang “Phường A1”, ô F7: Báo cáo của “Phường A1” đã được duyệt và khóa",
        "Trang “Phường A1”, ô F9: Báo cáo của “Phường A1” đã được duyệt và khóa",
    )
    assert len(problems) == 2  # the unchanged 1000 in F8 is no problem
    assert written() == before
    assert Submission.objects.get(pk=setup.a1.pk).state == Submission.State.APPROVED


def test_a_figure_out_of_bounds_is_refused_by_the_services(setup, reporter_client):
    before = written()
    refused(upload(reporter_client, setup, filled_a1(setup, reporter_client, F7=1200, F9=120)), "ô F9: Tỷ lệ của chỉ tiêu “TL_THU_NS” phải từ 0 đến 100%")
    assert written() == before


def test_posting_without_a_file_shows_the_form_again(setup, reporter_client):
    response = reporter_client.post(reverse("reporting:upload", args=[setup.round.pk]), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
