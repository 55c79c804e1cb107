"""Two-factor authentication: optional for readers, required for staff before the admin."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_code(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(secret, counter):06d}"


def test_staff_without_two_factor_are_sent_to_set_it_up(client, make_user):
    editor = make_user("editor@example.com", is_staff=True, is_superuser=True)
    client.force_login(editor)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Set up two-factor authentication before you use the editors" in page


def test_staff_with_two_factor_reach_the_admin(client, make_editor):
    client.force_login(make_editor(is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


def test_readers_may_use_the_site_without_two_factor(client, reader):
    client.force_login(reader)

    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_editor_logs_in_with_password_and_code_then_reaches_the_admin(client, make_user, password):
    editor = make_user("editor@example.com", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)

    first = client.post(reverse("account_login"), {"login": editor.email, "password": password})
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert int(client.session["_auth_user_id"]) == editor.pk
    assert client.get(reverse("admin:index")).status_code == 200


def test_totp_secret_is_encrypted_at_rest(make_user):
    user = make_user()
    secret = generate_totp_secret()

    TOTP.activate(user, secret)

    stored = Authenticator.objects.get(user=user).data["secret"]
    assert stored != secret
    assert secret not in stored
