"""Cookie choices keep the page as it is: what was typed stays, and the two-factor
set-up's QR code stays the one just scanned."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.test_two_factor import current_code
from tests.browser.test_site import site, watch_third_parties  # noqa: F401 (site: a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cookie_choice_keeps_what_was_typed(site, page):  # noqa: F811
    page.goto(site.url + "/contact/")
    page.get_by_label("Message").fill("A question about the CAR-T article")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Reject all").click()

    expect(page.get_by_role("region", name="Cookies on the Hub")).to_have_count(0)
    expect(page.get_by_label("Message")).to_have_value("A question about the CAR-T article")
    assert page.evaluate("window.notReloaded") is True
    consent = {c["name"]: c["value"] for c in page.context.cookies()}["cookie_consent"]
    assert "analytics=-1" in consent
    expect(page.locator("#main")).to_be_focused()


def test_the_settings_page_saves_in_place(site, page):  # noqa: F811
    page.goto(site.url + "/cookies/")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("group", name="Allow Analytics cookies?").get_by_label("No").check()
    page.get_by_role("button", name="Save cookie choices").click()

    expect(page.locator("#live-status")).to_have_text("Your cookie choices were saved.")
    assert page.evaluate("window.notReloaded") is True


def shown_secret(page):
    return page.locator("#authenticator_secret").input_value()


def test_two_factor_set_up_survives_cookie_choices_and_reloads(
    site,  # noqa: F811
    page,
    make_user,
    password,
):
    from allauth.mfa.models import Authenticator

    reader = make_user("careful@example.org")
    watch_third_parties(page)  # allowed below, loaded after the reload
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(site.url + "/accounts/2fa/totp/activate/")
    secret = shown_secret(page)
    qr = page.locator("form img").first.get_attribute("src")

    page.get_by_role("button", name="Accept all").click()
    expect(page.get_by_role("region", name="Cookies on the Hub")).to_have_count(0)
    assert shown_secret(page) == secret
    page.reload()
    assert shown_secret(page) == secret
    assert page.locator("form img").first.get_attribute("src") == qr

    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name=re.compile("Activate")).click()

    expect(page.get_by_role("heading", level=1)).not_to_have_text("Activate authenticator app")
    assert Authenticator.objects.filter(user=reader, type=Authenticator.Type.TOTP).exists()
