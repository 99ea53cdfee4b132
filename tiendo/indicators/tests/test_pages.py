"""The page of an indicator (values by unit, ranking, trend, the figures a total comes
from) and the page of one figure (source and history): what each persona sees, in
Vietnamese numbers, within scope, and in a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tiendo.plans.tests.factories import DAY, build_resolution
from tiendo.plans.tests.factories import page_text as text

# Session, user, roles and scope paths, then a fixed number of reads whatever the
# number of indicators, wards and periods (a ratio reads its parts: two more).
INDICATOR_QUERIES = 26
VALUE_QUERIES = 8


@pytest.fixture
def data(tree, personas):
    return build_resolution(tree, reporter=personas["ward_reporter"])


def detail(data, code: str) -> str:
    return reverse("indicators:detail", args=[data.indicators[code].pk])


def value_url(value) -> str:
    return reverse("indicators:value", args=[value.pk])


# --- The indicator page


def test_indicator_page_shows_values_by_ward_and_the_district_total(data, personas, tree, client):
    client.force_login(personas["district_viewer"])
    response = client.get(detail(data, "GDVH"), {"ngay": DAY})
    page = text(response)
    assert "GDVH Tỷ lệ gia đình văn hóa" in page
    assert "Số liệu năm 2022: Quận A và các đơn vị trực thuộc" in page
    # Ranked: A1 93,75% (12.000 of 12.800), A2 92,46% (9.327 of 10.088); the district
    # is the ratio of the sums, 21.327 of 22.888, not the average of the ratios.
    assert re.search(r"1 Phường A1 93,75%.*? 2 Phường A2 92,46%.*? Quận A \(tổng hợp\) 93,18%", page)
    assert "Đánh giá Quận A tại ngày 30/6/2023" in page and "103,53%" in page and "Vượt" in page
    html = response.content.decode()
    assert 'class="chart ranked-bars"' in html and 'class="chart line-chart"' in html


def test_definition_and_aggregation_rules_are_written_in_words(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(detail(data, "GDVH")))
    assert "tổng tử số (chỉ tiêu “Số hộ gia đình văn hóa”) chia cho tổng mẫu số" in page
    assert "không lấy trung bình các tỷ lệ" in page
    assert "Theo thời gian: lấy số của kỳ gần nhất có số liệu" in page
    page = text(client.get(detail(data, "CAY")))
    assert "Số của một đơn vị là tổng số của các đơn vị trực thuộc." in page
    assert "Theo thời gian: cộng dồn các kỳ" in page


def test_targets_are_listed(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(detail(data, "CAY")))
    assert "Quận A Nhiệm kỳ 2020-2025 5.000 Nghị quyết Đại hội" in page
    assert "Phường A1 Nhiệm kỳ 2020-2025 2.500" in page


def test_figures_link_to_their_value_page_and_totals_to_their_sources(data, personas, tree, client):
    client.force_login(personas["district_viewer"])
    html = client.get(detail(data, "HO_GDVH"), {"ky": "2022"}).content.decode()
    # Entered figures link to their own page…
    assert f'href="{value_url(data.values["a1_cultured"])}"' in html
    assert f'href="{value_url(data.values["a2_cultured"])}"' in html
    # …the rolled-up district total to the figures it comes from.
    assert 'href="#so-lieu-goc"' in html
    page = text(client.get(detail(data, "HO_GDVH"), {"ky": "2022"}))
    assert "Quận A (tổng hợp) 21.327" in page
    # A ratio computed for a ward links to that ward's own figures.
    html = client.get(detail(data, "GDVH"), {"ky": "2022"}).content.decode()
    assert f'href="?don_vi={tree.ward_a1.pk}&amp;ky=2022&amp;ngay=' in html
    page = text(client.get(detail(data, "GDVH"), {"ky": "2022", "don_vi": tree.ward_a1.pk}))
    assert re.search(r"Số liệu nhập tạo nên số của Phường A1, năm 2022 .*? Phường A1 HO 12.800 Đã duyệt", page)
    assert "Phường A1 HO_GDVH 12.000 Đã duyệt" in page and "9.327" not in page


def test_source_figures_of_the_total_are_listed(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(detail(data, "GDVH"), {"ky": "2022"}))
    section = page[page.index("Số liệu nhập tạo nên số của Quận A, năm 2022") :]
    for figure in ("12.800", "10.088", "12.000", "9.327"):
        assert figure in section
    assert "11.900" not in section  # the replaced version is history, not a source


def test_a_term_period_rolls_up_the_years(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(detail(data, "CAY"), {"ky": "NK2020-2025", "ngay": DAY}))
    assert "Số liệu nhiệm kỳ 2020-2025" in page
    # 600 + 700 trees in A1, 500 + 800 in A2; the district total against its 5.000.
    assert re.search(r"Phường A1 1.300 2.500 52,00%", page)
    assert re.search(r"Quận A \(tổng hợp\) 2.600 5.000 52,00%", page)


def test_the_period_picker_lists_periods_with_values(data, personas, client):
    client.force_login(personas["district_viewer"])
    html = client.get(detail(data, "CAY")).content.decode()
    options = re.findall(r'<option value="([^"]+)"( selected)?>(Năm|Nhiệm kỳ)', html)
    assert [(code, bool(sel)) for code, sel, _kind in options] == [
        ("NK2020-2025", False),
        ("2022", True),  # the latest period with figures is the default
        ("2021", False),
    ]


def test_trend_over_periods(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(detail(data, "CAY"), {"ky": "2022"}))
    assert re.search(r"Diễn biến qua các kỳ: Quận A .*? Năm 2021 1.100 .*? Năm 2022 1.500", page)


def test_a_submitted_figure_is_shown_as_pending_and_not_counted(data, personas, client):
    client.force_login(personas["district_viewer"])
    response = client.get(detail(data, "DUONG"), {"ky": "2022"})
    page = text(response)
    assert re.search(r"Phường A2 — .*? có số liệu đã gửi, chờ duyệt", page)
    assert "Quận A (tổng hợp) 3,5" in page
    assert f'href="{value_url(data.values["submitted"])}"' in response.content.decode()


def test_illustrative_indicators_are_marked(data, personas, client):
    client.force_login(personas["district_viewer"])
    html = client.get(detail(data, "TDP")).content.decode()
    assert 'class="badge badge--illustrative"' in html and ">minh họa</span>" in html
    assert "Chỉ tiêu minh họa: nguồn chỉ nêu số lượng chỉ tiêu" in html


def test_a_bad_period_is_explained_in_vietnamese(data, personas, client):
    client.force_login(personas["district_viewer"])
    for bad in ("abc", "2022-13", "NH2021-2023", "9999", "NK2020-9999"):
        response = client.get(detail(data, "CAY"), {"ky": bad})
        assert response.status_code == 200, bad
        page = text(response)
        assert f"Không đọc được kỳ “{bad}”" in page, bad
        assert "Đang hiển thị năm 2022." in page


def test_a_bad_date_is_explained_in_vietnamese(data, personas, client):
    client.force_login(personas["district_viewer"])
    response = client.get(detail(data, "CAY"), {"ngay": "30/2/2023"})
    assert response.status_code == 200
    assert "Ngày 30/2/2023 không tồn tại. Đang đánh giá tại ngày hôm nay." in text(response)


def test_a_ward_reporter_sees_only_their_ward(data, personas, tree, client):
    client.force_login(personas["ward_reporter"])
    page = text(client.get(detail(data, "GDVH"), {"ky": "2022", "ngay": DAY}))
    assert "Đánh giá Phường A1 tại ngày 30/6/2023" in page  # the unit holding the ward's target
    assert "93,75%" in page
    assert "92,46%" not in page and "9.327" not in page and "Phường A2" not in page
    assert "Quận A Nhiệm kỳ" not in page  # the district's target is not the ward's to see
    assert client.get(detail(data, "GDVH"), {"don_vi": tree.district.pk}).status_code == 404
    assert client.get(detail(data, "GDVH"), {"don_vi": tree.ward_a2.pk}).status_code == 404
    assert client.get(detail(data, "GDVH"), {"don_vi": "x"}).status_code == 404


def test_indicators_out_of_scope_are_404(data, personas, client):
    for persona in ("outsider", "new_ward_viewer"):
        client.force_login(personas[persona])
        assert client.get(detail(data, "GDVH")).status_code == 404, persona
    client.force_login(personas["system_admin"])
    assert client.get(reverse("indicators:detail", args=[9999])).status_code == 404


# --- The value page


def test_value_page_shows_the_figure_its_source_and_its_history(data, personas, client):
    personas["ward_reporter"].first_name, personas["ward_reporter"].last_name = "Lan", "Nguyễn Thị"
    personas["ward_reporter"].save()
    client.force_login(personas["district_viewer"])
    response = client.get(value_url(data.values["a1_cultured"]))
    page = text(response)
    assert "Số liệu của Phường A1, năm 2022" in page
    assert "12.000" in page and "Đã duyệt" in page
    assert "Người nhập Lan Nguyễn Thị" in page
    assert "Ghi chú Theo báo cáo tổng kết năm" in page
    assert "Lý do thay đổi Sửa theo báo cáo tổng kết" in page
    assert "Quận A sơ kết giữa nhiệm kỳ" in page and "Báo Thử" in page and "18/4/2023" in page
    assert 'href="https://bao.example.vn/so-ket"' in response.content.decode()
    # History, newest first: the version in force, then the one it replaced.
    history = page[page.index("Lịch sử các phiên bản") :]
    assert history.index("12.000") < history.index("11.900")
    assert f'href="{value_url(data.values["a1_cultured_old"])}"' in response.content.decode()


def test_an_old_version_says_it_was_replaced(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(value_url(data.values["a1_cultured_old"])))
    assert "Đây là một phiên bản cũ, đã được thay thế" in page
    assert "11.900" in page and "12.000" in page


def test_values_out_of_scope_are_404_even_when_guessed(data, personas, client):
    client.force_login(personas["ward_reporter"])
    assert client.get(value_url(data.values["a1_cultured"])).status_code == 200
    assert client.get(value_url(data.values["a2_cultured"])).status_code == 404
    assert client.get(value_url(data.values["truong"])).status_code == 404  # the district's own figure
    assert client.get(reverse("indicators:value", args=[999999])).status_code == 404
    client.force_login(personas["outsider"])
    assert client.get(value_url(data.values["a1_cultured"])).status_code == 404


# --- The unit page's "Chỉ tiêu" card


def test_unit_page_lists_its_indicators_with_status(data, personas, tree, client):
    client.force_login(personas["district_viewer"])
    response = client.get(reverse("orgs:detail", args=[tree.district.pk]), {"ngay": DAY})
    page = text(response)
    assert "Chỉ tiêu Các chỉ tiêu giao cho đơn vị hoặc có số liệu của đơn vị; đánh giá tại ngày 30/6/2023." in page
    assert re.search(r"GDVH Tỷ lệ gia đình văn hóa Nghị quyết 90,00% nhiệm kỳ 2020-2025 93,18% — Vượt", page)
    assert re.search(r"TRUONG Số trường đạt chuẩn quốc gia Nghị quyết 14 nhiệm kỳ 2020-2025 14 14 năm 2022 Đạt", page)
    assert "Tỷ lệ tổ dân phố văn minh minh họa" in page
    # A ward's card: its own figures and its allocated targets.
    page = text(client.get(reverse("orgs:detail", args=[tree.ward_a1.pk]), {"ngay": DAY}))
    assert re.search(r"GDVH Tỷ lệ gia đình văn hóa Nghị quyết 92,00% nhiệm kỳ 2020-2025 93,75% — Vượt", page)
    assert re.search(r"DUONG Đường giao thông xây mới Nghị quyết chưa giao — 3,5 năm 2022 không đánh giá", page)


# --- Bounded queries


SIZES = [(0, 0, 2), (6, 10, 5)]  # extra indicators, extra wards, years of figures


@pytest.mark.parametrize("size", SIZES)
def test_indicator_page_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    indicators, wards, years = size
    data = build_resolution(tree, extra_indicators=indicators, extra_wards=wards, years=years)
    client.force_login(personas["district_viewer"])
    for code in ("CAY", "GDVH"):
        with django_assert_max_num_queries(INDICATOR_QUERIES):
            response = client.get(detail(data, code), {"ngay": DAY})
        assert response.status_code == 200
    if wards:
        assert "Phường thêm 9" in text(response)


@pytest.mark.parametrize("size", SIZES)
def test_value_page_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    indicators, wards, years = size
    data = build_resolution(tree, extra_indicators=indicators, extra_wards=wards, years=years)
    client.force_login(personas["district_viewer"])
    with django_assert_max_num_queries(VALUE_QUERIES):
        response = client.get(value_url(data.values["a1_cultured"]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_unit_page_with_indicators_runs_a_bounded_number_of_queries(
    size, tree, personas, client, django_assert_max_num_queries
):
    from tiendo.orgs.tests.test_pages import UNIT_PAGE_QUERIES

    indicators, wards, years = size
    build_resolution(tree, extra_indicators=indicators, extra_wards=wards, years=years)
    client.force_login(personas["district_viewer"])
    with django_assert_max_num_queries(UNIT_PAGE_QUERIES):
        response = client.get(reverse("orgs:detail", args=[tree.district.pk]), {"ngay": DAY})
    assert response.status_code == 200
    assert f"Chỉ tiêu thêm {indicators - 1}" in text(response) if indicators else True
