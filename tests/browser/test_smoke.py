"""The site frame in a real browser: it renders, it is keyboard-usable, it is accessible."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_a_browser(live_server, page, assert_accessible):
    page.goto(live_server.url)

    expect(page).to_have_title("Hub")  # the brand name (— its tagline, when it has one)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the Hub")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(live_server, page):
    page.goto(live_server.url)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_log_in_page_is_accessible(live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_label("Email")).to_be_visible()
    assert_accessible(page)


def test_reader_logs_in_and_out(live_server, page, make_user, password):
    reader = make_user(email="browser-reader@example.com")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("link", name="My account")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in")
    ).to_be_visible()


def test_the_accessibility_check_catches_a_violation(page, axe):
    """Guard against a check that always passes."""
    page.set_content(
        '<html lang="en"><title>t</title><body><main><img src="x.png"></main></body></html>'
    )

    results = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a"]}})

    assert results.violations_count > 0
