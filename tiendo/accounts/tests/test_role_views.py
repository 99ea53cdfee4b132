"""Users and roles, as a unit administrator manages them.

A user is within an administrator's reach when they hold a role on a unit the
administrator may manage; anyone else is a 404. Roles are given and taken only inside
the administrator's subtree; only a system administrator makes system administrators.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiendo.accounts import services
from tiendo.accounts.models import Action, Role, RoleAssignment
from tiendo.accounts.scope import scope_paths
from tiendo.audit.models import AuditEntry
from tiendo.testing import SmallTree, make_user

MAX_QUERIES = 10  # session, user, roles, scope paths, then the page: constant in the number of users
STRONG_PASSWORD = "Sen-hong-Long-Bien-2025"


def counts() -> tuple[int, int, int]:
    return User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count()


def form_errors(response) -> list[str]:
    html = response.content.decode()
    found = re.findall(r'class="field__error"[^>]*>(.*?)</p>', html, re.S)
    found += re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


def user_url(user: User) -> str:
    return reverse("accounts:user_detail", args=[user.pk])


# --- The services


def test_granting_a_role_is_audited_and_refreshes_the_target_users_scope(tree: SmallTree, personas):
    admin, target = personas["district_admin"], personas["other_ward_reporter"]
    assert scope_paths(target, Action.REVIEW) == []  # computed and cached on the object
    assignment = services.grant_role(admin, target, Role.REVIEWER, tree.ward_a2, title="Chuyên viên")
    assert scope_paths(target, Action.REVIEW) != []
    assert assignment.granted_by == admin
    entry = AuditEntry.objects.get(object_id=str(assignment.pk), content_type__model="roleassignment")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == admin


def test_granting_a_role_outside_the_admins_subtree_is_refused(tree: SmallTree, personas):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.grant_role(personas["district_admin"], personas["ward_reporter"], Role.VIEWER, tree.new_ward)
    assert "nằm ngoài phạm vi bạn được quản trị" in " ".join(info.value.messages)
    assert counts() == before


def test_a_unit_admin_cannot_make_a_system_admin(tree: SmallTree, personas):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.grant_role(personas["district_admin"], personas["ward_reporter"], Role.SYSTEM_ADMIN, None)
    assert "Chỉ quản trị hệ thống" in " ".join(info.value.messages)
    with pytest.raises(ValidationError):
        services.create_user(
            personas["district_admin"], "tq.moi", "Trần Quang", "", STRONG_PASSWORD, Role.SYSTEM_ADMIN, None
        )
    assert counts() == before


def test_a_system_admin_can_make_a_system_admin_once(tree: SmallTree, personas):
    services.grant_role(personas["system_admin"], personas["ward_reporter"], Role.SYSTEM_ADMIN, None)
    assert scope_paths(personas["ward_reporter"]) is None
    with pytest.raises(ValidationError) as info:
        services.grant_role(personas["system_admin"], personas["ward_reporter"], Role.SYSTEM_ADMIN, None)
    assert "đã có vai trò" in " ".join(info.value.messages)


def test_a_duplicate_role_is_refused(tree: SmallTree, personas):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.grant_role(personas["district_admin"], personas["ward_reporter"], Role.REPORTER, tree.ward_a1)
    assert "“a1.baocao” đã có vai trò Cán bộ báo cáo tại Phường A1." in info.value.messages
    assert counts() == before


def test_revoking_is_audited_and_limited_to_the_admins_subtree(tree: SmallTree, personas):
    admin = personas["district_admin"]
    assignment = personas["ward_reporter"].role_assignments.get()
    services.revoke_role(admin, assignment)
    assert not personas["ward_reporter"].role_assignments.exists()
    entry = AuditEntry.objects.get(content_type__model="roleassignment", action=AuditEntry.Action.DELETE)
    assert entry.before["unit_id"] == tree.ward_a1.pk
    assert entry.after is None

    outside = personas["new_ward_viewer"].role_assignments.get()
    with pytest.raises(ValidationError):
        services.revoke_role(admin, outside)
    system = personas["system_admin"].role_assignments.get()
    with pytest.raises(ValidationError):
        services.revoke_role(admin, system)
    assert RoleAssignment.objects.filter(pk__in=[outside.pk, system.pk]).count() == 2


def test_accounts_can_share_one_hash_of_a_password(tree: SmallTree, personas):
    from django.contrib.auth.hashers import make_password

    encoded = make_password(STRONG_PASSWORD)
    first, second = (
        services.create_user(
            personas["district_admin"], name, name, "", "", Role.REPORTER, tree.ward_a1, encoded_password=encoded
        )
        for name in ("mot", "hai")
    )
    assert first.check_password(STRONG_PASSWORD) and second.check_password(STRONG_PASSWORD)
    assert first.password == second.password == encoded


def test_creating_a_user_keeps_the_password_hash_out_of_the_audit_log(tree: SmallTree, personas):
    user = services.create_user(
        personas["district_admin"],
        "nguyen.van.an",
        "Nguyễn  Văn An",
        "an@example.vn",
        STRONG_PASSWORD,
        Role.REPORTER,
        tree.ward_a1,
    )
    assert user.get_full_name() == "Nguyễn Văn An"  # family name first, as written
    assert user.check_password(STRONG_PASSWORD)
    entry = AuditEntry.objects.get(content_type__model="user", object_id=str(user.pk))
    assert "password" not in entry.after
    assert entry.after["username"] == "nguyen.van.an"
    assert user.role_assignments.get().unit == tree.ward_a1


# --- The pages: who may reach them


@pytest.mark.parametrize("persona", ["ward_reporter", "district_viewer", "district_reviewer", "outsider"])
def test_users_without_the_manage_right_get_403_on_the_user_pages(tree: SmallTree, personas, client, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_the_list_shows_only_users_with_roles_inside_the_admins_subtree(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    html = client.get(reverse("accounts:users")).content.decode()
    for inside in ("a1.baocao", "a2.baocao", "quan.xem", "quan.tonghop", "quan.quantri"):
        assert inside in html
    for outside in ("moi.xem", "tp.xem", ">quantri<", "nguoingoai"):
        assert outside not in html


def test_a_system_admin_sees_everyone(tree: SmallTree, personas, client):
    client.force_login(personas["system_admin"])
    html = client.get(reverse("accounts:users")).content.decode()
    for username in ("moi.xem", "tp.xem", "nguoingoai", "a1.baocao"):
        assert username in html


def test_search_matches_usernames_without_accents_and_names_as_typed(tree: SmallTree, personas, client):
    services.create_user(
        personas["district_admin"], "nguyen.van.an", "Nguyễn Văn An", "", STRONG_PASSWORD, Role.VIEWER, tree.ward_a2
    )
    client.force_login(personas["district_admin"])
    for query in ("Nguyễn", "nguyen", "Văn An", "a1.bao"):
        html = client.get(reverse("accounts:users"), {"q": query}).content.decode()
        expected = "a1.baocao" if query == "a1.bao" else "nguyen.van.an"
        assert expected in html, query
    html = client.get(reverse("accounts:users"), {"q": "moi.xem"}).content.decode()
    assert "Không có người dùng nào khớp" in html  # exists, but outside the admin's reach


def test_a_user_outside_the_admins_reach_is_404(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    for persona in ("new_ward_viewer", "city_viewer", "system_admin", "outsider"):
        target = personas[persona]
        assert client.get(user_url(target)).status_code == 404, persona
        assert client.post(reverse("accounts:role_grant", args=[target.pk]), {"role": "viewer"}).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[999999])).status_code == 404


def test_get_on_the_post_only_endpoints_is_405(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    target = personas["ward_reporter"]
    assignment = target.role_assignments.get()
    assert client.get(reverse("accounts:role_grant", args=[target.pk])).status_code == 405
    assert client.get(reverse("accounts:role_revoke", args=[target.pk, assignment.pk])).status_code == 405
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_pages_run_a_bounded_number_of_queries(tree: SmallTree, personas, client, django_assert_max_num_queries):
    for n in range(15):
        make_user(f"them.{n}", Role.VIEWER, tree.ward_a1 if n % 2 else tree.ward_a2)
    client.force_login(personas["district_admin"])
    target = personas["ward_reporter"]
    for url in (reverse("accounts:users"), reverse("accounts:user_create"), user_url(target)):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url


# --- The pages: changes


def test_admin_grants_a_role_from_the_user_page(tree: SmallTree, personas, client):
    admin, target = personas["district_admin"], personas["ward_reporter"]
    client.force_login(admin)
    html = client.get(user_url(target)).content.decode()
    assert "Cán bộ báo cáo" in html
    assert f'value="{tree.new_ward.pk}"' not in html  # not offered: outside the admin's subtree
    response = client.post(
        reverse("accounts:role_grant", args=[target.pk]),
        {"role": Role.VIEWER, "unit": tree.ward_a2.pk, "title": "Phó Chủ tịch"},
    )
    assert response.status_code == 302, form_errors(response)
    assert response["Location"] == user_url(target)
    assignment = target.role_assignments.get(role=Role.VIEWER)
    assert (assignment.unit, assignment.title, assignment.granted_by) == (tree.ward_a2, "Phó Chủ tịch", admin)
    assert AuditEntry.objects.filter(actor=admin, content_type__model="roleassignment").count() == 1
    assert "Đã cấp vai trò" in client.get(response["Location"]).content.decode()


def test_granting_on_a_unit_outside_scope_is_404_and_writes_nothing(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    before = counts()
    response = client.post(
        reverse("accounts:role_grant", args=[personas["ward_reporter"].pk]),
        {"role": Role.VIEWER, "unit": tree.new_ward.pk},
    )
    assert response.status_code == 404
    assert counts() == before


def test_a_refused_grant_shows_the_reason_on_the_user_page(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    target = personas["ward_reporter"]
    before = counts()
    response = client.post(
        reverse("accounts:role_grant", args=[target.pk]), {"role": Role.REPORTER, "unit": tree.ward_a1.pk}
    )
    assert response.status_code == 400
    assert any("đã có vai trò Cán bộ báo cáo" in e for e in form_errors(response))
    response = client.post(reverse("accounts:role_grant", args=[target.pk]), {"role": Role.SYSTEM_ADMIN})
    assert response.status_code == 400
    assert any("Chỉ quản trị hệ thống mới được cấp quyền quản trị hệ thống." in e for e in form_errors(response))
    response = client.post(reverse("accounts:role_grant", args=[target.pk]), {"role": Role.VIEWER})
    assert response.status_code == 400
    assert any("Cần chọn đơn vị" in e for e in form_errors(response))
    assert counts() == before


def test_the_system_admin_role_is_offered_only_to_system_admins(tree: SmallTree, personas, client):
    target = personas["ward_reporter"]
    client.force_login(personas["district_admin"])
    assert 'value="system_admin"' not in client.get(user_url(target)).content.decode()
    client.force_login(personas["system_admin"])
    assert 'value="system_admin"' in client.get(user_url(target)).content.decode()


def test_admin_revokes_a_role(tree: SmallTree, personas, client):
    admin, target = personas["district_admin"], personas["district_viewer"]
    services.grant_role(admin, target, Role.REVIEWER, tree.ward_a1)
    assignment = target.role_assignments.get(role=Role.REVIEWER)
    client.force_login(admin)
    response = client.post(reverse("accounts:role_revoke", args=[target.pk, assignment.pk]))
    assert response.status_code == 302
    assert response["Location"] == user_url(target)  # still within reach through the other role
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(actor=admin, action=AuditEntry.Action.DELETE).count() == 1


def test_revoking_the_last_role_in_reach_returns_to_the_list(tree: SmallTree, personas, client):
    target = personas["ward_reporter"]
    client.force_login(personas["district_admin"])
    response = client.post(reverse("accounts:role_revoke", args=[target.pk, target.role_assignments.get().pk]))
    assert response["Location"] == reverse("accounts:users")


def test_revoking_a_role_outside_scope_is_404(tree: SmallTree, personas, client):
    target = personas["ward_reporter"]
    foreign = RoleAssignment.objects.create(user=target, role=Role.VIEWER, unit=tree.new_ward)
    client.force_login(personas["district_admin"])
    before = counts()
    assert client.post(reverse("accounts:role_revoke", args=[target.pk, foreign.pk])).status_code == 404
    # An assignment of another user cannot be reached through this user's address either.
    other = personas["other_ward_reporter"].role_assignments.get()
    assert client.post(reverse("accounts:role_revoke", args=[target.pk, other.pk])).status_code == 404
    assert counts() == before


def test_admin_creates_a_user_with_a_role_in_the_subtree(tree: SmallTree, personas, client):
    admin = personas["district_admin"]
    client.force_login(admin)
    html = client.get(reverse("accounts:user_create"), {"don_vi": tree.ward_a1.pk}).content.decode()
    assert f'<option value="{tree.ward_a1.pk}" selected>' in html
    data = {
        "username": "le.thi.hoa",
        "full_name": "Lê Thị Hoa",
        "email": "hoa@example.vn",
        "password": STRONG_PASSWORD,
        "password_again": STRONG_PASSWORD,
        "role": Role.REPORTER,
        "unit": tree.ward_a1.pk,
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 302, form_errors(response)
    user = User.objects.get(username="le.thi.hoa")
    assert response["Location"] == user_url(user)
    assert user.role_assignments.get().unit == tree.ward_a1
    assert AuditEntry.objects.filter(actor=admin).count() == 2  # the user and the role
    assert "Lê Thị Hoa" in client.get(response["Location"]).content.decode()


def test_a_unit_admin_cannot_create_a_system_admin_through_the_form(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    before = counts()
    data = {
        "username": "tq.moi",
        "full_name": "Trần Quang",
        "password": STRONG_PASSWORD,
        "password_again": STRONG_PASSWORD,
        "role": Role.SYSTEM_ADMIN,
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 400
    assert any("Chỉ quản trị hệ thống" in e for e in form_errors(response))
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"username": "a1.baocao"}, "Tên đăng nhập “a1.baocao” đã có người dùng."),
        ({"username": "A1.BAOCAO"}, "đã có người dùng"),
        ({"username": "có dấu cách"}, "không có dấu cách"),
        ({"password": "123", "password_again": "123"}, "Mật khẩu"),
        ({"password_again": "khac-han-mat-khau"}, "Hai mật khẩu không khớp."),
        ({"full_name": ""}, "Trường này là bắt buộc."),
    ],
)
def test_bad_user_details_are_explained_and_nothing_is_written(tree: SmallTree, personas, client, change, expected):
    client.force_login(personas["district_admin"])
    data = {
        "username": "nguoi.moi",
        "full_name": "Người Mới",
        "password": STRONG_PASSWORD,
        "password_again": STRONG_PASSWORD,
        "role": Role.VIEWER,
        "unit": tree.ward_a1.pk,
        **change,
    }
    before = counts()
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 400
    assert any(expected in e for e in form_errors(response)), form_errors(response)
    assert counts() == before


def test_creating_a_user_on_a_unit_outside_scope_is_404(tree: SmallTree, personas, client):
    client.force_login(personas["district_admin"])
    before = counts()
    data = {
        "username": "nguoi.moi",
        "full_name": "Người Mới",
        "password": STRONG_PASSWORD,
        "password_again": STRONG_PASSWORD,
        "role": Role.VIEWER,
        "unit": tree.ward_b.pk,
    }
    assert client.post(reverse("accounts:user_create"), data).status_code == 404
    assert counts() == before
