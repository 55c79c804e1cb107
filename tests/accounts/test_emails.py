"""Every email speaks in the brand's voice: its name as the sender, sentence-case
subjects, a text body and an HTML alternative, never the address the request came to."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.test_editor_first_login import shown_secret
from tests.accounts.test_signup import signup_data
from tests.accounts.test_two_factor import current_code

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8841"
SENDER = "Haematology Hub <noreply@hub.localhost>"


@pytest.fixture(autouse=True)
def _site_name(settings):
    settings.HUB_SITE_NAME = "Haematology Hub"


def words(text):
    """The text without its links: what the reader reads."""
    return re.sub(r"https?://\S+", "", re.sub(r'href="[^"]*"', "", text))


def html_of(message):
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return html


def assert_branded(message, subject):
    assert message.subject == subject
    assert message.from_email == SENDER
    html = html_of(message)
    assert html.startswith("<!DOCTYPE html>")
    assert f"<title>{subject}</title>" in html
    for text in (message.body, html):
        assert "Haematology Hub" in text
        assert HOST not in words(text) and "testserver" not in words(text)
        assert "Hello from" not in text and "Thank you for using" not in text
        assert not re.search(r"\bSign[ -]?(In|Up)\b|\bsign in\b", text)
    assert "{%" not in message.body + html and "{{" not in message.body + html


def test_signup_confirmation(client):
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST=HOST)

    (message,) = mail.outbox
    assert_branded(message, "Confirm your email address to finish signing up")
    link = re.search(rf"http://{re.escape(HOST)}/accounts/confirm-email/\S+/", message.body)
    assert link and f'href="{link.group(0)}"' in html_of(message)
    assert "Welcome to Haematology Hub." in message.body
    assert "Confirm my email address</a>" in html_of(message)
    assert "The link works for 3 days." in message.body
    assert "has given your email address" not in message.body


def test_password_reset_link(client, reader):
    client.post(reverse("account_reset_password"), {"email": reader.email}, HTTP_HOST=HOST)

    (message,) = mail.outbox
    assert_branded(message, "Reset your password")
    assert "asked to reset the password of your Haematology Hub account" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "Choose a new password</a>" in html_of(message)


def test_password_reset_for_an_unknown_address(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    (message,) = mail.outbox
    assert_branded(message, "We could not find an account for this address")
    assert "no account uses this address" in message.body
    assert "Sign up</a>" in html_of(message)


def test_signing_up_with_a_registered_address(client, reader):
    client.post(reverse("account_signup"), signup_data(email=reader.email))

    (message,) = mail.outbox
    assert_branded(message, "You already have an account")
    assert f"with this email address ({reader.email}), but it already has an account" in (
        message.body
    )
    assert "Log in: http://testserver/accounts/login/" in message.body
    assert "Log in</a>" in html_of(message)


def test_a_changed_password_is_reported_with_where_it_came_from(client, reader, password):
    client.force_login(reader)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
        HTTP_USER_AGENT="Firefox/140",
    )

    (message,) = mail.outbox
    assert_branded(message, "Your password was changed")
    assert "The password of your Haematology Hub account was changed." in message.body
    assert "Browser: Firefox/140" in message.body
    assert "choose a new password at once" in message.body
    assert "Firefox/140" in html_of(message)


@pytest.mark.django_db(transaction=True)  # allauth tells of it once the change commits
def test_turning_two_factor_on_is_reported(client, reader, password):
    client.post(reverse("account_login"), {"login": reader.email, "password": password})
    secret = shown_secret(client.get(reverse("mfa_activate_totp")).content.decode())

    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    subjects = [message.subject for message in mail.outbox]
    assert "Two-factor authentication is on" in subjects
    message = mail.outbox[subjects.index("Two-factor authentication is on")]
    assert_branded(message, "Two-factor authentication is on")


def test_emails_follow_the_readers_language(client):
    client.post(reverse("account_signup"), signup_data(), HTTP_ACCEPT_LANGUAGE="es", HTTP_HOST=HOST)

    (message,) = mail.outbox
    assert '<html lang="es">' in html_of(message)
