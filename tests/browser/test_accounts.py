"""Reader journeys in a real browser: the gate, sign-up to recommendations, bookmarks, data."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Bookmark
from tests.articles.factories import make_article, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_gate_is_accessible(live_server, visitor_page, assert_accessible):
    visitor_page.goto(live_server.url + make_article().get_absolute_url())

    expect(
        visitor_page.get_by_role("button", name="I am a healthcare professional")
    ).to_be_visible()
    assert_accessible(visitor_page)


def test_gate_works_without_javascript_and_by_keyboard(live_server, browser):
    article = make_article("Gated article", body="Only for HCPs.")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5000)

    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("For healthcare professionals only")
    assert "Only for HCPs." not in page.content()

    button = page.get_by_role("button", name="I am a healthcare professional")
    button.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Gated article")
    expect(page).to_have_url(live_server.url + article.get_absolute_url())
    context.close()


def test_sign_up_verify_choose_interests_and_get_recommendations(
    live_server, visitor_page, assert_accessible
):
    page = visitor_page
    lymphoma = make_topic("Lymphoma")
    make_article("Second-line CAR T in LBCL", topics=[lymphoma])

    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill("dr.new@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-passphrase")
    page.get_by_label("Full name").fill("Dr New")
    page.get_by_label("Profession:").select_option("physician")
    page.get_by_label("Specialty").select_option("haematology")
    page.get_by_label("Country:").select_option("GB")
    page.get_by_label("Institution").fill("City Hospital")
    page.get_by_label("I confirm that I am a healthcare professional").check()
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verify your email address")
    (message,) = mail.outbox
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Areas of interest")
    expect(page.get_by_text("Welcome! Choose the topics you follow")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Lymphoma").check()
    page.get_by_role("button", name="Save areas of interest").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recommended for you")
    expect(page.get_by_role("link", name="Second-line CAR T in LBCL")).to_be_visible()
    expect(page.get_by_text("Because you follow Lymphoma")).to_be_visible()
    assert_accessible(page)


def test_bookmark_toggles_in_place_and_lists_in_my_bookmarks(
    live_server, page, make_user, password, assert_accessible
):
    article = make_article("Bridging before CAR T")
    reader = make_user("bookmarker@example.com")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    button = page.locator(".article-actions .bookmark-button")
    expect(button).to_have_accessible_name("Bookmark this article")
    expect(button).not_to_have_attribute("aria-pressed", re.compile(".*"))
    expect(page.locator(".article-actions .bookmark-status")).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")

    expect(button).to_have_accessible_name("Remove bookmark")
    expect(page.locator(".article-actions .bookmark-status")).to_have_text("Bookmarked")
    expect(page.locator(".article-actions .bookmark-status")).to_be_visible()
    expect(button).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Saved to your bookmarks.")
    assert page.evaluate("window.notReloaded") is True
    assert Bookmark.objects.filter(user=reader, article=article).count() == 1
    assert_accessible(page)

    page.goto(live_server.url + "/accounts/bookmarks/")
    expect(page.get_by_role("link", name="Bridging before CAR T")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Remove")).click()
    expect(page.get_by_text("You have not bookmarked anything yet.")).to_be_visible()


def test_download_my_data_then_delete_my_account(
    live_server, page, make_user, password, assert_accessible
):
    reader = make_user("leaving@example.com", full_name="Dr Leaving")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/accounts/delete/")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == "leaving@example.com"

    page.get_by_label("Your password").fill(password)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account and personal data have been deleted.")).to_be_visible()
    assert not type(reader).objects.filter(email="leaving@example.com").exists()


def test_visitor_dismisses_the_personalise_panel_for_good(live_server, page, assert_accessible):
    page.goto(live_server.url)
    panel = page.get_by_role("region", name="Now you can personalise your Hub experience!")
    expect(panel).to_be_visible()
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")

    panel.get_by_role("button", name="Dismiss this message").click()

    expect(panel).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    expect(page.get_by_text("Now you can personalise")).to_have_count(0)
