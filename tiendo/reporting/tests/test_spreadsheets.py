"""Templates written and files read by ``tiendo.reporting.spreadsheets``, without the
pages: the layout people see, the cells they may change, and how a CSV file or a
cell is read (the pages and every refused file are in test_file_views.py)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tiendo.indicators import services as indicator_services
from tiendo.indicators.models import DataValue
from tiendo.lib import periods
from tiendo.reporting import services, spreadsheets
from tiendo.reporting.spreadsheets import CODES_SHEET, FIRST_ROW, HEADER_ROW
from tiendo.testing import build_reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree)


def workbook_of(user, setup, *submissions):
    content = spreadsheets.write_template(user, setup.round, list(submissions or [setup.a1]))
    return load_workbook(io.BytesIO(content))


def fill(setup, user, submission, **values):
    by_code = {i.code: i for i in (setup.households, setup.cultured, setup.rate)}
    entries = [services.Entry(submission, by_code[code], Decimal(v)) for code, v in values.items()]
    return services.save_figures(user, entries)


def csv_entries(setup, user, text: str, encoding: str = "utf-8"):
    return spreadsheets.read_csv(user, setup.round, text.encode(encoding))


# --- The template --------------------------------------------------------------------------


def test_template_names_round_unit_period_and_due_date(setup, personas):
    setup.round.due_on = dt.date(2024, 10, 10)
    setup.round.save()
    workbook = workbook_of(personas["ward_reporter"], setup)
    assert workbook.sheetnames == ["Phường A1", "Hướng dẫn", CODES_SHEET]
    sheet = workbook["Phường A1"]
    assert sheet["A1"].value == "Báo cáo tiến độ hằng quý – quý III/2024"
    assert "Phường A1 (mã P001)" in sheet["A2"].value and "Quận A" in sheet["A2"].value
    assert sheet["A3"].value == "Kỳ báo cáo: quý III/2024, từ 1/7/2024 đến 30/9/2024"
    assert sheet["A4"].value == "Hạn nộp: 10/10/2024"
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers[:7] == ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ trước (quý II/2024)", "Chỉ tiêu (kế hoạch)", "Giá trị", "Ghi chú"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=FIRST_ROW, max_col=3)]
    assert rows == [
        [1, "Tổng số hộ gia đình", "hộ"],
        [2, "Số hộ đạt danh hiệu gia đình văn hóa", "hộ"],
        [3, "Tỷ lệ thu ngân sách so với dự toán", "%"],
    ]


def test_codes_are_on_a_very_hidden_sheet_and_the_structure_is_locked(setup, personas):
    workbook = workbook_of(personas["ward_reporter"], setup)
    codes = workbook[CODES_SHEET]
    assert codes.sheet_state == "veryHidden" and codes.protection.sheet
    rows = [list(row) for row in codes.iter_rows(values_only=True)]
    assert rows[0][:2] == [spreadsheets.MARKER, spreadsheets.FORMAT_VERSION]
    assert rows[1][:4] == ["dot", setup.round.pk, "TIEN_DO_QUY", "2024-Q3"]
    assert ["trang", "Phường A1", setup.a1.unit_id, "P001"] in [r[:4] for r in rows]
    assert [r[:3] for r in rows if r[0] == "chi_tieu"] == [["chi_tieu", 7, "TONG_HO"], ["chi_tieu", 8, "GD_VANHOA"], ["chi_tieu", 9, "TL_THU_NS"]]
    assert workbook.security.lockStructure
    # The indicator code is also in a hidden column: a moved row is caught on upload.
    sheet = workbook["Phường A1"]
    assert sheet.column_dimensions["H"].hidden and sheet["H7"].value == "TONG_HO"


def test_only_value_and_note_cells_are_unlocked_with_number_checks(setup, personas):
    sheet = workbook_of(personas["ward_reporter"], setup)["Phường A1"]
    assert sheet.protection.sheet
    unlocked = {cell.coordinate for row in sheet.iter_rows() for cell in row if not cell.protection.locked}
    assert unlocked == {"F7", "G7", "F8", "G8", "F9", "G9"}
    assert sheet["F7"].number_format == "#,##0" and sheet["F9"].number_format == "#,##0.0"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    households = validations["F7:F8"]  # both counts of households: a decimal ≥ 0
    assert (households.type, households.operator, households.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert households.error == "Nhập một số không nhỏ hơn 0." and households.showErrorMessage
    rate = validations["F9"]  # a percentage: 0–100
    assert (rate.type, rate.operator, rate.formula1, rate.formula2) == ("decimal", "between", "0", "100")
    assert rate.error == "Nhập một số từ 0 đến 100."


def test_template_prefills_figures_last_period_and_the_most_specific_target(setup, personas):
    reporter, a1 = personas["ward_reporter"], setup.a1.unit
    fill(setup, reporter, setup.a1, TONG_HO="21327", TL_THU_NS="82.3")
    services.save_figures(reporter, [services.Entry(setup.a1, setup.rate, Decimal("82.3"), "Thu đạt khá")])
    indicator_services.record_value(None, indicator=setup.households, unit=a1, period=periods.parse("2024-Q2"), value=21000)
    indicator_services.set_target(None, indicator=setup.households, unit=a1, period=periods.parse("2024"), value=22000)
    indicator_services.set_target(None, indicator=setup.rate, unit=a1, period=periods.parse("2024"), value=100)
    indicator_services.set_target(None, indicator=setup.rate, unit=a1, period=periods.parse("2024-Q3"), value=75)
    sheet = workbook_of(reporter, setup)["Phường A1"]
    assert [sheet["D7"].value, sheet["E7"].value, sheet["F7"].value] == [21000, 22000, 21327]
    assert isinstance(sheet["F7"].value, int)  # a number, not the text "21.327"
    assert [sheet["E9"].value, sheet["F9"].value, sheet["G9"].value] == [75, 82.3, "Thu đạt khá"]
    assert sheet["F8"].value is None


def test_figures_of_a_sent_or_approved_report_are_greyed_and_locked(setup, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    fill(setup, reporter, setup.a1, TONG_HO="1200", GD_VANHOA="1000")
    services.submit(reporter, setup.a1)
    setup.a1.refresh_from_db()
    sheet = workbook_of(reporter, setup)["Phường A1"]
    assert sheet["F7"].value == 1200 and sheet["F7"].protection.locked
    assert sheet["F7"].fill.fgColor.rgb.endswith("D9D9D9")
    assert not sheet.data_validations.dataValidation
    assert "đang chờ duyệt" in sheet["A5"].value
    services.approve(reviewer, setup.a1)
    setup.a1.refresh_from_db()
    sheet = workbook_of(reporter, setup)["Phường A1"]
    assert all(sheet[ref].protection.locked for ref in ("F7", "G7", "F8", "F9"))
    assert "đã được duyệt" in sheet["A5"].value


def test_after_a_return_only_the_returned_figures_are_open(setup, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    fill(setup, reporter, setup.a1, TONG_HO="1200", GD_VANHOA="1000")
    services.submit(reporter, setup.a1)
    services.return_submission(reviewer, setup.a1, comment="Xem lại", value_comments={setup.rate.pk: "Kiểm tra"})
    setup.a1.refresh_from_db()
    sheet = workbook_of(reporter, setup)["Phường A1"]
    assert sheet["F7"].protection.locked and sheet["F8"].protection.locked and not sheet["F9"].protection.locked
    assert "Xem lại" in sheet["A5"].value


def test_a_reviewer_gets_every_cell_locked(setup, personas):
    sheet = workbook_of(personas["district_reviewer"], setup)["Phường A1"]
    assert all(cell.protection.locked for row in sheet.iter_rows() for cell in row)
    assert "chỉ được xem" in sheet["A5"].value


def test_multi_unit_template_has_one_sheet_per_unit_with_the_same_rows(setup, personas):
    workbook = workbook_of(personas["district_admin"], setup, setup.a2, setup.a1)
    assert workbook.sheetnames == ["Phường A1", "Phường A2", "Hướng dẫn", CODES_SHEET]  # ordered by unit code
    assert workbook["Phường A2"]["A2"].value.startswith("Đơn vị báo cáo: Phường A2 (mã P002)")
    codes = [list(r[:4]) for r in workbook[CODES_SHEET].iter_rows(values_only=True) if r[0] == "trang"]
    assert codes == [["trang", "Phường A1", setup.a1.unit_id, "P001"], ["trang", "Phường A2", setup.a2.unit_id, "P002"]]


def test_group_headings_take_a_row_and_the_codes_follow(setup, personas):
    setup.data_set.items.filter(indicator=setup.rate).update(section="Tài chính")
    workbook = workbook_of(personas["ward_reporter"], setup)
    sheet = workbook["Phường A1"]
    assert sheet["B9"].value == "Tài chính" and sheet["H10"].value == "TL_THU_NS"
    assert [list(r[:3]) for r in workbook[CODES_SHEET].iter_rows(values_only=True) if r[0] == "chi_tieu"][-1] == ["chi_tieu", 10, "TL_THU_NS"]


def test_sheet_names_are_short_unique_and_allowed():
    names = spreadsheets.sheet_names(
        ["Phường Ngọc Thụy quận Long Biên thành phố Hà Nội"] * 2 + ["A/B: [C]", "mã", ""], reserved=["Mã", "Hướng dẫn"]
    )
    assert all(len(name) <= 31 for name in names)
    assert names[0] == "Phường Ngọc Thụy quận Long Biên"
    assert names[1].endswith(" (2)") and len(names[1]) == 31
    assert names[2] == "A-B- -C-"
    assert names[3] == "mã (2)"  # Excel compares sheet names ignoring case
    assert names[4] == "Đơn vị"


def test_reportable_units_follow_may_report(setup, personas):
    submissions = [setup.a1, setup.a2]
    for user in personas.values():
        expected = {s.unit_id for s in submissions if services.may_report(user, s)}
        assert services.reportable_unit_ids(user, [s.unit_id for s in submissions]) == expected


def test_a_template_takes_the_same_queries_for_two_units_or_seven(setup, tree, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiendo.orgs.models import OrgUnit
    from tiendo.testing import REFORM, grow

    grow(tree.district, 5, 0, until=REFORM)
    wards = list(OrgUnit.objects.filter(versions__name__startswith="Phường thêm").distinct())
    period = periods.parse("2024-Q4")
    bigger = services.open_round(
        None, data_set=setup.data_set, period=period, reviewing_unit=tree.district,
        units=[tree.ward_a1, tree.ward_a2, *wards], opens_on=period.start, due_on=period.end,
    )
    counts = []
    for round_ in (setup.round, bigger):
        user = type(personas["district_admin"]).objects.get(pk=personas["district_admin"].pk)  # scope not cached yet
        submissions = list(round_.submissions.select_related("unit"))
        with CaptureQueriesContext(connection) as queries:
            workbook = load_workbook(io.BytesIO(spreadsheets.write_template(user, round_, submissions)))
        counts.append(len(queries))
        assert len(workbook.sheetnames) == len(submissions) + 2
    assert counts[0] == counts[1] <= 10


# --- Cells ------------------------------------------------------------------------------------


class Cell:
    def __init__(self, value, data_type="n"):
        self.value, self.data_type = value, data_type


@pytest.mark.parametrize(
    ("value", "data_type", "expected"),
    [
        (21327, "n", Decimal(21327)),
        (82.30000000000001, "n", Decimal("82.3")),  # what Excel shows (15 significant digits)
        ("21.327", "s", Decimal(21327)),
        ("82,3", "s", Decimal("82.3")),
        ("  ", "s", None),
        (None, "n", None),
    ],
)
def test_numbers_read_from_cells(value, data_type, expected):
    assert spreadsheets._cell_value(Cell(value, data_type), "F7") == (expected, None)


@pytest.mark.parametrize(
    ("value", "data_type", "message"),
    [
        ("=F8*2", "f", "Ô F7 chứa công thức “=F8*2”"),
        ("1.5", "s", "“1.5” không phải là số viết đúng cách"),
        ("nhiều", "s", "Ô F7: “nhiều” không phải là số"),
        (True, "b", "giá trị đúng/sai"),
        ("#DIV/0!", "e", "chứa lỗi “#DIV/0!”"),
        (dt.datetime(2024, 7, 1), "d", "ngày hoặc giờ"),  # Excel took "1/7" for a date
        (10**15, "n", "quá lớn"),
        ("0,1234567", "s", "quá 6 chữ số thập phân"),
    ],
)
def test_cells_that_are_not_figures(value, data_type, message):
    number, problem = spreadsheets._cell_value(Cell(value, data_type), "F7")
    assert number is None and message in problem


# --- CSV -----------------------------------------------------------------------------------


def test_csv_with_semicolons_and_a_bom(setup, personas):
    text = "\ufeffma_don_vi;ma_chi_tieu;gia_tri;ghi_chu\r\nP001;TONG_HO;21.327;\r\nP001;TL_THU_NS;82,3;Ước tính\r\n"
    parsed = csv_entries(setup, personas["ward_reporter"], text)
    assert not parsed.problems and not parsed.warnings
    assert [(e.submission.pk, e.indicator.code, e.value, e.note, e.where) for e in parsed.entries] == [
        (setup.a1.pk, "TONG_HO", Decimal(21327), "", "Dòng 2"),
        (setup.a1.pk, "TL_THU_NS", Decimal("82.3"), "Ước tính", "Dòng 3"),
    ]


def test_csv_with_commas_columns_in_any_order_and_units_by_id(setup, personas):
    text = f'gia_tri,ma_chi_tieu,ma_don_vi\n"82,3",TL_THU_NS,{setup.a2.unit_id}\n1200,TONG_HO,p002\n'
    parsed = csv_entries(setup, personas["district_admin"], text)
    assert not parsed.problems
    assert [(e.submission.pk, e.indicator.code, e.value) for e in parsed.entries] == [
        (setup.a2.pk, "TL_THU_NS", Decimal("82.3")),
        (setup.a2.pk, "TONG_HO", Decimal(1200)),
    ]


def test_csv_with_an_unquoted_decimal_comma_says_how_to_write_it(setup, personas):
    parsed = csv_entries(setup, personas["ward_reporter"], "ma_don_vi,ma_chi_tieu,gia_tri\nP001,TL_THU_NS,82,3\n")
    assert "ngoặc kép" in parsed.problems[0].message and parsed.problems[0].where == "Dòng 2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ma_don_vi;gia_tri\nP001;1\n", "thiếu cột “ma_chi_tieu”"),
        ("", "Tệp CSV trống."),
        ("\ufeff\r\n", "Tệp CSV trống."),
        ("ma_don_vi;ma_chi_tieu;gia_tri\nP999;TONG_HO;1\n", "Không có đơn vị mã hay số hiệu “P999”"),
        ("ma_don_vi;ma_chi_tieu;gia_tri\nP001;KHONG_CO;1\n", "Chỉ tiêu “KHONG_CO” không có trong đợt báo cáo này."),
        ("ma_don_vi;ma_chi_tieu;gia_tri\nP001;TONG_HO;1\nP001;TONG_HO;2\n", "lặp lại số liệu của dòng 2"),
        ("ma_don_vi;ma_chi_tieu;gia_tri\nP001;TONG_HO;1.5\n", "“1.5” không phải là số viết đúng cách"),
        ("ma_don_vi;ma_chi_tieu;gia_tri\nP002;TONG_HO;1\n", "Bạn không có quyền báo cáo cho “Phường A2”."),
    ],
)
def test_csv_problems(setup, personas, text, message):
    parsed = csv_entries(setup, personas["ward_reporter"], text)
    assert any(message in problem.message for problem in parsed.problems), parsed.problems


def test_csv_not_in_utf8_is_refused(setup, personas):
    parsed = csv_entries(setup, personas["ward_reporter"], "ma_don_vi;ma_chi_tieu;gia_tri;ghi_chu\nP001;TONG_HO;1;Đà\n", "cp1258")
    assert "UTF-8" in parsed.problems[0].message


def test_csv_warns_about_what_it_ignores(setup, personas):
    text = "ma_don_vi;ma_chi_tieu;gia_tri;ghi_chu;nguoi_nhap\nP001;TONG_HO;;Chưa có số\n"
    parsed = csv_entries(setup, personas["ward_reporter"], text)
    assert not parsed.problems and not parsed.entries
    assert [w.message for w in parsed.warnings] == [
        "Cột “nguoi_nhap” không thuộc định dạng; bị bỏ qua.",
        "Có ghi chú nhưng chưa có giá trị: ghi chú không được lưu.",
    ]


# --- Saving ---------------------------------------------------------------------------------


def test_every_problem_is_listed_at_once_and_nothing_is_written(setup, personas):
    reporter, reviewer = personas["ward_reporter"], personas["district_reviewer"]
    fill(setup, reporter, setup.a1, TONG_HO="1200", GD_VANHOA="1000")
    services.submit(reporter, setup.a1)
    services.approve(reviewer, setup.a1)
    before = DataValue.objects.count()
    text = "ma_don_vi;ma_chi_tieu;gia_tri\nP001;TONG_HO;1300\nP001;TL_THU_NS;nhiều\n"
    with pytest.raises(spreadsheets.UploadRefused) as refused:
        spreadsheets.import_file(reporter, setup.round, text.encode(), "so-lieu.csv")
    messages = {(p.where, p.message.split(":")[0]) for p in refused.value.problems}
    assert ("Dòng 3", "Cột gia_tri") in messages  # the file's own problem
    assert ("Dòng 2", "Báo cáo của “Phường A1” đã được duyệt và khóa; cần mở lại (có lý do) mới sửa được.") in messages
    assert DataValue.objects.count() == before


def test_import_counts_changed_and_unchanged(setup, personas):
    reporter = personas["ward_reporter"]
    fill(setup, reporter, setup.a1, TONG_HO="1200")
    text = "ma_don_vi;ma_chi_tieu;gia_tri\nP001;TONG_HO;1.200\nP001;GD_VANHOA;900\n"
    result = spreadsheets.import_file(reporter, setup.round, text.encode(), "so-lieu.csv")
    assert (result.changed, result.unchanged) == (1, 1)
    assert [s.pk for s in result.submissions] == [setup.a1.pk]


def test_value_cells_are_checked_as_ranges():
    assert spreadsheets._ranges("F", [7, 8, 9, 11, 13, 14]) == "F7:F9 F11 F13:F14"
    assert spreadsheets._ranges("F", [7]) == "F7"


def test_sheets_say_their_size(setup, personas):
    # A reader learns a sheet's size from <dimension> instead of parsing it all.
    content = spreadsheets.write_template(personas["ward_reporter"], setup.round, [setup.a1])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b'<dimension ref="A1:H9"' in archive.read("xl/worksheets/sheet1.xml")
