"""Every page type is valid HTML according to the Nu checker."""

import pytest
from django.urls import reverse

from tests.tools import html_problems

pytestmark = pytest.mark.django_db


def test_site_pages_are_valid_html(client, reader):
    anonymous = {
        "home": "/",
        "not found": "/no-such-page/",
        "log in": reverse("account_login"),
        "sign up": reverse("account_signup"),
        "password reset": reverse("account_reset_password"),
    }
    documents = {name: client.get(url).content.decode() for name, url in anonymous.items()}
    client.force_login(reader)
    for name, url in {
        "my account": reverse("my_account"),
        "email addresses": reverse("account_email"),
        "two-factor": reverse("mfa_index"),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        documents[name] = response.content.decode()

    assert html_problems(documents) == []
