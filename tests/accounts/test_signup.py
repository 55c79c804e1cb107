"""Sign-up with the HCP details, email verification, log-in, and rate limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup_data(**overrides):
    data = {
        "email": "new.doctor@example.org",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        "full_name": "Dr New Doctor",
        "profession": "physician",
        "specialty": "haematology",
        "country": "DE",
        "institution": "City Hospital",
        "hcp_declaration": "on",
    }
    data.update(overrides)
    return data


def confirmation_link():
    (message,) = mail.outbox
    return re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", message.body).group(
        1
    )


def test_signup_verify_email_then_choose_interests(client):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.doctor@example.org")
    assert (
        user.full_name,
        user.profession,
        user.specialty,
        user.country.code,
        user.institution,
    ) == (
        "Dr New Doctor",
        "physician",
        "haematology",
        "DE",
        "City Hospital",
    )
    assert user.hcp_declared_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    assert mail.outbox[0].subject == "Confirm your email address to finish signing up"

    confirm = client.post(confirmation_link())

    assert EmailAddress.objects.get(user=user).verified
    assert confirm["Location"] == reverse("accounts:interests") + "?welcome=1"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (
        "Welcome! Choose the topics you follow" in client.get(confirm["Location"]).content.decode()
    )


def test_unverified_reader_cannot_log_in(client):
    client.post(reverse("account_signup"), signup_data())
    client.logout()

    response = client.post(
        reverse("account_login"),
        {"login": "new.doctor@example.org", "password": "a-long-and-unusual-passphrase"},
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verified_reader_logs_in_with_email_and_password(client):
    client.post(reverse("account_signup"), signup_data())
    client.post(confirmation_link())
    client.post(reverse("account_logout"))

    response = client.post(
        reverse("account_login"),
        {"login": "new.doctor@example.org", "password": "a-long-and-unusual-passphrase"},
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_signup_requires_the_hcp_declaration(client):
    response = client.post(reverse("account_signup"), signup_data(hcp_declaration=""))

    assert response.status_code == 200
    assert "The Hub is for healthcare professionals only: please confirm." in (
        response.content.decode()
    )
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("password2", "something-else", "You must type the same password each time."),
        ("profession", "astronaut", "Select a valid choice."),
        ("country", "XX", "Select a valid choice."),
        ("full_name", "", "This field is required."),
        ("password1", "123", "This password is too short."),
    ],
)
def test_bad_signup_input_rerenders_with_errors_and_keeps_what_was_typed(
    client, field, value, error
):
    data = signup_data(**{field: value})
    if field == "password1":
        data["password2"] = value

    response = client.post(reverse("account_signup"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'value="City Hospital"' in html
    assert not User.objects.exists()


def test_signing_up_twice_with_one_email_makes_one_account(client):
    client.post(reverse("account_signup"), signup_data())
    client.post(reverse("account_logout"))

    client.post(reverse("account_signup"), signup_data(email="NEW.Doctor@example.org"))

    assert User.objects.count() == 1


def test_password_reset_sends_a_link(client, reader):
    response = client.post(reverse("account_reset_password"), {"email": reader.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_failed_logins_are_rate_limited(client, reader):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": reader.email, "password": "wrong"})

    response = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": "correct-horse-battery-staple-42"},
    )

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client, reader):
    client.force_login(reader)

    client.get(reverse("account_logout"))

    assert "_auth_user_id" in client.session


def test_password_reset_requests_are_rate_limited(client, reader):
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": reader.email})

    response = client.post(reverse("account_reset_password"), {"email": reader.email})

    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_signups_are_rate_limited_per_address(client):
    for n in range(20):
        client.post(reverse("account_signup"), signup_data(email=f"bulk{n}@example.org"))
        client.cookies.pop("sessionid", None)

    response = client.post(reverse("account_signup"), signup_data(email="one-more@example.org"))

    assert response.status_code == 429
    assert not User.objects.filter(email="one-more@example.org").exists()


def test_login_behind_fewer_proxies_than_configured_is_no_server_error(client, reader, settings):
    # allauth itself raises ImproperlyConfigured (a 500) for a too-short X-Forwarded-For.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    headers = {"HTTP_X_FORWARDED_FOR": "203.0.113.5", "REMOTE_ADDR": "10.0.0.2"}

    response = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": "correct-horse-battery-staple-42"},
        **headers,
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == reader.pk
