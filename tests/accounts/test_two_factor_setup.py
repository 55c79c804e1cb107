"""The authenticator set-up page keeps its secret: the QR code scanned stays the right one."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.accounts.test_editor_first_login import shown_secret
from tests.accounts.test_two_factor import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, reader, password):
    client.post(reverse("account_login"), {"login": reader.email, "password": password})
    return client


def qr_code(html):
    return re.search(r'<img[^>]+src="(data:image/svg\+xml;base64,[^"]+)"', html).group(1)


def test_a_reload_shows_the_same_secret_and_qr_code(logged_in):
    first = logged_in.get(reverse("mfa_activate_totp")).content.decode()
    again = logged_in.get(reverse("mfa_activate_totp")).content.decode()

    assert shown_secret(first) == shown_secret(again)
    assert qr_code(first) == qr_code(again)


def test_a_code_from_the_first_secret_activates_after_reloads_and_cookie_choices(logged_in, reader):
    secret = shown_secret(logged_in.get(reverse("mfa_activate_totp")).content.decode())
    # Without JavaScript a cookie choice posts and comes back to the page, a second GET.
    back = logged_in.post(
        reverse("consent:reject_all"), {"next": reverse("mfa_activate_totp")}, follow=True
    )
    assert shown_secret(back.content.decode()) == secret

    logged_in.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert Authenticator.objects.filter(user=reader, type=Authenticator.Type.TOTP).exists()


def test_a_wrong_code_keeps_the_secret(logged_in):
    secret = shown_secret(logged_in.get(reverse("mfa_activate_totp")).content.decode())

    wrong = logged_in.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert "Incorrect code." in wrong.content.decode()
    assert shown_secret(wrong.content.decode()) == secret


def test_setting_up_again_after_removing_the_authenticator_gets_a_new_secret(logged_in, reader):
    first = shown_secret(logged_in.get(reverse("mfa_activate_totp")).content.decode())
    logged_in.post(reverse("mfa_activate_totp"), {"code": current_code(first)})
    Authenticator.objects.filter(user=reader).delete()

    second = shown_secret(logged_in.get(reverse("mfa_activate_totp")).content.decode())

    assert second != first


def test_another_reader_in_the_same_browser_gets_their_own_secret(client, make_user, password):
    ada = make_user("ada@example.org")
    client.post(reverse("account_login"), {"login": ada.email, "password": password})
    adas = shown_secret(client.get(reverse("mfa_activate_totp")).content.decode())
    client.post(reverse("account_logout"))
    bob = make_user("bob@example.org")
    client.post(reverse("account_login"), {"login": bob.email, "password": password})

    bobs = shown_secret(client.get(reverse("mfa_activate_totp")).content.decode())

    assert bobs != adas


def test_the_authenticator_app_lists_the_account_under_the_brand(logged_in, settings):
    settings.HUB_SITE_NAME = "Haematology Hub"

    response = logged_in.get(reverse("mfa_activate_totp"))

    assert "issuer=Haematology%20Hub" in response.context["totp_url"]
