"""Resolutions and programs: what each persona sees, counted by status on a chosen day,
in Vietnamese numbers, within scope, and in a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tiendo.lib.vn import format_date
from tiendo.plans.tests.factories import DAY, build_resolution
from tiendo.plans.tests.factories import page_text as text

# Session, user, roles and scope paths, then the page's own reads: a fixed number
# whatever the number of programs, indicators, wards and years.
RESOLUTION_QUERIES = 17
PROGRAM_QUERIES = 22


@pytest.fixture
def data(tree, personas):
    return build_resolution(tree, reporter=personas["ward_reporter"])


def resolution_url(data) -> str:
    return reverse("plans:resolution", args=[data.resolution.pk])


def program_url(data, number: str = "02") -> str:
    return reverse("plans:program", args=[data.programs[number].pk])


# --- The list of resolutions


def test_a_ward_reporter_reads_the_district_resolution(data, personas, client):
    client.force_login(personas["ward_reporter"])
    page = text(client.get(reverse("plans:resolutions")))
    assert "Nghị quyết Đại hội Đảng bộ quận A lần thứ VI" in page
    assert "2 chương trình, 6 chỉ tiêu (trong đó 4 chỉ tiêu của Nghị quyết)" in page


def test_units_outside_the_district_do_not_see_its_resolution(data, personas, client):
    for persona in ("new_ward_viewer", "outsider"):
        client.force_login(personas[persona])
        assert "quận A lần thứ VI" not in text(client.get(reverse("plans:resolutions")))
        assert client.get(resolution_url(data)).status_code == 404, persona
        assert client.get(program_url(data)).status_code == 404, persona


def test_guessing_ids_gives_404(data, personas, client):
    client.force_login(personas["system_admin"])
    assert client.get(reverse("plans:resolution", args=[data.resolution.pk + 100])).status_code == 404
    assert client.get(reverse("plans:program", args=[data.programs["02"].pk + 100])).status_code == 404


def test_the_nav_links_to_resolutions(data, personas, client):
    client.force_login(personas["district_viewer"])
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("plans:resolutions")}"' in html and "Nghị quyết" in html


# --- The resolution page


def test_resolution_page_counts_indicators_by_status(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(resolution_url(data), {"ngay": DAY}))
    assert "Đánh giá tại ngày 30/6/2023 cho Quận A" in page
    # All indicators of both programs, then those named in the resolution.
    assert "6 chỉ tiêu: hoàn thành 2, đang thực hiện 3, chưa có số liệu 1" in page
    assert "4 chỉ tiêu: hoàn thành 2, đang thực hiện 2" in page
    # Program 02, and its resolution-flagged subset counted separately.
    assert "5 chỉ tiêu: hoàn thành 2, đang thực hiện 2, chưa có số liệu 1" in page
    assert "Trong đó 3 chỉ tiêu trong Nghị quyết: hoàn thành 2, đang thực hiện 1" in page
    # Program 01: one road indicator, 3,5 km of 10 half-way through the term.
    assert "1 chỉ tiêu: hoàn thành 0, đang thực hiện 1" in page
    # Priorities (khâu đột phá) with their programs.
    assert "Phát triển hạ tầng đô thị đồng bộ, hiện đại" in page and "Xây dựng nếp sống văn minh đô thị" in page
    # The legend says each status in words, not by colour alone.
    assert "Vượt: 1" in page and "Đạt: 1" in page and "Đúng tiến độ: 1" in page and "Có nguy cơ không đạt: 2" in page


def test_the_resolution_is_judged_on_the_unit_holding_its_targets_not_on_its_issuer(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(resolution_url(data), {"ngay": DAY}))
    assert "Quận ủy A" in page  # the issuer, named in the header
    assert "cho Quận A," in page and "cho Quận ủy A" not in page


def test_a_ward_reporter_sees_the_resolution_judged_on_their_own_ward(data, personas, client):
    client.force_login(personas["ward_reporter"])
    page = text(client.get(resolution_url(data), {"ngay": DAY}))
    assert "Đánh giá tại ngày 30/6/2023 cho Phường A1" in page
    # Two targets were allocated to the ward (GDVH 92%, CAY 2.500), the rest are not judged.
    assert "6 chỉ tiêu: hoàn thành 1, đang thực hiện 1, chưa có số liệu 4" in page


def test_without_a_target_in_scope_nothing_is_judged(data, personas, client):
    client.force_login(personas["other_ward_reporter"])  # phường A2 was allocated no target
    page = text(client.get(resolution_url(data), {"ngay": DAY}))
    assert "chưa có chỉ tiêu giao cho đơn vị nào trong phạm vi bạn được xem" in page
    assert "6 chỉ tiêu (chưa đánh giá)" in page and "chưa có số liệu 6" not in page


def test_another_unit_can_be_chosen_within_scope_only(data, personas, tree, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(resolution_url(data), {"ngay": DAY, "don_vi": tree.ward_a1.pk}))
    assert "cho Phường A1" in page
    client.force_login(personas["ward_reporter"])
    assert client.get(resolution_url(data), {"don_vi": tree.district.pk}).status_code == 404
    assert client.get(resolution_url(data), {"don_vi": "abc"}).status_code == 404


def test_the_evaluation_day_defaults_to_today(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(resolution_url(data)))
    assert f"Đánh giá tại ngày {format_date(timezone.localdate())}" in page


def test_a_bad_date_is_explained_in_vietnamese(data, personas, client):
    client.force_login(personas["district_viewer"])
    for url in (resolution_url(data), program_url(data)):
        response = client.get(url, {"ngay": "31/2/2024"})
        assert response.status_code == 200
        page = text(response)
        assert "Ngày 31/2/2024 không tồn tại." in page and "Đang đánh giá tại ngày hôm nay." in page
        response = client.get(url, {"ngay": "hôm qua"})
        assert response.status_code == 200
        assert "không phải là ngày hợp lệ" in text(response)


# --- The program page


def test_program_page_shows_board_plans_and_indicators_in_vietnamese_format(data, personas, client):
    client.force_login(personas["district_viewer"])
    response = client.get(program_url(data), {"ngay": DAY})
    page = text(response)
    assert "Chương trình 02-CTr/QU" in page
    assert "Chủ nhiệm Nguyễn Văn An, Phó Bí thư Quận ủy" in page
    assert "Kế hoạch thực hiện Chương trình 02 năm 2022" in page and "Tuyến phố xanh - sạch - đẹp: 15 tuyến" in page
    # GDVH: 21.327 of 22.888 households, 93,18% against 90%: 103,53% of the target, vượt.
    assert "93,18%" in page and "103,53%" in page
    assert re.search(r"GDVH Tỷ lệ gia đình văn hóa Nghị quyết % 90,00% nhiệm kỳ 2020-2025 93,18% .*? Vượt", page)
    # CAY: 2.600 trees of 5.000, half-way: đúng tiến độ, with a trend over 2021 and 2022.
    assert re.search(r"CAY Số cây xanh trồng mới .*? 5.000 .*? 2.600 .*? 52,00% Đúng tiến độ", page)
    html = response.content.decode()
    assert 'class="chart sparkline"' in html and "Diễn biến: năm 2020: —; năm 2021: 1.100; năm 2022: 1.500" in html
    # Each status is written out, and illustrative indicators are marked as such.
    for label in ("Vượt", "Đạt", "Đúng tiến độ", "Có nguy cơ không đạt", "Chưa có số liệu"):
        assert f'">{label}</span>' in html
    assert re.search(r"Tỷ lệ tổ dân phố văn minh</a>\s*<span class=\"badge badge--illustrative\"[^>]*>minh họa</span>", html)


def test_program_filter_keeps_the_indicators_of_the_resolution(data, personas, client):
    client.force_login(personas["district_viewer"])
    page = text(client.get(program_url(data), {"ngay": DAY, "nq": "1"}))
    assert "Đang lọc: chỉ 3 chỉ tiêu trong Nghị quyết." in page
    assert "Tỷ lệ gia đình văn hóa" in page and "Số trường đạt chuẩn quốc gia" in page
    assert "Tỷ lệ tổ dân phố văn minh" not in page and "Chỉ tiêu văn hóa thứ tư" not in page


def test_a_ward_reporter_sees_district_plans_but_not_another_wards(data, personas, client):
    client.force_login(personas["ward_reporter"])
    page = text(client.get(program_url(data), {"ngay": DAY}))
    assert "Kế hoạch thực hiện Chương trình 02 năm 2022" in page
    assert "Kế hoạch của phường A2" not in page
    assert "cho Phường A1" in page


def test_program_links_lead_to_the_indicator_and_its_source_figures(data, personas, tree, client):
    client.force_login(personas["district_viewer"])
    html = client.get(program_url(data), {"ngay": DAY}).content.decode()
    gdvh = data.indicators["GDVH"]
    detail = reverse("indicators:detail", args=[gdvh.pk])
    assert f'href="{detail}?ngay=30/6/2023&amp;don_vi={tree.district.pk}"' in html
    assert f'href="{detail}?don_vi={tree.district.pk}&amp;ky=NK2020-2025&amp;ngay=30/6/2023#so-lieu-goc"' in html


# --- Bounded queries


SIZES = [(0, 0, 2), (12, 8, 5)]  # extra indicators, extra wards, years of figures


@pytest.mark.parametrize("size", SIZES)
def test_resolution_page_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    indicators, wards, years = size
    data = build_resolution(tree, extra_indicators=indicators, extra_wards=wards, years=years)
    client.force_login(personas["district_viewer"])
    with django_assert_max_num_queries(RESOLUTION_QUERIES):
        response = client.get(resolution_url(data), {"ngay": DAY})
    assert response.status_code == 200
    assert f"{5 + indicators} chỉ tiêu:" in text(response)


@pytest.mark.parametrize("size", SIZES)
def test_program_page_runs_a_bounded_number_of_queries(size, tree, personas, client, django_assert_max_num_queries):
    indicators, wards, years = size
    data = build_resolution(tree, extra_indicators=indicators, extra_wards=wards, years=years)
    client.force_login(personas["district_viewer"])
    with django_assert_max_num_queries(PROGRAM_QUERIES):
        response = client.get(program_url(data), {"ngay": DAY})
    assert response.status_code == 200
    assert f"{5 + indicators} chỉ tiêu:" in text(response)


def test_list_page_runs_a_bounded_number_of_queries(tree, personas, client, django_assert_max_num_queries):
    build_resolution(tree, extra_indicators=5)
    client.force_login(personas["ward_reporter"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("plans:resolutions"))
    assert response.status_code == 200
