"""The leaders' dashboard (/tong-quan/): the numbers a leader reads there are the
evaluation's, each links to the figures behind it, a ward user sees their ward only,
an empty scope says so plainly, bad parameters are explained, and the page runs the
same small number of queries however much data there is."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.indicators.evaluation import count, evaluate
from tiendo.lib.dates import today
from tiendo.plans.tests.factories import DAY, _grow, build_resolution
from tiendo.plans.tests.factories import page_text as text
from tiendo.reporting.models import Submission
from tiendo.tasks import services as tasks
from tiendo.testing import build_reporting, make_user

URL = reverse("web:dashboard")
# Session, user, roles and scope, then the page's reads: the resolution and its
# evaluation, the sparklines' rollup, the comparison's units and rollup, tasks, rounds.
DASHBOARD_QUERIES = 26


@pytest.fixture
def data(tree, personas):
    return build_resolution(tree, reporter=personas["ward_reporter"])


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def table_rows(html: str, testid: str) -> list[list[str]]:
    """The cells of a table marked ``data-testid``, as text, row by row."""
    match = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert match, f"no table {testid}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(0), re.S)
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def overdue_task(assigner, tree, unit, title: str, days: int):
    return tasks.create_task(
        assigner, title=title, expected_output="Báo cáo kết quả", assigned_by=tree.city, lead_unit=unit,
        deadline=today() + dt.timedelta(days=days), assigned_on=today() - dt.timedelta(days=60),
    )


# --- 1. Programs counted by status


def test_program_counts_are_the_evaluations(data, tree, personas, client):
    client.force_login(personas["district_viewer"])
    html = html_of(client.get(URL, {"ngay": DAY}))
    page = text(client.get(URL, {"ngay": DAY}))
    assert "Đánh giá tại ngày 30/6/2023 cho Quận A" in page
    assert "5 chỉ tiêu: hoàn thành 2, đang thực hiện 2, chưa có số liệu 1" in page
    assert "1 chỉ tiêu: hoàn thành 0, đang thực hiện 1" in page
    # The table view holds, per program, the counts the evaluation gives.
    rows = {row[0]: row[1:] for row in table_rows(html, "program-counts")[1:]}
    for number, program in data.programs.items():
        counts = count(evaluate(list(program.indicators.all()), tree.district, on=dt.date(2023, 6, 30)))
        expected = [str(n) for _status, n in counts.rows()] + [str(counts.total)]
        assert rows[program.number] == expected, number
    assert rows["02-CTr/QU"] == ["1", "1", "1", "1", "0", "1", "5"]
    # Each count opens the program judged on the same unit and day.
    program_url = reverse("plans:program", args=[data.programs["02"].pk])
    assert f'href="{program_url}?ngay=30/6/2023&don_vi={tree.district.pk}#chi-tieu"' in html


# --- 2. The indicators named in the resolution


def test_resolution_indicators_show_figure_target_percent_status_and_link(data, tree, personas, client):
    client.force_login(personas["district_viewer"])
    html = html_of(client.get(URL, {"ngay": DAY}))
    rows = {row[0]: row[1:] for row in table_rows(html, "flagged")[1:]}
    assert set(rows) == {"Tỷ lệ gia đình văn hóa", "Số cây xanh trồng mới", "Số trường đạt chuẩn quốc gia", "Đường giao thông xây mới"}
    figure, target, percent, status, _trend = rows["Tỷ lệ gia đình văn hóa"]
    assert (figure, percent, status) == ("93,18%", "103,53%", "Vượt")
    assert target.startswith("90,00%")
    assert rows["Số cây xanh trồng mới"][0] == "2.600" and rows["Số cây xanh trồng mới"][3] == "Đúng tiến độ"
    assert "Tỷ lệ tổ dân phố văn minh" not in rows  # not named in the resolution
    gdvh = reverse("indicators:detail", args=[data.indicators["GDVH"].pk])
    assert f'href="{gdvh}?ngay=30/6/2023&don_vi={tree.district.pk}"' in html
    assert 'class="chart sparkline"' in html  # CAY has two years of figures


# --- 3. Overdue tasks by lead unit


def test_overdue_tasks_are_counted_per_lead_unit_and_link_to_the_filtered_list(tree, personas, client):
    assigner = make_user("tp.giaoviec", Role.REVIEWER, tree.city)
    overdue_task(assigner, tree, tree.new_ward, "Giải phóng mặt bằng", -5)
    overdue_task(assigner, tree, tree.new_ward, "Chỉnh trang vỉa hè", -1)
    overdue_task(assigner, tree, tree.ward_b, "Rà soát hộ nghèo", -3)
    overdue_task(assigner, tree, tree.ward_b, "Còn trong hạn", 20)
    client.force_login(personas["city_viewer"])
    html = html_of(client.get(URL))
    assert "3/4 nhiệm vụ chưa hoàn thành quá hạn, ở 2 đơn vị chủ trì." in text(client.get(URL))
    assert table_rows(html, "overdue-tasks")[1:] == [["Phường Mới", "2"], ["Phường B", "1"]]
    assert 'class="chart ranked-bars"' in html
    link = f"{reverse('tasks:list')}?status=overdue&unit={tree.new_ward.pk}"
    assert f'href="{link}"' in html
    listed = text(client.get(link))
    assert "Giải phóng mặt bằng" in listed and "Chỉnh trang vỉa hè" in listed
    assert "Rà soát hộ nghèo" not in listed and "Còn trong hạn" not in listed


def test_no_overdue_task_is_said_in_words(tree, personas, client):
    assigner = make_user("tp.giaoviec", Role.REVIEWER, tree.city)
    overdue_task(assigner, tree, tree.ward_b, "Còn trong hạn", 20)
    client.force_login(personas["city_viewer"])
    page = text(client.get(URL))
    assert "Không có nhiệm vụ nào quá hạn trong 1 nhiệm vụ bạn được xem." in page


# --- 4. Reporting rounds


def test_round_completeness_counts_sent_and_on_time_reports(tree, personas, client):
    setup = build_reporting(tree)  # wards A1 and A2 report quarter III/2024, due 9/10/2024
    sent = dt.datetime(2024, 10, 5, 9, tzinfo=dt.UTC)
    Submission.objects.filter(pk=setup.a1.pk).update(state=Submission.State.SUBMITTED, first_submitted_at=sent)
    client.force_login(personas["district_reviewer"])
    html = html_of(client.get(URL))
    page = text(client.get(URL))
    assert "1/2 đơn vị đã nộp, 1 đúng hạn" in page
    assert "Nộp đúng hạn: 1" in page and "Chưa nộp: 1" in page
    assert f'href="{reverse("reporting:round", args=[setup.round.pk])}"' in html
    # The ward's reporter counts only the report they may read: their own.
    client.force_login(personas["other_ward_reporter"])
    assert "0/1 đơn vị đã nộp, 0 đúng hạn" in text(client.get(URL))


# --- 5. Comparison of units and trend


def test_comparison_ranks_the_wards_and_the_trend_links_to_its_figures(data, tree, personas, client):
    client.force_login(personas["district_viewer"])
    cay = data.indicators["CAY"]
    html = html_of(client.get(URL, {"ngay": DAY, "chi_tieu": cay.pk}))
    assert f'<option value="{cay.pk}" selected>' in html
    # Trees planted in 2022, the latest year with figures: A2 800, A1 700, the district 1.500.
    assert table_rows(html, "comparison")[1:] == [["1", "Phường A2", "800"], ["2", "Phường A1", "700"], ["", "Quận A", "1.500"]]
    assert table_rows(html, "trend")[1:] == [["Năm 2020", "—"], ["Năm 2021", "1.100"], ["Năm 2022", "1.500"], ["Năm 2023", "—"]]
    assert 'class="chart ranked-bars"' in html and 'class="chart line-chart"' in html
    detail = reverse("indicators:detail", args=[cay.pk])
    assert f'href="{detail}?don_vi={tree.ward_a2.pk}&ky=2022&ngay=30/6/2023#so-lieu-goc"' in html
    assert f'href="{detail}?don_vi={tree.district.pk}&ky=2021&ngay=30/6/2023#so-lieu-goc"' in html


def test_the_default_comparison_is_a_resolution_indicator_entered_by_the_wards(data, personas, client):
    client.force_login(personas["district_viewer"])
    html = html_of(client.get(URL, {"ngay": DAY}))
    chosen = re.search(r'<option value="(\d+)" selected>', html)
    assert chosen and int(chosen.group(1)) == data.indicators["DUONG"].pk  # program 01 comes first; A1 entered 3,5 km
    assert table_rows(html, "comparison")[1:] == [["1", "Phường A1", "3,5"], ["", "Quận A", "3,5"]]


# --- Scope


def test_a_ward_user_sees_their_own_ward_only(data, tree, personas, client):
    client.force_login(personas["ward_reporter"])
    response = client.get(URL, {"ngay": DAY, "chi_tieu": data.indicators["CAY"].pk})
    page = text(response)
    assert "Đánh giá tại ngày 30/6/2023 cho Phường A1" in page
    assert "Phường A2" not in page and "Quận A," not in page
    assert "800" not in page and "1.500" not in page  # A2's and the district's trees
    rows = table_rows(html_of(response), "trend")[1:]
    assert rows == [["Năm 2020", "—"], ["Năm 2021", "600"], ["Năm 2022", "700"], ["Năm 2023", "—"]]


def test_units_outside_the_district_see_none_of_its_figures(data, tree, personas, client):
    client.force_login(personas["new_ward_viewer"])
    page = text(client.get(URL, {"ngay": DAY, "chi_tieu": data.indicators["CAY"].pk}))
    assert "Chưa có nghị quyết nào có chỉ tiêu trong phạm vi bạn được xem." in page
    assert "Số cây xanh trồng mới" not in page


# --- Empty states and bad parameters


def test_without_a_target_in_scope_nothing_pretends_to_be_a_figure(data, personas, client):
    client.force_login(personas["other_ward_reporter"])  # phường A2 holds no target
    html = html_of(client.get(URL, {"ngay": DAY}))
    page = text(client.get(URL, {"ngay": DAY}))
    assert "chưa có chỉ tiêu giao cho đơn vị nào trong phạm vi bạn được xem" in page
    assert "5 chỉ tiêu (chưa đánh giá)" in page
    assert 'data-testid="program-counts"' not in html and 'data-testid="flagged"' not in html
    assert "chưa có số liệu 5" not in page


def test_an_empty_scope_says_there_is_nothing_yet(db, personas, client):
    client.force_login(personas["outsider"])
    page = text(client.get(URL))
    assert "Chưa có nghị quyết nào có chỉ tiêu trong phạm vi bạn được xem." in page
    assert "Chưa có nhiệm vụ nào trong phạm vi bạn được xem." in page
    assert "Chưa có đợt báo cáo nào đã mở trong phạm vi bạn được xem." in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"chi_tieu": "abc"}, "Không tìm thấy chỉ tiêu “abc” trong Nghị quyết này; đang hiển thị chỉ tiêu mặc định."),
        ({"chi_tieu": "987654"}, "Không tìm thấy chỉ tiêu “987654” trong Nghị quyết này"),
        ({"chi_tieu": "9" * 40}, "Không tìm thấy chỉ tiêu"),
        ({"nghi_quyet": "nq-1"}, "Không tìm thấy nghị quyết “nq-1” trong phạm vi bạn được xem"),
        ({"ngay": "31/2/2023"}, "Đang đánh giá tại ngày hôm nay."),
    ],
)
def test_bad_parameters_are_explained_and_the_default_shown(data, personas, client, params, message):
    client.force_login(personas["district_viewer"])
    response = client.get(URL, params)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Chỉ tiêu theo chương trình" in page and 'data-testid="comparison"' in response.content.decode()


def test_an_indicator_outside_the_resolution_is_not_compared(data, personas, client):
    client.force_login(personas["district_viewer"])
    households = data.indicators["HO"]  # used by a ratio, in no program
    page = text(client.get(URL, {"chi_tieu": households.pk}))
    assert f"Không tìm thấy chỉ tiêu “{households.pk}” trong Nghị quyết này" in page


# --- The home page and the navigation


def test_leaders_get_the_dashboard_on_their_home_page_reporters_their_work(data, personas, client):
    client.force_login(personas["district_viewer"])
    home = html_of(client.get(reverse("web:home")))
    assert 'id="so-sanh"' in home and "Chỉ tiêu theo chương trình" in home
    assert f'href="{URL}"' in home and "Tổng quan" in home  # the nav link
    client.force_login(personas["ward_reporter"])
    home = html_of(client.get(reverse("web:home")))
    assert "Chỉ tiêu theo chương trình" not in home and "Vai trò của bạn" in home
    assert client.get(URL).status_code == 200  # they may still open it


def test_a_leader_with_nothing_in_scope_keeps_the_plain_home_page(db, tree, client):
    leader = make_user("b.lanhdao", Role.VIEWER, tree.ward_b)
    client.force_login(leader)
    home = html_of(client.get(reverse("web:home")))
    assert "Chỉ tiêu theo chương trình" not in home and "Vai trò của bạn" in home


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


# --- Bounded queries


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


def _grow_tasks_and_rounds(tree, n: int) -> None:
    assigner = make_user(f"tp.giaoviec{n}", Role.REVIEWER, tree.city)
    for k in range(n):
        overdue_task(assigner, tree, tree.new_ward if k % 2 else tree.ward_b, f"Việc {k}", -1 - k)


def test_dashboard_queries_do_not_grow_with_the_data(tree, personas, client):
    data = build_resolution(tree)
    build_reporting(tree)
    _grow_tasks_and_rounds(tree, 1)
    client.force_login(personas["city_viewer"])  # scoped: the city's subtree, the district's resolution
    params = {"ngay": DAY, "chi_tieu": data.indicators["CAY"].pk}
    few, home_few = _queries(client, URL, params), _queries(client, reverse("web:home"), {})
    # Many more indicators, wards, years of figures and tasks.
    _grow(data, tree, data.programs["02"], extra_indicators=12, extra_wards=6, years=3)
    _grow_tasks_and_rounds(tree, 8)
    assert _queries(client, URL, params) == few <= DASHBOARD_QUERIES
    assert _queries(client, reverse("web:home"), {}) == home_few <= DASHBOARD_QUERIES + 6
