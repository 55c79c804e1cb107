"""allauth's emails speak in the Hub's name, not the address the request came to."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:18402"


@pytest.fixture(autouse=True)
def _site_name(settings):
    settings.HUB_SITE_NAME = "Haematology Hub"


def assert_speaks_for_the_hub(message):
    assert message.subject.startswith("[Haematology Hub] ")
    assert "Hello from Haematology Hub!" in message.body
    assert "Thank you for using Haematology Hub!" in message.body
    assert f"Hello from {HOST}" not in message.body
    assert f"using {HOST}" not in message.body
    assert HOST not in message.subject


def test_signup_verification_email_names_the_hub(client):
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST=HOST)

    (message,) = mail.outbox
    assert "Confirm Your Email Address" in message.subject
    assert_speaks_for_the_hub(message)


def test_password_reset_email_names_the_hub(client, reader):
    client.post(reverse("account_reset_password"), {"email": reader.email}, HTTP_HOST=HOST)

    (message,) = mail.outbox
    assert "/accounts/password/reset/key/" in message.body
    assert_speaks_for_the_hub(message)
