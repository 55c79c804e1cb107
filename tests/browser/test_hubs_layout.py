"""The demo's second hub in a browser, on its own host name: its funders at their levels
there, its steering committee, its languages in the menu; laid out without overlap at
each width, and accessible. Screenshots go to test-results/screenshots/."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts import gate
from demo.loader import load_demo
from tests.browser.test_layout import check
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lymphoma(live_server, page):
    """The demo with two hubs; the lymphoma hub's address on the live server's port
    (Chromium takes any *.localhost to this machine), its gate passed (a declaration
    is its host's own)."""
    load_demo(hubs=True)
    address = f"http://lymphoma.localhost:{urlsplit(live_server.url).port}"
    page.context.add_cookies(
        [{"name": gate.COOKIE_NAME, "value": hcp_cookie_value(), "url": address}]
    )
    return address


def test_the_second_hubs_pages_are_its_own_and_laid_out(lymphoma, page, assert_accessible):
    problems = []

    page.goto(lymphoma + "/funders/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Funders")
    platinum = page.locator("section", has=page.get_by_role("heading", name="Platinum funders"))
    expect(platinum.get_by_role("heading", level=3)).to_have_text(["Corvane Biologics Demo"])
    expect(page.get_by_text("Quillon Diagnostics")).to_have_count(0)  # the first hub's
    problems += check(page, "hub-funders", dark=True)
    assert_accessible(page)

    page.goto(lymphoma + "/steering-committee/")
    expect(page.locator(".expert-card__name")).to_have_text(["Dr Amelia Hart", "Dr Priya Raman"])
    problems += check(page, "hub-committee")
    assert_accessible(page)

    page.goto(lymphoma + "/")
    menu = page.locator(".language-menu summary")
    menu.click()
    expect(page.locator(".language-menu__panel button")).to_have_text(["English", "Español"])
    menu.click()
    problems += check(page, "hub-home")

    assert problems == [], "\n".join(problems)
