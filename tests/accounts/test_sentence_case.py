"""What a reader sees on the account pages is in sentence case, as the rest of the Hub:
"Change password", "Activate authenticator app", not allauth's Title Case
(accounts/templatetags/account_words.py)."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation

from accounts.templatetags.account_words import sentence_case
from accounts.two_factor import PENDING_SECRET
from tests.accounts.test_two_factor import current_code

pytestmark = pytest.mark.django_db

MAIN = re.compile(r"<main\b.*?</main>", re.S)
SHOWN = re.compile(r"<(h[1-6]|button|label|legend|summary|a|th)\b[^>]*>(.*?)</\1>", re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# Capitalised words that may stand mid-sentence: names, not Title Case.
NAMES = {"I", "Hub", "English", "Español", "Français", "Deutsch"}


def title_case(text):
    """The words of `text` written in Title Case: capitalised, not starting a sentence."""
    words = re.findall(r"(?:^|(?<=[\s\-(]))([A-Z][a-z]+)\b", text)
    starts = set(re.findall(r"(?:^|[.?!:]\s+)\W*(\w+)", text))
    return [w for w in words[1:] if w not in NAMES and w not in starts] if words else []


def shown(html):
    """Headings, buttons, labels and links of the page's main part, and its title."""
    texts = [
        " ".join(re.sub(r"<[^>]+>", " ", m.group(2)).split())
        for m in SHOWN.finditer(MAIN.search(html).group(0))
    ]
    texts += [" ".join(TITLE.search(html).group(1).split())]
    return [t for t in texts if t]


def offenders(pages):
    return {
        name: [(text, title_case(text)) for text in shown(html) if title_case(text)]
        for name, html in pages.items()
        if any(title_case(text) for text in shown(html))
    }


def test_the_detector_sees_title_case():
    assert title_case("Activate Authenticator App") == ["Authenticator", "App"]
    assert title_case("Two-Factor Authentication") == ["Factor", "Authentication"]
    assert title_case("Log in to the Hub. Then read on") == []
    assert title_case("Log in. Then Read On") == ["Read", "On"]
    assert title_case("Change password") == []


def test_account_pages_are_in_sentence_case(client, reader, password):
    pages = {}
    for name in ("account_login", "account_signup", "account_reset_password"):
        pages[name] = client.get(reverse(name)).content.decode()
    pages["account_email_verification_sent"] = client.get(
        reverse("account_email_verification_sent")
    ).content.decode()
    pages["account_confirm_email (unknown key)"] = client.get(
        reverse("account_confirm_email", args=["unknown"])
    ).content.decode()
    pages["account_reset_password_done"] = client.get(
        reverse("account_reset_password_done")
    ).content.decode()
    client.post(reverse("account_login"), {"login": reader.email, "password": password})
    for name in (
        "account_change_password",
        "account_email",
        "account_logout",
        "mfa_index",
        "account_reauthenticate",
        "mfa_activate_totp",
    ):
        pages[name] = client.get(reverse(name)).content.decode()
    assert "Activate authenticator app" in pages["mfa_activate_totp"]
    secret = client.session[PENDING_SECRET]["secret"]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=reader, type=Authenticator.Type.TOTP).exists()
    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
                 "mfa_deactivate_totp"):  # fmt: skip
        pages[f"{name} (two-factor on)"] = client.get(reverse(name)).content.decode()

    assert offenders(pages) == {}
    assert "Change password" in pages["account_change_password"]
    assert "Current password" in pages["account_change_password"]


def test_other_languages_keep_their_own_capitals():
    with translation.override("de"):
        assert sentence_case("Passwort Ändern") == "Passwort Ändern"
    with translation.override("en"):
        assert sentence_case("Change Password") == "Change password"
