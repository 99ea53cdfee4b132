"""Data sets (bộ chỉ tiêu báo cáo) and their validation rules, through the services and
the pages: who may change them, what is refused (with nothing written), and the
audit rows left behind.

``build_reporting`` gives the quarterly set TIEN_DO_QUY (TONG_HO, GD_VANHOA,
TL_THU_NS; the rule ``GD_VANHOA <= TONG_HO``) with one round opened; ``fresh`` is a
quarterly set with nothing in it and no round.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tiendo.audit.models import AuditEntry
from tiendo.indicators.models import Indicator
from tiendo.reporting import datasets
from tiendo.reporting.models import DataSet, DataSetIndicator
from tiendo.testing import build_reporting

pytestmark = pytest.mark.django_db

EDITORS = ["system_admin", "district_admin"]
NOT_EDITORS = ["ward_reporter", "district_viewer", "district_reviewer", "outsider"]


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree)


@pytest.fixture
def fresh(setup):
    return datasets.create_data_set(None, "MOI", "Bộ chỉ tiêu mới", "quarter", "")


@pytest.fixture
def yearly(db):
    return Indicator.objects.create(code="DAN_SO", name="Dân số trung bình", frequency="year")


def errors(response) -> str:
    html = response.content.decode()
    found = re.findall(r'class="field__error"[^>]*>(.*?)</p>', html, re.S)
    found += re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    found += re.findall(r'class="message message--error"[^>]*>(.*?)</p>', html, re.S)
    return htmllib.unescape(" ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found))


def audit_count(model: str) -> int:
    return AuditEntry.objects.filter(content_type__model=model).count()


def snapshot(data_set: DataSet) -> tuple[Any, ...]:
    """Everything about a set a refused change must leave as it was."""
    data_set.refresh_from_db()
    return (
        (data_set.name, data_set.period_kind, data_set.description),
        list(
            data_set.items.order_by("pk").values_list(
                "indicator__code", "order", "required", "section", "check_outliers"
            )
        ),
        list(data_set.rules.order_by("pk").values_list("expression", "message", "is_active")),
        AuditEntry.objects.count(),
    )


def items_post(rows: list[dict[str, Any]], initial: int) -> dict[str, Any]:
    """The items formset as the browser posts it: a checked box sends "on", an
    unchecked one nothing."""
    data: dict[str, Any] = {
        "ct-TOTAL_FORMS": str(len(rows)),
        "ct-INITIAL_FORMS": str(initial),
        "ct-MIN_NUM_FORMS": "0",
        "ct-MAX_NUM_FORMS": "300",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                data[f"ct-{index}-{name}"] = "on"
            elif value is not False:
                data[f"ct-{index}-{name}"] = value
    return data


def row(indicator: Indicator, order: Any = "", *, required=True, section="", check_outliers=True, remove=False):
    return {
        "indicator": str(indicator.pk),
        "order": str(order),
        "required": required,
        "section": section,
        "check_outliers": check_outliers,
        "remove": remove,
    }


def current_rows(setup) -> list[dict[str, Any]]:
    return [
        row(setup.households, 0),
        row(setup.cultured, 1),
        row(setup.rate, 2, required=False),
    ]


# --- Creating and editing a data set ----------------------------------------------------


@pytest.mark.parametrize("who", EDITORS)
def test_an_administrator_creates_a_data_set_and_goes_on_to_its_indicators(setup, personas, client, who):
    client.force_login(personas[who])
    assert client.get(reverse("reporting:data_set_create")).status_code == 200
    response = client.post(
        reverse("reporting:data_set_create"),
        {
            "code": "KT_XH_THANG",
            "name": "Báo cáo kinh tế – xã hội hằng tháng",
            "period_kind": "month",
            "description": "",
        },
    )
    assert response.status_code == 302, errors(response)
    created = DataSet.objects.get(code="KT_XH_THANG")
    assert response["Location"] == reverse("reporting:data_set_items", args=[created.pk])
    assert (created.name, created.period_kind) == ("Báo cáo kinh tế – xã hội hằng tháng", "month")
    entry = AuditEntry.objects.get(content_type__model="dataset", object_id=str(created.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == personas[who]
    assert entry.after["code"] == "KT_XH_THANG" and entry.after["period_kind"] == "month"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "tien_do_quy"}, "Đã có bộ chỉ tiêu mã “TIEN_DO_QUY”"),
        ({"code": "TIẾN ĐỘ"}, "chỉ gồm chữ không dấu, chữ số"),
        ({"name": "  "}, "Trường này là bắt buộc."),
        ({"period_kind": "week"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(setup, personas, client, changes, message):
    client.force_login(personas["district_admin"])
    before = (DataSet.objects.count(), audit_count("dataset"))
    data = {"code": "MOI", "name": "Bộ mới", "period_kind": "quarter", "description": "", **changes}
    response = client.post(reverse("reporting:data_set_create"), data)
    assert response.status_code == 400
    assert message in errors(response)
    assert (DataSet.objects.count(), audit_count("dataset")) == before


def test_editing_a_data_set_records_before_and_after(setup, personas, client):
    client.force_login(personas["district_admin"])
    url = reverse("reporting:data_set_edit", args=[setup.data_set.pk])
    html = client.get(url).content.decode()
    assert 'name="code"' not in html  # the code is fixed once the set exists
    response = client.post(
        url, {"name": "Tiến độ quý (sửa)", "period_kind": "quarter", "description": "Theo Kế hoạch 12/KH-UBND."}
    )
    assert response.status_code == 302, errors(response)
    assert response["Location"] == reverse("reporting:data_set", args=[setup.data_set.pk])
    setup.data_set.refresh_from_db()
    assert (setup.data_set.name, setup.data_set.code) == ("Tiến độ quý (sửa)", "TIEN_DO_QUY")
    entry = AuditEntry.objects.get(content_type__model="dataset", action=AuditEntry.Action.UPDATE)
    assert entry.before["name"] == "Báo cáo tiến độ hằng quý" and entry.after["name"] == "Tiến độ quý (sửa)"
    assert entry.after["description"] == "Theo Kế hoạch 12/KH-UBND."


def test_saving_without_a_change_writes_no_audit_row(setup, personas):
    data_set = setup.data_set
    datasets.update_data_set(personas["district_admin"], data_set, data_set.name, data_set.period_kind, "")
    assert audit_count("dataset") == 0


def test_the_period_kind_cannot_change_once_rounds_exist(setup, personas, client):
    client.force_login(personas["district_admin"])
    before = snapshot(setup.data_set)
    response = client.post(
        reverse("reporting:data_set_edit", args=[setup.data_set.pk]),
        {"name": "Tiến độ năm", "period_kind": "year", "description": ""},
    )
    assert response.status_code == 400
    assert "đã có 1 đợt báo cáo theo quý nên không đổi được loại kỳ" in errors(response)
    assert snapshot(setup.data_set) == before


def test_the_period_kind_changes_only_when_every_indicator_is_of_the_new_kind(setup, fresh, yearly, personas):
    admin = personas["district_admin"]
    datasets.set_items(admin, fresh, [(setup.households, 1, True, "")])
    with pytest.raises(ValidationError) as refused:
        datasets.update_data_set(admin, fresh, fresh.name, "year")
    assert "chỉ tiêu “TONG_HO – Tổng số hộ gia đình” báo cáo theo quý" in str(refused.value)
    datasets.set_items(admin, fresh, [])
    datasets.update_data_set(admin, fresh, fresh.name, "year")
    datasets.set_items(admin, fresh, [(yearly, 1, True, "")])
    fresh.refresh_from_db()
    assert fresh.period_kind == "year" and [i.indicator for i in fresh.items.all()] == [yearly]


# --- The indicators of a set ------------------------------------------------------------


def test_choosing_the_indicators_on_the_page(setup, fresh, yearly, personas, client):
    client.force_login(personas["district_admin"])
    url = reverse("reporting:data_set_items", args=[fresh.pk])
    html = client.get(url).content.decode()
    assert f'<option value="{setup.households.pk}">TONG_HO – Tổng số hộ gia đình</option>' in html
    assert f'value="{yearly.pk}"' not in html  # only indicators reported quarterly are offered
    rows = [
        row(setup.cultured, 2, section="Văn hóa", check_outliers=False),
        row(setup.households, 1, section="Dân cư"),
        {"indicator": "", "order": "", "required": True, "section": "", "check_outliers": True},  # an empty row
    ]
    response = client.post(url, items_post(rows, initial=0))
    assert response.status_code == 302, errors(response)
    assert list(fresh.items.values_list("indicator__code", "order", "section", "check_outliers")) == [
        ("TONG_HO", 1, "Dân cư", True),
        ("GD_VANHOA", 2, "Văn hóa", False),
    ]
    entry = AuditEntry.objects.get(content_type__model="dataset", action=AuditEntry.Action.UPDATE)
    assert entry.before == {"items": []}
    assert entry.after["items"][1] == {
        "indicator": "GD_VANHOA",
        "order": 2,
        "required": True,
        "section": "Văn hóa",
        "check_outliers": False,
    }


def test_the_items_page_shows_the_current_rows_and_keeps_them_in_place(setup, personas, client):
    client.force_login(personas["district_admin"])
    url = reverse("reporting:data_set_items", args=[setup.data_set.pk])
    html = client.get(url).content.decode()
    assert re.search(rf'<option value="{setup.rate.pk}" selected>', html)
    ids = dict(setup.data_set.items.values_list("indicator__code", "pk"))
    rows = current_rows(setup)
    rows[2] = row(setup.rate, 2, required=True, check_outliers=False)
    response = client.post(url, items_post(rows, initial=3))
    assert response.status_code == 302, errors(response)
    assert dict(setup.data_set.items.values_list("indicator__code", "pk")) == ids  # updated, not replaced
    rate = setup.data_set.items.get(indicator=setup.rate)
    assert (rate.required, rate.check_outliers) == (True, False)


def test_an_indicator_of_another_frequency_is_refused_and_nothing_is_written(setup, yearly, personas):
    before = snapshot(setup.data_set)
    with pytest.raises(ValidationError) as refused:
        datasets.set_items(
            personas["district_admin"],
            setup.data_set,
            [(setup.households, 0, True, ""), (setup.cultured, 1, True, ""), (yearly, 2, True, "")],
        )
    assert "Chỉ tiêu “DAN_SO – Dân số trung bình” báo cáo theo năm, không theo quý" in str(refused.value)
    assert snapshot(setup.data_set) == before


def test_an_indicator_not_offered_is_refused_on_the_page(setup, yearly, personas, client):
    client.force_login(personas["district_admin"])
    before = snapshot(setup.data_set)
    rows = [*current_rows(setup), row(yearly, 3)]
    response = client.post(reverse("reporting:data_set_items", args=[setup.data_set.pk]), items_post(rows, initial=3))
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in errors(response)
    assert snapshot(setup.data_set) == before


def test_an_item_of_another_frequency_from_before_is_named_on_the_page(setup, yearly, personas, client):
    # Put there by hand (the demo, the database): the page offers it and the service names it.
    DataSetIndicator.objects.create(data_set=setup.data_set, indicator=yearly, order=9)
    client.force_login(personas["district_admin"])
    before = snapshot(setup.data_set)
    rows = [*current_rows(setup), row(yearly, 9)]
    response = client.post(reverse("reporting:data_set_items", args=[setup.data_set.pk]), items_post(rows, initial=4))
    assert response.status_code == 400
    assert "“DAN_SO – Dân số trung bình” báo cáo theo năm" in errors(response)
    assert snapshot(setup.data_set) == before


def test_an_indicator_twice_is_refused(setup, personas):
    before = snapshot(setup.data_set)
    with pytest.raises(ValidationError) as refused:
        datasets.set_items(
            personas["district_admin"],
            setup.data_set,
            [(setup.households, 0, True, ""), (setup.households, 1, False, "")],
        )
    assert "“TONG_HO – Tổng số hộ gia đình” có hơn một lần" in str(refused.value)
    assert snapshot(setup.data_set) == before


def test_an_indicator_used_by_a_rule_cannot_be_removed(setup, personas, client):
    client.force_login(personas["district_admin"])
    url = reverse("reporting:data_set_items", args=[setup.data_set.pk])
    before = snapshot(setup.data_set)
    rows = current_rows(setup)
    rows[1]["remove"] = True
    response = client.post(url, items_post(rows, initial=3))
    assert response.status_code == 400
    assert (
        "Không bỏ được chỉ tiêu “GD_VANHOA – Số hộ đạt danh hiệu gia đình văn hóa”: "
        "quy tắc “GD_VANHOA <= TONG_HO” đang dùng mã này."
    ) in errors(response)
    assert snapshot(setup.data_set) == before
    # Once the rule is switched off, the indicator may leave.
    datasets.set_rule_active(personas["district_admin"], setup.data_set.rules.get(), False)
    assert client.post(url, items_post(rows, initial=3)).status_code == 302
    assert not setup.data_set.items.filter(indicator=setup.cultured).exists()


# --- Validation rules -------------------------------------------------------------------


def rules_url(setup) -> str:
    return reverse("reporting:data_set_rules", args=[setup.data_set.pk])


def test_adding_a_rule_on_the_page(setup, personas, client):
    client.force_login(personas["district_admin"])
    html = client.get(rules_url(setup)).content.decode()
    assert "Mã chỉ tiêu dùng được: TONG_HO, GD_VANHOA, TL_THU_NS." in html
    response = client.post(
        rules_url(setup), {"expression": "TL_THU_NS <= 100 và TL_THU_NS >= 0", "message": "Tỷ lệ từ 0 đến 100."}
    )
    assert response.status_code == 302, errors(response)
    rule = setup.data_set.rules.get(message="Tỷ lệ từ 0 đến 100.")
    assert rule.is_active and rule.expression == "TL_THU_NS <= 100 và TL_THU_NS >= 0"
    entry = AuditEntry.objects.get(content_type__model="validationrule")
    assert entry.action == AuditEntry.Action.CREATE and entry.after["expression"] == rule.expression


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("GD_VANHOA <=", "Không đọc được quy tắc “GD_VANHOA <=”"),
        ("GD_VANHOA + TONG_HO", "cần là một phép so sánh"),
        ("__import__('os') == 1", "không được phép"),
        ("SO_HO_NGHEO <= TONG_HO", "Mã “SO_HO_NGHEO” không phải chỉ tiêu của bộ “Báo cáo tiến độ hằng quý”."),
        ("gd_vanhoa <= TONG_HO", "Có phải “GD_VANHOA”?"),
        ("1 < 2", "không dùng mã chỉ tiêu nào"),
        ("GD_VANHOA  <= TONG_HO", "đã có quy tắc"),
    ],
)
def test_a_bad_rule_is_refused_in_vietnamese_and_nothing_is_written(setup, personas, client, expression, message):
    client.force_login(personas["district_admin"])
    before = snapshot(setup.data_set)
    response = client.post(rules_url(setup), {"expression": expression, "message": "Sai."})
    assert response.status_code == 400
    assert message in errors(response)
    assert snapshot(setup.data_set) == before


def test_a_code_of_an_indicator_outside_the_set_says_to_add_it_first(setup, yearly, personas):
    with pytest.raises(ValidationError) as refused:
        datasets.add_rule(personas["system_admin"], setup.data_set, "DAN_SO >= TONG_HO", "Sai.")
    assert "Hãy thêm chỉ tiêu này vào bộ trước." in str(refused.value)


def test_editing_a_rule_records_before_and_after(setup, personas, client):
    rule = setup.data_set.rules.get()
    client.force_login(personas["district_admin"])
    url = reverse("reporting:data_set_rule_edit", args=[setup.data_set.pk, rule.pk])
    assert 'value="Số hộ văn hóa không thể nhiều hơn tổng số hộ."' in client.get(url).content.decode()
    response = client.post(url, {"expression": "GD_VANHOA ≤ TONG_HO", "message": rule.message, "is_active": "on"})
    assert response.status_code == 302, errors(response)
    rule.refresh_from_db()
    assert rule.expression == "GD_VANHOA ≤ TONG_HO"
    entry = AuditEntry.objects.get(content_type__model="validationrule", action=AuditEntry.Action.UPDATE)
    assert (entry.before["expression"], entry.after["expression"]) == ("GD_VANHOA <= TONG_HO", "GD_VANHOA ≤ TONG_HO")


def test_a_rule_edited_into_an_unknown_code_is_refused(setup, personas, client):
    rule = setup.data_set.rules.get()
    client.force_login(personas["district_admin"])
    before = snapshot(setup.data_set)
    response = client.post(
        reverse("reporting:data_set_rule_edit", args=[setup.data_set.pk, rule.pk]),
        {"expression": "GD_VANHOA <= TONG_HO_X", "message": rule.message, "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Mã “TONG_HO_X” không phải chỉ tiêu của bộ" in errors(response)
    assert snapshot(setup.data_set) == before


def test_switching_a_rule_off_and_on(setup, personas, client):
    rule = setup.data_set.rules.get()
    client.force_login(personas["district_admin"])
    url = reverse("reporting:data_set_rule_toggle", args=[setup.data_set.pk, rule.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Đã ngừng áp dụng quy tắc “GD_VANHOA &lt;= TONG_HO”." in response.content.decode()
    rule.refresh_from_db()
    assert not rule.is_active
    client.post(url)
    rule.refresh_from_db()
    assert rule.is_active
    entries = AuditEntry.objects.filter(content_type__model="validationrule").order_by("pk")
    assert [(e.before["is_active"], e.after["is_active"]) for e in entries] == [(True, False), (False, True)]


def test_a_rule_cannot_come_back_once_its_indicator_has_left(setup, personas, client):
    admin = personas["district_admin"]
    rule = datasets.set_rule_active(admin, setup.data_set.rules.get(), False)
    datasets.set_items(admin, setup.data_set, [(setup.households, 0, True, ""), (setup.rate, 1, False, "")])
    client.force_login(admin)
    before = snapshot(setup.data_set)
    response = client.post(reverse("reporting:data_set_rule_toggle", args=[setup.data_set.pk, rule.pk]), follow=True)
    assert "Mã “GD_VANHOA” không phải chỉ tiêu của bộ" in errors(response)
    assert snapshot(setup.data_set) == before


def test_a_rule_of_another_set_is_not_found(setup, fresh, personas, client):
    rule = setup.data_set.rules.get()
    client.force_login(personas["district_admin"])
    assert client.get(reverse("reporting:data_set_rule_edit", args=[fresh.pk, rule.pk])).status_code == 404
    assert client.post(reverse("reporting:data_set_rule_toggle", args=[fresh.pk, rule.pk])).status_code == 404


# --- Who may read, who may change -------------------------------------------------------


@pytest.mark.parametrize("who", NOT_EDITORS)
def test_people_who_administer_no_unit_cannot_change_data_sets(setup, personas, client, who):
    client.force_login(personas[who])
    pk, rule_pk = setup.data_set.pk, setup.data_set.rules.get().pk
    before = (snapshot(setup.data_set), DataSet.objects.count())
    for url in (
        reverse("reporting:data_set_create"),
        reverse("reporting:data_set_edit", args=[pk]),
        reverse("reporting:data_set_items", args=[pk]),
        reverse("reporting:data_set_rules", args=[pk]),
        reverse("reporting:data_set_rule_edit", args=[pk, rule_pk]),
    ):
        assert client.get(url).status_code == 403, url
    posts = {
        reverse("reporting:data_set_create"): {"code": "X", "name": "X", "period_kind": "quarter"},
        reverse("reporting:data_set_edit", args=[pk]): {"name": "Đổi", "period_kind": "quarter"},
        reverse("reporting:data_set_items", args=[pk]): items_post([], initial=0),
        reverse("reporting:data_set_rules", args=[pk]): {"expression": "TONG_HO >= 0", "message": "Sai."},
        reverse("reporting:data_set_rule_edit", args=[pk, rule_pk]): {"expression": "TONG_HO >= 0", "message": "S"},
        reverse("reporting:data_set_rule_toggle", args=[pk, rule_pk]): {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert (snapshot(setup.data_set), DataSet.objects.count()) == before


@pytest.mark.parametrize("who", NOT_EDITORS)
def test_the_services_refuse_people_who_administer_no_unit(setup, personas, who):
    actor = personas[who]
    before = (snapshot(setup.data_set), DataSet.objects.count())
    for attempt in (
        lambda: datasets.create_data_set(actor, "X", "X", "quarter"),
        lambda: datasets.update_data_set(actor, setup.data_set, "Đổi", "quarter"),
        lambda: datasets.set_items(actor, setup.data_set, []),
        lambda: datasets.add_rule(actor, setup.data_set, "TONG_HO >= 0", "Sai."),
        lambda: datasets.set_rule_active(actor, setup.data_set.rules.get(), False),
    ):
        with pytest.raises(ValidationError, match="Chỉ quản trị hệ thống và quản trị đơn vị"):
            attempt()
    assert (snapshot(setup.data_set), DataSet.objects.count()) == before


@pytest.mark.parametrize("who", ["ward_reporter", "district_viewer", "district_reviewer"])
def test_anyone_with_a_role_reads_the_sets_and_their_rules(setup, personas, client, who):
    client.force_login(personas[who])
    html = client.get(reverse("reporting:data_sets")).content.decode()
    assert "TIEN_DO_QUY" in html and reverse("reporting:data_set_create") not in html
    response = client.get(reverse("reporting:data_set", args=[setup.data_set.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "GD_VANHOA &lt;= TONG_HO" in html and "Tổng số hộ gia đình" in html
    assert reverse("reporting:data_set_items", args=[setup.data_set.pk]) not in html


def test_someone_without_a_role_reads_nothing(setup, personas, client):
    client.force_login(personas["outsider"])
    assert client.get(reverse("reporting:data_sets")).status_code == 403
    assert client.get(reverse("reporting:data_set", args=[setup.data_set.pk])).status_code == 403


def test_a_set_that_does_not_exist_is_not_found(setup, personas, client):
    client.force_login(personas["district_admin"])
    assert client.get(reverse("reporting:data_set", args=[999999])).status_code == 404
    assert client.get(reverse("reporting:data_set_edit", args=[999999])).status_code == 404


def test_the_set_page_shows_its_history(setup, personas, client):
    admin = personas["district_admin"]
    datasets.update_data_set(admin, setup.data_set, "Tiến độ quý", "quarter", "")
    datasets.add_rule(admin, setup.data_set, "TL_THU_NS <= 100", "Tỷ lệ quá 100%.")
    client.force_login(personas["ward_reporter"])
    html = client.get(reverse("reporting:data_set", args=[setup.data_set.pk])).content.decode()
    assert html.count('class="audit-entry"') == 2 and "quan.quantri" in html


def test_posting_without_the_csrf_token_is_refused(setup, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["district_admin"])
    response = client.post(reverse("reporting:data_set_create"), {"code": "X", "name": "X", "period_kind": "quarter"})
    assert response.status_code == 403
    assert not DataSet.objects.filter(code="X").exists()


def test_the_schedules_page_links_to_the_data_sets(setup, personas, client):
    client.force_login(personas["ward_reporter"])
    assert reverse("reporting:data_sets") in client.get(reverse("reporting:schedules")).content.decode()


# --- Bounded queries --------------------------------------------------------------------

LIST_QUERIES = 7
DETAIL_QUERIES = 13  # 11, and 2 more for the content types when their cache is cold


@pytest.mark.parametrize("extra", [0, 12])
def test_the_list_runs_a_bounded_number_of_queries(setup, personas, client, django_assert_max_num_queries, extra):
    for n in range(extra):
        data_set = datasets.create_data_set(None, f"BO_{n}", f"Bộ {n}", "quarter")
        datasets.set_items(None, data_set, [(setup.households, 0, True, ""), (setup.cultured, 1, True, "")])
        datasets.add_rule(None, data_set, "GD_VANHOA <= TONG_HO", "Sai.")
    client.force_login(personas["district_admin"])
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("reporting:data_sets"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="data-set"') == 1 + extra


@pytest.mark.parametrize("extra", [0, 10])
def test_the_set_page_runs_a_bounded_number_of_queries(setup, personas, client, django_assert_max_num_queries, extra):
    for n in range(extra):
        datasets.add_rule(None, setup.data_set, f"TONG_HO >= {n}", "Sai.")
        datasets.update_data_set(None, setup.data_set, f"Tiến độ quý {n}", "quarter")
    client.force_login(personas["ward_reporter"])
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("reporting:data_set", args=[setup.data_set.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="rule"') == 1 + extra
