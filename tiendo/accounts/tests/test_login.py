"""Logging in, throttling, password change and hashing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tiendo.testing import make_user

PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="vi"' in page and "Đăng nhập" in page and "Mật khẩu" in page


@pytest.mark.django_db
def test_wrong_password_gives_a_vietnamese_message(client):
    make_user("can.bo")
    response = client.post(reverse("accounts:login"), {"username": "can.bo", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures_even_with_the_right_password(client, settings):
    make_user("can.bo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "can.bo", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "can.bo", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, settings):
    make_user("can.bo")
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(reverse("accounts:login"), {"username": "can.bo", "password": "sai"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = client.post(
        reverse("accounts:login"), {"username": "can.bo", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_locked_user_does_not_lock_out_others(client, settings):
    make_user("can.bo")
    make_user("nguoi.khac")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "can.bo", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "nguoi.khac", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_change_needs_the_old_password_and_a_strong_new_one(client):
    user = make_user("can.bo")
    client.force_login(user)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200
    wrong_old = client.post(url, {"old_password": "sai", "new_password1": "Mot-mat-khau-moi-9", "new_password2": "Mot-mat-khau-moi-9"})
    assert wrong_old.status_code == 200
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-9", "new_password2": "Mot-mat-khau-moi-9"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mot-mat-khau-moi-9")


@pytest.mark.django_db
def test_logout_needs_post(client):
    client.force_login(make_user("can.bo"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


def _setting_in(env: dict[str, str], expression: str) -> str:
    code = f"import django, os; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tiendo.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert _setting_in({"TIENDO_ENV": "development"}, "settings.PASSWORD_HASHERS[0]").endswith("Argon2PasswordHasher")


def test_production_cookies_are_secure():
    env = {"TIENDO_ENV": "production", "SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "tiendo.example.vn"}
    assert _setting_in(env, "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE") == "True True"


def test_production_refuses_to_start_without_a_secret_key():
    code = "import django; django.setup()"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tiendo.settings", "TIENDO_ENV": "production", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
