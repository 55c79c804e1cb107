"""One vocabulary everywhere: "Log in", "Log out", "Sign up", never allauth's "Sign In"."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.tools import ROOT

pytestmark = pytest.mark.django_db

OTHER_WORDS = re.compile(
    r"Sign[ -]?In\b|Sign Up\b|Sign[ -]?Out\b|[Ss]ign(ed)?[ -]in\b|[Ss]ign(ed)? out\b|Signup\b"
)


def test_no_template_of_ours_says_sign_in():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file()
        for match in OTHER_WORDS.finditer(path.read_text())
    ]

    assert offenders == []


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_say_log_in_and_sign_up(client, name):
    html = client.get(reverse(name)).content.decode()

    assert not OTHER_WORDS.search(html), OTHER_WORDS.search(html).group(0)


def test_log_in_page_offers_sign_up_and_its_button_says_log_in(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "<title>Log in" in html
    assert re.search(r"<button[^>]*>\s*Log in\s*</button>", html)
    assert "New here?" in html and f'href="{reverse("account_signup")}' in html


def test_log_out_page_and_message_say_log_out(client, reader):
    client.force_login(reader)

    page = client.get(reverse("account_logout")).content.decode()
    after = client.post(reverse("account_logout"), follow=True).content.decode()

    assert "Are you sure you want to log out?" in page
    assert not OTHER_WORDS.search(page)
    assert "You have logged out." in after


def test_two_factor_step_says_log_in(client, reader, password):
    TOTP.activate(reader, generate_totp_secret())
    client.post(reverse("account_login"), {"login": reader.email, "password": password})

    html = client.get(reverse("mfa_authenticate")).content.decode()

    assert "Two-factor authentication" in html
    assert re.search(r"<button[^>]*>\s*Log in\s*</button>", html)
    assert not OTHER_WORDS.search(html)
