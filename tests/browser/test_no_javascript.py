"""The main journeys with JavaScript switched off: every one is a link or a form first.

The HCP gate without JavaScript is in test_accounts.py.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import Bookmark
from articles.models import Article
from demo.loader import load_demo
from hub.site_content import install
from quizzes.models import Attempt, Quiz
from tests.browser.conftest import _record_console_errors
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    """The demo content and the site's pages and cookie groups (live_server empties them)."""
    from cookie_consent.cache import delete_cache
    from cookie_consent.models import Cookie, CookieGroup

    from hub.models import Page

    install(Page, CookieGroup, Cookie)
    delete_cache()
    load_demo()
    return live_server


@pytest.fixture
def no_js(browser, site):
    """A reader who has passed the HCP gate, in a browser with JavaScript off."""
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([{"name": "hub_hcp", "value": hcp_cookie_value(), "url": site.url}])
    page = _record_console_errors(context.new_page())
    yield page
    context.close()
    assert page.console_errors == [], "the browser reported errors"


@pytest.mark.parametrize(("choice", "analytics"), [("Accept all", True), ("Reject all", False)])
def test_cookie_banner_answers_without_javascript(site, no_js, choice, analytics):
    no_js.goto(site.url)
    banner = no_js.get_by_role("region", name="Cookies on the Haematology Hub")
    expect(banner).to_be_visible()

    banner.get_by_role("button", name=choice).click()

    expect(no_js).to_have_url(site.url + "/")
    expect(banner).to_have_count(0)
    consent = {c["name"]: c["value"] for c in no_js.context.cookies()}["cookie_consent"]
    assert ("analytics=-1" not in consent) is analytics


def test_read_search_and_change_language_without_javascript(site, no_js):
    no_js.goto(site.url)
    no_js.get_by_role("button", name="Reject all").click()

    # Home to an article.
    article = Article.objects.published().first()
    no_js.get_by_role("link", name=article.title).first.click()
    expect(no_js.get_by_role("heading", level=1)).to_have_text(article.title)

    # Search.
    no_js.set_viewport_size({"width": 1440, "height": 900})  # the header's own field
    no_js.get_by_label("Search articles").fill("belantamab")
    no_js.get_by_role("button", name="Search").click()
    expect(no_js.locator("p[role=status]")).to_contain_text("for “belantamab”")
    expect(no_js.get_by_role("main").get_by_role("link", name="belantamab").first).to_be_visible()

    # Language.
    no_js.locator("summary", has_text="Language: English").click()
    no_js.get_by_role("button", name="Deutsch").click()
    expect(no_js.locator("html")).to_have_attribute("lang", "de")


def test_bookmark_and_pre_reading_quiz_without_javascript(site, no_js, make_user, password):
    reader = make_user("no.script@example.com")
    article = Quiz.objects.live().first().article
    no_js.goto(site.url + "/accounts/login/?next=" + article.get_absolute_url())
    no_js.get_by_role("button", name="Reject all").click()
    no_js.get_by_label("Email").fill(reader.email)
    no_js.get_by_label("Password").fill(password)
    no_js.get_by_role("button", name="Log in").click()
    expect(no_js.get_by_role("heading", level=1)).to_have_text(article.title)

    # Bookmark, then remove it: the form posts and the page comes back in its new state.
    actions = no_js.locator(".article-actions")
    actions.get_by_role("button", name="Bookmark this article").click()
    expect(actions.get_by_text("Bookmarked")).to_be_visible()
    assert Bookmark.objects.filter(user=reader, article=article).exists()
    actions.get_by_role("button", name="Remove bookmark").click()
    expect(actions.get_by_role("button", name="Bookmark this article")).to_be_visible()
    assert not Bookmark.objects.filter(user=reader, article=article).exists()

    # The quiz before reading: answer every question, see the score.
    no_js.get_by_role("link", name="Take the quiz before reading").click()
    questions = no_js.locator("fieldset.quiz-question")
    for index in range(questions.count()):
        questions.nth(index).locator("input[type=radio], input[type=checkbox]").first.check()
    no_js.get_by_role("button", name="Submit answers").click()
    expect(no_js.locator(".score")).to_be_visible()
    assert Attempt.objects.filter(user=reader, stage=Attempt.Stage.PRE).count() == 1
