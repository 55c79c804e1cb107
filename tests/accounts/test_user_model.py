"""The custom user: email is the identifier, unique whatever its case."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_user_has_no_username_and_logs_in_by_email(password):
    user = User.objects.create_user(email="Ada@Example.COM", password=password)

    assert not hasattr(user, "username")
    assert user.email == "ada@example.com"
    assert authenticate(email="ada@example.com", password=password) == user


def test_email_is_unique_whatever_its_case(password):
    User.objects.create_user(email="ada@example.com", password=password)

    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="ADA@example.com")])


def test_create_superuser_is_staff(password):
    admin = User.objects.create_superuser(email="editor@example.com", password=password)

    assert admin.is_staff and admin.is_superuser


def test_allauth_login_with_a_verified_email(client, reader, password):
    response = client.post(
        reverse("account_login"), {"login": "READER@example.com", "password": password}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == reader.pk


def test_allauth_login_with_a_wrong_password_rerenders_with_an_error(client, reader):
    response = client.post(reverse("account_login"), {"login": reader.email, "password": "nope"})

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_ensure_superuser_creates_a_verified_superuser_once(monkeypatch, client, password):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Chief@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)

    call_command("ensure_superuser")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-different-password-entirely")
    call_command("ensure_superuser")

    user = User.objects.get()
    assert user.email == "chief@example.com"
    assert user.is_superuser and user.is_staff
    assert user.check_password(password), "a second run must not reset the password"
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary
    response = client.post(
        reverse("account_login"), {"login": "chief@example.com", "password": password}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_ensure_superuser_does_nothing_without_the_environment(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_EMAIL", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)

    call_command("ensure_superuser")

    assert not User.objects.exists()
