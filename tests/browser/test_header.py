"""The site header: on a phone one short row, a Menu that opens without JavaScript, and
search and language one tap away; on wide screens two rows with everything in view, the
About group and the languages behind small disclosures."""

import pytest
from playwright.sync_api import expect

from accounts import gate
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


@pytest.fixture
def phone_without_script(browser, live_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.add_cookies(
        [{"name": gate.COOKIE_NAME, "value": hcp_cookie_value(), "url": live_server.url}]
    )
    page = context.new_page()
    yield page
    context.close()


def test_the_closed_header_on_a_phone_is_one_short_row(live_server, page, assert_accessible):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url)

    assert header_height(page) <= 80
    expect(page.get_by_role("link", name="Topics")).to_be_hidden()
    expect(page.locator("details.site-menu")).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Search", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_menu_opens_without_javascript_and_its_links_work(live_server, phone_without_script):
    page = phone_without_script
    page.goto(live_server.url)
    assert header_height(page) <= 80

    page.get_by_text("Menu", exact=True).click()

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Topics")).to_be_visible()
    expect(page.get_by_label("Search articles")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    # The About group opens in place, without the script too.
    nav.get_by_text("About the Hub", exact=True).click()
    expect(nav.get_by_role("link", name="Steering Committee")).to_be_visible()
    nav.get_by_role("link", name="Topics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Topics")

    # The language: its globe opens the list, and each language is a button.
    page.get_by_text("Menu", exact=True).click()
    page.locator("summary", has_text="Language: English").click()
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Temas")


def test_the_menu_works_by_keyboard_and_escape_closes_it(live_server, page, assert_accessible):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url)
    menu = page.locator("summary", has_text="Menu")
    details = page.locator("details.site-menu")

    menu.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link").first).to_be_focused()
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(details).not_to_have_attribute("open", "")
    expect(menu).to_be_focused()


def test_the_search_button_leads_to_the_search_form(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url)

    page.get_by_role("link", name="Search", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_label("Search articles")).to_be_visible()


def test_choosing_a_language_in_the_phone_menu_switches_at_once(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url)

    page.locator("summary", has_text="Menu").click()
    page.locator("summary", has_text="Language: English").click()
    page.get_by_role("button", name="Deutsch").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.locator("summary", has_text="Menü").click()
    page.locator("summary", has_text="Sprache: Deutsch").click()
    expect(page.get_by_role("button", name="Deutsch")).to_have_attribute("aria-current", "true")


def test_wide_screens_show_the_whole_header_in_two_rows(live_server, page, assert_accessible):
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_server.url)

    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    for name in ("Articles", "Topics", "Contact", "Log in", "Sign up"):
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    expect(page.get_by_label("Search articles")).to_be_visible()
    assert header_height(page) <= 120

    # The About group opens over the page and closes when the reader clicks elsewhere.
    about = page.locator("details.nav-group")
    page.get_by_text("About the Hub", exact=True).click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Funders")
    ).to_be_visible()
    assert_accessible(page)
    page.locator("main").click(position={"x": 5, "y": 5})
    expect(about).not_to_have_attribute("open", "")
    # The languages, likewise; Escape closes them and gives focus back to the globe.
    globe = page.locator("summary", has_text="Language: English")
    globe.click()
    expect(page.get_by_role("button", name="Français")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Français")).to_be_hidden()
    expect(globe).to_be_focused()
