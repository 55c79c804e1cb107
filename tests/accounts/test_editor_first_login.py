"""An editor's very first log-in: password once, authenticator app, recovery codes, desk."""

import re

import pytest
from django.urls import reverse

from tests.accounts.test_two_factor import current_code

pytestmark = pytest.mark.django_db


def shown_secret(html):
    return re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)


def visited(response):
    return [url for url, _status in response.redirect_chain]


def test_first_login_goes_from_password_to_totp_to_recovery_codes_to_the_desk(
    client, make_user, password
):
    editor = make_user("editor@example.com", is_staff=True, is_superuser=True)

    start = client.get(reverse("admin:index"), follow=True)
    login_url = visited(start)[-1]
    assert login_url.startswith(reverse("admin:login"))

    set_up = client.post(login_url, {"login": editor.email, "password": password}, follow=True)
    assert visited(set_up)[-1] == reverse("mfa_activate_totp")
    html = set_up.content.decode()
    assert "Set up two-factor authentication before you use the editors" in html
    assert "Activate authenticator app" in html

    codes = client.post(
        reverse("mfa_activate_totp"), {"code": current_code(shown_secret(html))}, follow=True
    )
    assert visited(codes)[-1] == reverse("mfa_view_recovery_codes")
    html = codes.content.decode()
    assert "Unused codes" in html
    assert f'href="{reverse("mfa_download_recovery_codes")}"' in html
    continue_link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*Continue to the editors', html)
    assert continue_link, html

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'

    desk = client.get(continue_link.group(1), follow=True)
    assert desk.status_code == 200
    assert visited(desk) == []
    assert desk.resolver_match.view_name == "admin:index"
    html = desk.content.decode()
    assert "Editors’ desk" in html
    assert '<span class="section">Content</span>' in html

    every_url = visited(start) + visited(set_up) + visited(codes) + visited(desk)
    assert not any(url.startswith(reverse("account_reauthenticate")) for url in every_url)


def test_a_stale_login_is_still_asked_to_reauthenticate(client, make_user, password, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    editor = make_user("editor@example.com", is_staff=True)
    client.post(reverse("account_login"), {"login": editor.email, "password": password})

    response = client.get(reverse("mfa_activate_totp"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))
