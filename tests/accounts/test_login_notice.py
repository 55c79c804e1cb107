"""A new log-in is greeted as the seed site did, with the way to My account."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOTICE = (
    "You’re logged in! "
    '<a href="/accounts/">Click here any time to manage your account or log out</a>.'
)


def log_in(client, reader, password):
    return client.post(
        reverse("account_login"), {"login": reader.email, "password": password}, follow=True
    )


def test_logging_in_greets_the_reader_with_a_link_to_my_account(client, reader, password):
    response = log_in(client, reader, password)

    assert response.status_code == 200
    assert reverse("accounts:my_account") == "/accounts/"
    html = response.content.decode()
    assert NOTICE in html
    assert "Successfully signed in" not in html


def test_the_notice_is_shown_once(client, reader, password):
    log_in(client, reader, password)

    assert NOTICE not in client.get("/").content.decode()


def test_a_failed_log_in_gets_no_notice(client, reader):
    response = log_in(client, reader, "not-the-password")

    assert "logged in!" not in response.content.decode()
