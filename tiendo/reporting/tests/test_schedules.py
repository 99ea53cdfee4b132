"""Schedules and opening a round by hand, through the services and the pages; and the
page of background job runs.

The small tree's district and wards exist until 1/7/2025, so the pages are looked at
on 1/3/2024 (``?ngay=``): the units offered are those of that day.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.reporting import reminders, schedules
from tiendo.reporting.models import JobRun, Round, Schedule
from tiendo.testing import build_reporting, make_user

pytestmark = pytest.mark.django_db

DAY = "1/3/2024"


@pytest.fixture
def setup(tree, personas):
    return build_reporting(tree)


def create_url() -> str:
    return reverse("reporting:schedule_create") + f"?ngay={DAY}"


def errors(response) -> str:
    html = response.content.decode()
    found = re.findall(r'class="field__error"[^>]*>(.*?)</p>', html, re.S)
    found += re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found)


def schedule_post(setup, tree, **changes):
    data = {
        "data_set": setup.data_set.pk,
        "name": "Tiến độ hằng quý của các phường",
        "reviewing_unit": tree.district.pk,
        "units": [tree.ward_a1.pk, tree.ward_a2.pk],
        "starts_on": "1/1/2025",
        "ends_on": "",
        "open_offset_days": "-10",
        "due_offset_days": "10",
        "remind_days_before": "3",
        "is_active": "on",
    }
    data.update(changes)
    return data


def counts() -> tuple[int, int]:
    return Schedule.objects.count(), AuditEntry.objects.filter(content_type__model="schedule").count()


# --- Creating and changing schedules ----------------------------------------------------


def test_the_form_offers_the_units_below_the_reviewing_unit(setup, tree, personas, client):
    client.force_login(personas["district_admin"])
    response = client.get(create_url())
    assert response.status_code == 200
    html = response.content.decode()
    for unit in (tree.ward_a1, tree.ward_a2, tree.agency):
        assert f'name="units" value="{unit.pk}"' in html
    assert f'name="units" value="{tree.tdp_a1_1.pk}"' not in html  # only the level directly below
    assert 'hx-get="/bao-cao/lich/moi/?ngay=1%2F3%2F2024"' in html


def test_choosing_another_reviewing_unit_lists_its_units_and_keeps_what_was_typed(setup, tree, personas, client):
    client.force_login(personas["district_admin"])
    response = client.get(
        reverse("reporting:schedule_create"),
        {"ngay": DAY, "reviewing_unit": tree.ward_a1.pk, "name": "Lịch của phường", "open_offset_days": "-5"},
    )
    html = response.content.decode()
    assert f'name="units" value="{tree.tdp_a1_1.pk}"' in html and f'name="units" value="{tree.ward_a2.pk}"' not in html
    assert 'value="Lịch của phường"' in html and 'value="-5"' in html


def test_creating_a_schedule_writes_it_and_its_audit_row(setup, tree, personas, client):
    client.force_login(personas["district_admin"])
    response = client.post(create_url(), schedule_post(setup, tree))
    assert response.status_code == 302, errors(response)
    assert response["Location"] == reverse("reporting:schedules")
    schedule = Schedule.objects.get()
    assert (schedule.reviewing_unit, schedule.starts_on, schedule.open_offset_days, schedule.due_offset_days) == (
        tree.district,
        dt.date(2025, 1, 1),
        -10,
        10,
    )
    assert set(schedule.units.all()) == {tree.ward_a1, tree.ward_a2}
    assert schedule.created_by == personas["district_admin"]
    entry = AuditEntry.objects.get(content_type__model="schedule")
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == personas["district_admin"]
    assert entry.after["units"] == sorted([tree.ward_a1.pk, tree.ward_a2.pk])


def test_due_not_after_opening_is_refused_in_vietnamese_and_nothing_is_written(setup, tree, personas, client):
    client.force_login(personas["district_admin"])
    before = counts()
    response = client.post(create_url(), schedule_post(setup, tree, open_offset_days="10", due_offset_days="5"))
    assert response.status_code == 400
    assert "Hạn nộp phải sau ngày mở đợt báo cáo" in errors(response)
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"open_offset_days": "mười"}, "không phải là số viết đúng cách"),
        ({"due_offset_days": "400"}, "Số ngày phải trong khoảng từ -366 đến 366."),
        ({"remind_days_before": "90"}, "Số ngày nhắc trước hạn phải từ 0 đến 60."),
        ({"starts_on": "31/2/2025"}, "Ngày 31/2/2025 không tồn tại."),
        ({"ends_on": "1/1/2024"}, "Ngày kết thúc áp dụng phải sau ngày bắt đầu."),
        ({"units": []}, "Chọn ít nhất một đơn vị phải báo cáo."),
        ({"name": " "}, "Trường này là bắt buộc."),
    ],
)
def test_bad_values_are_refused_with_a_message(setup, tree, personas, client, changes, message):
    client.force_login(personas["district_admin"])
    before = counts()
    response = client.post(create_url(), schedule_post(setup, tree, **changes))
    assert response.status_code == 400
    assert message in errors(response)
    assert counts() == before


def test_a_unit_not_offered_is_refused(setup, tree, personas, client):
    client.force_login(personas["district_admin"])
    response = client.post(create_url(), schedule_post(setup, tree, units=[tree.new_ward.pk]))
    assert response.status_code == 400 and counts() == (0, 0)


def test_a_second_active_schedule_for_the_same_set_and_unit_is_refused(setup, tree, personas):
    fields = {
        "data_set": setup.data_set,
        "name": "Một",
        "reviewing_unit": tree.district,
        "units": [tree.ward_a1],
        "starts_on": dt.date(2025, 1, 1),
    }
    schedules.create_schedule(personas["district_reviewer"], **fields)
    with pytest.raises(ValidationError) as refused:
        schedules.create_schedule(personas["district_reviewer"], **{**fields, "name": "Hai"})
    assert "đã có lịch báo cáo" in str(refused.value)


def test_only_planners_of_the_reviewing_unit_may_create(setup, tree, personas):
    with pytest.raises(ValidationError):
        schedules.create_schedule(
            personas["ward_reporter"],
            data_set=setup.data_set,
            name="Lịch",
            reviewing_unit=tree.district,
            units=[tree.ward_a1],
            starts_on=dt.date(2025, 1, 1),
        )
    assert counts() == (0, 0)


@pytest.mark.parametrize("who", ["ward_reporter", "district_viewer", "outsider"])
def test_people_who_plan_nothing_cannot_open_the_form(setup, personas, client, who):
    client.force_login(personas[who])
    assert client.get(create_url()).status_code == 403
    assert client.get(reverse("reporting:round_open")).status_code == 403


@pytest.fixture
def schedule(setup, tree, personas):
    return schedules.create_schedule(
        personas["district_admin"],
        data_set=setup.data_set,
        name="Tiến độ quý",
        reviewing_unit=tree.district,
        units=[tree.ward_a1, tree.ward_a2],
        starts_on=dt.date(2025, 1, 1),
    )


def edit_url(schedule) -> str:
    return reverse("reporting:schedule_edit", args=[schedule.pk]) + f"?ngay={DAY}"


def test_editing_a_schedule_records_before_and_after(setup, tree, personas, client, schedule):
    client.force_login(personas["district_reviewer"])
    assert client.get(edit_url(schedule)).status_code == 200
    response = client.post(
        edit_url(schedule), schedule_post(setup, tree, units=[tree.ward_a1.pk], due_offset_days="15")
    )
    assert response.status_code == 302, errors(response)
    schedule.refresh_from_db()
    assert schedule.due_offset_days == 15 and list(schedule.units.all()) == [tree.ward_a1]
    entry = AuditEntry.objects.filter(content_type__model="schedule", action=AuditEntry.Action.UPDATE).get()
    assert entry.before["due_offset_days"] == 10 and entry.after["due_offset_days"] == 15
    assert entry.after["units"] == [tree.ward_a1.pk]


def test_the_edit_form_keeps_units_no_longer_below_on_the_day(setup, tree, personas, client, schedule):
    # Today the district has ended: no unit stands below it, yet the schedule's own stay offered and checked.
    client.force_login(personas["district_admin"])
    html = client.get(reverse("reporting:schedule_edit", args=[schedule.pk])).content.decode()
    for unit in (tree.ward_a1, tree.ward_a2):
        assert re.search(rf'name="units" value="{unit.pk}"[^>]*checked', html)
    assert re.search(rf'<option value="{tree.district.pk}" selected>', html)


@pytest.mark.parametrize(("who", "status"), [("district_viewer", 403), ("ward_reporter", 404), ("outsider", 404)])
def test_editing_is_scoped(setup, tree, personas, client, schedule, who, status):
    client.force_login(personas[who])
    assert client.get(edit_url(schedule)).status_code == status
    assert client.post(edit_url(schedule), schedule_post(setup, tree, name="Đổi")).status_code == status
    schedule.refresh_from_db()
    assert schedule.name == "Tiến độ quý"


def test_the_list_shows_schedules_in_scope(setup, tree, personas, client, schedule):
    client.force_login(personas["district_viewer"])
    html = client.get(reverse("reporting:schedules")).content.decode()
    assert "Tiến độ quý" in html and reverse("reporting:schedule_edit", args=[schedule.pk]) not in html
    client.force_login(personas["district_admin"])
    html = client.get(reverse("reporting:schedules")).content.decode()
    assert reverse("reporting:schedule_edit", args=[schedule.pk]) in html
    client.force_login(make_user("moi.tonghop", Role.REVIEWER, tree.new_ward))
    assert "Tiến độ quý" not in client.get(reverse("reporting:schedules")).content.decode()


def test_a_schedule_made_on_the_page_is_opened_by_the_job(setup, tree, personas, client):
    client.force_login(personas["district_admin"])
    client.post(create_url(), schedule_post(setup, tree, starts_on="1/10/2024"))
    reminders.run(today=dt.date(2024, 12, 25))  # quarter IV opens on 21/12/2024
    opened = Round.objects.get(schedule__isnull=False)
    assert opened.period.code == "2024-Q4" and opened.submissions.count() == 2


# --- Opening a round by hand ------------------------------------------------------------


def round_post(setup, tree, **changes):
    data = {
        "data_set": setup.data_set.pk,
        "period": "2024-Q4",
        "reviewing_unit": tree.district.pk,
        "units": [tree.ward_a1.pk, tree.ward_a2.pk],
        "opens_on": "21/12/2024",
        "due_on": "10/1/2025",
        "remind_days_before": "3",
    }
    data.update(changes)
    return data


def test_opening_a_round_by_hand(setup, tree, personas, client):
    client.force_login(personas["district_reviewer"])
    response = client.post(reverse("reporting:round_open"), round_post(setup, tree))
    assert response.status_code == 302, errors(response)
    opened = Round.objects.get(period_start=dt.date(2024, 10, 1))
    assert response["Location"] == reverse("reporting:round", args=[opened.pk])
    assert (opened.opens_on, opened.due_on, opened.created_by) == (
        dt.date(2024, 12, 21),
        dt.date(2025, 1, 10),
        personas["district_reviewer"],
    )
    assert opened.submissions.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period": "2024-Q5"}, "không đúng dạng"),
        ({"period": "2024-Q3"}, "Đã có đợt báo cáo"),
        ({"period": "2024-05"}, "báo cáo theo kỳ khác"),
        ({"due_on": "1/12/2024"}, "Hạn nộp 1/12/2024 trước ngày mở 21/12/2024."),
    ],
)
def test_opening_a_round_refused(setup, tree, personas, client, changes, message):
    client.force_login(personas["district_reviewer"])
    before = Round.objects.count()
    response = client.post(reverse("reporting:round_open"), round_post(setup, tree, **changes))
    assert response.status_code == 400
    assert message in errors(response)
    assert Round.objects.count() == before


def test_the_round_form_starts_from_a_schedule(setup, tree, personas, client, schedule):
    client.force_login(personas["district_admin"])
    response = client.get(reverse("reporting:round_open"), {"lich": schedule.pk, "ngay": "15/3/2025"})
    html = response.content.decode()
    assert 'value="2025-Q1"' in html and 'value="22/3/2025"' in html and 'value="11/4/2025"' in html
    assert f'value="{tree.ward_a1.pk}"' in html
    client.force_login(personas["district_viewer"])
    assert client.get(reverse("reporting:round_open"), {"lich": schedule.pk}).status_code == 403


# --- Job runs ---------------------------------------------------------------------------


def test_job_runs_for_system_administrators_only(setup, personas, client):
    reminders.run(today=dt.date(2024, 9, 20))
    client.force_login(personas["system_admin"])
    response = client.get(reverse("reporting:jobs"))
    assert response.status_code == 200
    assert "Đã gửi" in response.content.decode() and JobRun.objects.count() == 1
    client.force_login(personas["district_admin"])
    assert client.get(reverse("reporting:jobs")).status_code == 403
