"""The pages that write: recording a directive with its full text, assigning a task,
splitting it among the wards, and files on progress and completion reports. Each
refusal shows its Vietnamese message and writes nothing (no row, no file on disk);
another ward cannot reach a task or its files by guessing ids; the pages run a
fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.attachments.models import Attachment
from tiendo.audit.models import AuditEntry
from tiendo.lib.dates import today
from tiendo.lib.vn import format_date
from tiendo.tasks import services
from tiendo.tasks.models import Directive, Task, TaskUpdate
from tiendo.testing import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48


@pytest.fixture(autouse=True)
def storage(tmp_path: Path):
    stores = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    with override_settings(STORAGES=stores):
        yield tmp_path


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(name: str, data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def people(tree):
    return {
        "city": make_user("tp.tonghop", Role.REVIEWER, tree.city),
        "new_ward": make_user("moi.baocao", Role.REPORTER, tree.new_ward),
        "new_ward_admin": make_user("moi.quantri", Role.UNIT_ADMIN, tree.new_ward),
        "ward_b": make_user("b.baocao", Role.REPORTER, tree.ward_b),
    }


def day(offset: int) -> dt.date:
    return today() + dt.timedelta(days=offset)


def _task(tree, people, title="Rà soát hộ nghèo", *, days=30, unit=None, lead=None):
    return services.create_task(
        people["city"], title=title, expected_output="Báo cáo rà soát", assigned_by=tree.city,
        lead_unit=lead or unit or tree.new_ward, deadline=day(days),
    )


def task_post(tree, **changes):
    data = {
        "title": "Chỉnh trang vỉa hè tuyến phố", "expected_output": "Báo cáo kết quả kèm ảnh trước, sau",
        "description": "", "directive": "", "assigned_by": tree.city.pk, "lead_unit": tree.new_ward.pk,
        "coordinating_units": [tree.ward_b.pk], "deadline": format_date(day(30)), "priority": "high",
        "recurrence": "", "recurs_until": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# Recording a directive -----------------------------------------------------------------


def test_directive_is_recorded_with_its_full_text_file(client, tree, people, storage):
    client.force_login(people["city"])
    response = client.post(reverse("tasks:directive_create"), {
        "kind": "conclusion", "number": "05-KL/TU", "issued_on": format_date(day(-10)), "issuer": tree.city.pk,
        "title": "Kết luận về chỉnh trang đô thị", "text": "", "file": upload("Kết luận 05.pdf"),
    })
    directive = Directive.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:directive", args=[directive.pk])
    attachment = Attachment.objects.get()
    assert attachment.owner == directive and attachment.unit == tree.city
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("attachments:download", args=[attachment.pk])}"' in page
    assert "Kết luận 05.pdf" in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_repr__contains="05-KL/TU").exists()


def test_a_refused_full_text_file_records_no_directive(client, tree, people, storage):
    client.force_login(people["city"])
    response = client.post(reverse("tasks:directive_create"), {
        "kind": "conclusion", "number": "05-KL/TU", "issued_on": format_date(day(-10)), "issuer": tree.city.pk,
        "title": "Kết luận", "file": upload("ket-luan.pdf", EXE),
    })
    assert response.status_code == 400
    assert "“ket-luan.pdf”: Loại tệp không được phép" in response.content.decode()
    assert not Directive.objects.exists() and not Attachment.objects.exists() and files_in(storage) == []


def test_directive_of_a_unit_out_of_scope_is_refused(client, tree, people):
    client.force_login(people["new_ward_admin"])
    form = client.get(reverse("tasks:directive_create")).context["form"]
    offered = {value for value, _label in form.fields["issuer"].choices if value}
    assert tree.new_ward.pk in offered and tree.ward_b.pk not in offered and tree.city.pk not in offered
    response = client.post(reverse("tasks:directive_create"), {
        "kind": "directive", "number": "01-CT", "issued_on": format_date(day(-1)), "issuer": tree.ward_b.pk, "title": "Chỉ thị",
    })
    assert response.status_code == 400
    assert "Đơn vị này không có trong danh sách bạn được chọn." in response.content.decode()
    assert not Directive.objects.exists()


# Assigning a task --------------------------------------------------------------------


def test_the_city_assigns_a_task_to_a_ward(client, tree, people):
    client.force_login(people["city"])
    assert client.get(reverse("tasks:create")).status_code == 200
    response = client.post(reverse("tasks:create"), task_post(tree))
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert (task.lead_unit, task.assigned_by, task.deadline, task.priority) == (tree.new_ward, tree.city, day(30), "high")
    assert list(task.coordinating_units.all()) == [tree.ward_b]
    page = client.get(response["Location"]).content.decode()
    assert "Đã giao nhiệm vụ cho Phường Mới." in page
    assert "Báo cáo kết quả kèm ảnh trước, sau" in page


def test_the_lead_unit_is_not_also_a_coordinating_unit(client, tree, people):
    client.force_login(people["city"])
    client.post(reverse("tasks:create"), task_post(tree, coordinating_units=[tree.new_ward.pk, tree.ward_b.pk]))
    assert list(Task.objects.get().coordinating_units.all()) == [tree.ward_b]


@pytest.fixture
def directive(tree, people):
    return services.create_directive(
        people["city"], kind="conclusion", number="07-KL/TU", issued_on=day(-10), issuer=tree.city, title="Kết luận 07"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": "past directive"}, "trước ngày ban hành văn bản"),
        ({"lead_unit": ""}, "Cần chọn đơn vị chủ trì."),
        ({"expected_output": "  "}, "Cần nêu sản phẩm của nhiệm vụ"),
        ({"deadline": ""}, "Cần có thời hạn."),
        ({"deadline": "31/2/2026"}, "Ngày 31/2/2026 không tồn tại."),
        ({"lead_unit": "out of scope"}, "Đơn vị này không có trong danh sách bạn được chọn."),
        ({"coordinating_units": ["out of scope"]}, "Đơn vị này không có trong danh sách bạn được chọn."),
        ({"assigned_by": "ward_b", "lead_unit": "new_ward"}, "Đơn vị chủ trì phải là “Phường B”"),
        ({"recurrence": "month", "recurs_until": "before"}, "Ngày kết thúc lặp lại phải từ thời hạn đầu tiên trở đi."),
    ],
)
def test_each_refusal_is_shown_on_the_form_and_writes_nothing(client, tree, people, directive, changes, message):
    out_of_scope = tree.ward_a1.pk  # ended in 2025: no longer offered to anyone
    values = {
        "past directive": format_date(directive.issued_on - dt.timedelta(days=1)),
        "out of scope": out_of_scope,
        "before": format_date(day(10)),
        "ward_b": tree.ward_b.pk,
        "new_ward": tree.new_ward.pk,
    }
    changes = {k: [values.get(x, x) for x in v] if isinstance(v, list) else values.get(v, v) for k, v in changes.items()}
    client.force_login(people["city"])
    response = client.post(reverse("tasks:create"), task_post(tree, directive=directive.pk, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Task.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="task").exists()


def test_a_ward_cannot_assign_to_another_ward_by_a_crafted_post(client, tree, people):
    client.force_login(people["new_ward_admin"])
    form = client.get(reverse("tasks:create")).context["form"]
    offered = {value for value, _label in form.fields["lead_unit"].choices if value}
    assert tree.new_ward.pk in offered and tree.tdp_a1_1.pk in offered
    assert tree.ward_b.pk not in offered and tree.city.pk not in offered
    response = client.post(reverse("tasks:create"), task_post(tree, assigned_by=tree.new_ward.pk, lead_unit=tree.ward_b.pk))
    assert response.status_code == 400
    assert "Đơn vị này không có trong danh sách bạn được chọn." in response.content.decode()
    response = client.post(reverse("tasks:create"), task_post(tree, assigned_by=tree.city.pk, lead_unit=tree.tdp_a1_1.pk))
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_a_reporter_may_not_assign_and_sees_no_button(client, tree, people):
    client.force_login(people["new_ward"])
    assert client.get(reverse("tasks:create")).status_code == 403
    assert client.post(reverse("tasks:create"), task_post(tree)).status_code == 403
    assert client.get(reverse("tasks:directive_create")).status_code == 403
    assert reverse("tasks:create") not in client.get(reverse("tasks:list")).content.decode()
    assert not Task.objects.exists()
    client.force_login(people["city"])
    assert reverse("tasks:create") in client.get(reverse("tasks:list")).content.decode()


def test_the_directive_page_leads_to_assigning_a_task_for_it(client, tree, people, directive):
    client.force_login(people["city"])
    page = client.get(reverse("tasks:directive", args=[directive.pk])).content.decode()
    url = f'{reverse("tasks:create")}?van_ban={directive.pk}'
    assert f'href="{url}"' in page
    form = client.get(url).context["form"]
    assert form.initial["directive"] == directive.pk and form.initial["assigned_by"] == tree.city.pk


def test_a_directive_out_of_scope_cannot_be_preselected(client, tree, people, directive):
    client.force_login(people["new_ward_admin"])
    assert client.get(reverse("tasks:create"), {"van_ban": directive.pk}).status_code == 404


# Splitting a task among the wards -----------------------------------------------------


@pytest.fixture
def city_task(tree, people):
    return _task(tree, people, "Ra quân tổng vệ sinh môi trường", lead=tree.city, days=20)


def test_split_gives_one_sub_task_to_each_chosen_ward(client, tree, people, city_task):
    client.force_login(people["city"])
    url = reverse("tasks:split", args=[city_task.pk])
    page = client.get(url).content.decode()
    assert "Phường Mới" in page and "Phường B" in page and f'value="{format_date(city_task.deadline)}"' in page
    response = client.post(url, {
        f"chon_{tree.new_ward.pk}": "on", f"han_{tree.new_ward.pk}": format_date(day(10)),
        f"chon_{tree.ward_b.pk}": "on", f"han_{tree.ward_b.pk}": "",
    })
    assert response.status_code == 302
    subtasks = {t.lead_unit: t for t in city_task.subtasks.all()}
    assert set(subtasks) == {tree.new_ward, tree.ward_b}
    assert subtasks[tree.new_ward].deadline == day(10)
    assert subtasks[tree.ward_b].deadline == city_task.deadline  # left empty: the parent's
    assert all(t.assigned_by == tree.city and t.title == city_task.title for t in subtasks.values())
    detail = client.get(reverse("tasks:detail", args=[city_task.pk])).content.decode()
    assert "Nhiệm vụ con" in detail and detail.count(f"{reverse('tasks:detail', args=[subtasks[tree.ward_b].pk])}") == 1
    # A ward that already has its sub-task is shown as assigned, not offered again.
    again = client.get(url).content.decode()
    assert again.count("(đã giao)") == 2


def test_split_refuses_a_deadline_after_the_parents(client, tree, people, city_task):
    client.force_login(people["city"])
    response = client.post(reverse("tasks:split", args=[city_task.pk]), {
        f"chon_{tree.new_ward.pk}": "on", f"han_{tree.new_ward.pk}": format_date(day(5)),
        f"chon_{tree.ward_b.pk}": "on", f"han_{tree.ward_b.pk}": format_date(day(25)),
    })
    assert response.status_code == 400
    assert "không được sau thời hạn của nhiệm vụ cấp trên" in response.content.decode()
    assert not city_task.subtasks.exists()


def test_split_needs_at_least_one_ward(client, tree, people, city_task):
    client.force_login(people["city"])
    response = client.post(reverse("tasks:split", args=[city_task.pk]), {})
    assert response.status_code == 400
    assert "Chọn ít nhất một đơn vị nhận nhiệm vụ con." in response.content.decode()


def test_only_who_may_assign_for_the_lead_unit_splits(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["new_ward"])  # a reporter carries out, does not assign
    assert client.get(reverse("tasks:split", args=[task.pk])).status_code == 403
    assert "/chia/" not in client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    client.force_login(people["new_ward_admin"])
    assert f'href="{reverse("tasks:split", args=[task.pk])}"' in client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    client.force_login(people["ward_b"])
    assert client.get(reverse("tasks:split", args=[task.pk])).status_code == 404


# Files on progress and completion ---------------------------------------------------


def test_progress_report_with_files_lists_them_on_the_task_page(client, tree, people, storage):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    url = reverse("tasks:detail", args=[task.pk])
    response = client.post(url, {
        "action": "progress", "progress": "60", "text": "Đã lát xong 2 tuyến",
        "attachments": [upload("Biên bản nghiệm thu.pdf"), upload("danh-sach.txt", "Tuyến 1\nTuyến 2\n".encode())],
    })
    assert response.status_code == 302
    update = TaskUpdate.objects.get()
    files = list(Attachment.objects.order_by("original_name"))
    assert [f.original_name for f in files] == ["Biên bản nghiệm thu.pdf", "danh-sach.txt"]
    assert all(f.owner == update and f.unit == tree.new_ward for f in files)
    assert len(files_in(storage)) == 2
    page = client.get(url).content.decode()
    for f in files:
        assert f'href="{reverse("attachments:download", args=[f.pk])}"' in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.pdf", PDF * 10, "Tệp lớn hơn giới hạn"),
        ("bao-cao.pdf", EXE, "Loại tệp không được phép"),
        ("bao-cao.docx", PDF, "không khớp với nội dung tệp"),
    ],
)
def test_a_refused_file_refuses_the_progress_report(client, tree, people, storage, name, data, message):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    with override_settings(ATTACHMENT_MAX_BYTES=len(PDF) * 2):
        response = client.post(reverse("tasks:detail", args=[task.pk]), {
            "action": "progress", "progress": "60", "text": "Đã làm",
            # The first file is fine and already on disk when the second is refused.
            "attachments": [upload("tot.pdf"), upload(name, data)],
        })
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TaskUpdate.objects.exists() and not Attachment.objects.exists()
    assert files_in(storage) == []  # the accepted first file was removed again
    task.refresh_from_db()
    assert task.progress == 0


def test_a_path_in_the_file_name_is_dropped(client, tree, people, storage):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    client.post(reverse("tasks:detail", args=[task.pk]), {
        "action": "progress", "progress": "10", "text": "Đã làm", "attachments": [upload("../../etc/bao-cao.pdf")],
    })
    attachment = Attachment.objects.get()
    assert attachment.original_name == "bao-cao.pdf"
    (stored,) = files_in(storage)
    assert stored.is_relative_to(storage) and stored.name == f"{attachment.pk.hex}.pdf"


def test_completion_evidence_may_be_a_file(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    url = reverse("tasks:detail", args=[task.pk])
    response = client.post(url, {"action": "completion", "evidence": "", "attachments": [upload("Báo cáo hoàn thành.pdf")]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_on == today() and task.progress == 100
    attachment = Attachment.objects.get()
    assert attachment.owner == task
    page = client.get(url).content.decode()
    assert f'href="{reverse("attachments:download", args=[attachment.pk])}"' in page


def test_completion_without_text_or_file_is_refused(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    response = client.post(reverse("tasks:detail", args=[task.pk]), {"action": "completion", "evidence": ""})
    assert response.status_code == 400
    assert "Cần có minh chứng hoàn thành" in response.content.decode()
    task.refresh_from_db()
    assert task.completed_on is None


def test_another_ward_cannot_reach_the_task_or_its_files(client, tree, people):
    task = _task(tree, people)
    services.report_progress(people["new_ward"], task, progress=20, text="Đã làm", files=[upload("mat.pdf")])
    attachment = Attachment.objects.get()
    client.force_login(people["ward_b"])
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("tasks:detail", args=[task.pk]), {"action": "progress", "progress": "90", "text": "x"}).status_code == 404
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404
    client.force_login(people["new_ward"])
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 200


# Query counts -----------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_task_page_queries_do_not_grow_with_reports_and_files(client, tree, people):
    task = _task(tree, people)
    client.force_login(people["new_ward"])
    url = reverse("tasks:detail", args=[task.pk])

    def report(n: int) -> None:
        for i in range(n):
            services.report_progress(people["new_ward"], task, progress=i, text=f"Lần {i}", files=[upload(f"{i}.pdf")])

    report(2)
    few = count_queries(client, url)
    report(8)
    services.report_completion(people["new_ward"], task, evidence="Xong", files=[upload("a.pdf"), upload("b.pdf")])
    assert count_queries(client, url) == few


@pytest.mark.parametrize("name", ["tasks:create", "tasks:directive_create"])
def test_creation_pages_queries_do_not_grow_with_units_and_directives(client, tree, people, name):
    from tiendo.orgs import services as orgs
    from tiendo.orgs.models import UnitKind

    client.force_login(people["city"])
    few = count_queries(client, reverse(name))
    for i in range(6):
        ward = orgs.create_unit(None, kind=UnitKind.WARD, name=f"Phường thêm {i}", parent=tree.city, valid_from=day(-400))
        services.create_directive(people["city"], kind="plan", number=f"{i}-KH/TU", issued_on=day(-5), issuer=ward, title="Kế hoạch")
        _task(tree, people, f"Nhiệm vụ {i}", lead=ward)
    assert count_queries(client, reverse(name)) == few
