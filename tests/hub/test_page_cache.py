"""The page cache: fast for declared readers, and never one visitor's page for another."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from hub.page_cache import CACHE_HEADER, seconds_to_live
from tests.articles.factories import make_article
from tests.conftest import declare_hcp

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATEMENT = "All content on this site is intended for healthcare professionals only."


def reader(**cookies):
    """A declared reader who is not logged in, with a browser's CSRF checks."""
    client = declare_hcp(Client(enforce_csrf_checks=True))
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


@pytest.fixture
def article():
    return make_article("Cached for readers", body="The body of the cached article.")


def test_a_second_reader_is_served_from_the_cache_without_a_query(
    article, django_assert_num_queries
):
    first = reader().get(article.get_absolute_url())

    with django_assert_num_queries(0):
        second = reader().get(article.get_absolute_url())

    assert first[CACHE_HEADER] == "miss" and second[CACHE_HEADER] == "hit"
    assert "The body of the cached article." in second.content.decode()
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    assert "Content-Security-Policy" in second and "X-Frame-Options" in second


def test_each_reader_gets_their_own_csrf_token_and_the_cookie_banner_works(article):
    reader().get(article.get_absolute_url())
    alice, bob = reader(), reader()

    alice_page = alice.get(article.get_absolute_url())
    bob_page = bob.get(article.get_absolute_url())

    assert alice_page[CACHE_HEADER] == bob_page[CACHE_HEADER] == "hit"
    alice_token = TOKEN.search(alice_page.content.decode()).group(1)
    bob_token = TOKEN.search(bob_page.content.decode()).group(1)
    assert alice_token != bob_token
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    accepted = alice.post(
        reverse("consent:accept_all"),
        {"csrfmiddlewaretoken": alice_token, "next": article.get_absolute_url()},
    )
    stolen = bob.post(reverse("consent:accept_all"), {"csrfmiddlewaretoken": alice_token})
    assert accepted.status_code == 302
    assert stolen.status_code == 403


def test_the_newsletter_form_on_a_cached_page_works():
    reader().get(reverse("newsletter:subscribe"))
    visitor = reader()

    page = visitor.get(reverse("newsletter:subscribe"))
    token = TOKEN.search(page.content.decode()).group(1)
    response = visitor.post(
        reverse("newsletter:subscribe"),
        {"csrfmiddlewaretoken": token, "email": "cached@example.org"},
    )

    assert page[CACHE_HEADER] == "hit"
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:check_email")


def test_the_search_form_on_a_cached_page_works(article):
    reader().get("/")
    visitor = reader()

    home = visitor.get("/").content.decode()
    results = visitor.get(reverse("articles:search"), {"q": "cached"})

    assert 'action="/search/"' in home and 'name="q"' in home
    assert "Cached for readers" in results.content.decode()


def test_an_undeclared_visitor_gets_the_gate_not_the_cached_page(article):
    reader().get(article.get_absolute_url())

    response = Client().get(article.get_absolute_url())

    assert STATEMENT in response.content.decode()
    assert "The body of the cached article." not in response.content.decode()


def test_a_declared_reader_never_gets_a_stored_gate_page(article):
    Client().get(article.get_absolute_url())  # the gate, for an undeclared visitor

    response = reader().get(article.get_absolute_url())

    assert STATEMENT not in response.content.decode()
    assert "The body of the cached article." in response.content.decode()


def test_the_gate_page_is_stored_for_undeclared_visitors_with_their_own_token(
    article, django_assert_num_queries
):
    Client().get(article.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)

    with django_assert_num_queries(0):
        gate = visitor.get(article.get_absolute_url())
    token = TOKEN.search(gate.content.decode()).group(1)
    declared = visitor.post(
        reverse("hcp_declare"),
        {"csrfmiddlewaretoken": token, "next": article.get_absolute_url()},
    )

    assert gate[CACHE_HEADER] == "hit" and STATEMENT in gate.content.decode()
    assert "no-cache" in gate["Cache-Control"]  # browsers and proxies still keep nothing
    assert declared.status_code == 302
    assert "The body of the cached article." in visitor.get(declared["Location"]).content.decode()


def test_logged_in_readers_and_pending_messages_bypass_the_cache(article, make_user):
    reader().get(article.get_absolute_url())
    member = Client()
    member.force_login(make_user())
    messaged = reader(messages="a-pending-message")

    # A logged-in reader gets their own parts (tests/hub/test_member_pages.py).
    assert member.get(article.get_absolute_url())[CACHE_HEADER] == "member-miss"
    assert messaged.get(article.get_absolute_url())[CACHE_HEADER] == "bypass"


def test_a_message_meant_for_one_reader_is_not_stored_for_others(article):
    chooser = reader()
    page = chooser.get(reverse("cookie_settings"))
    token = TOKEN.search(page.content.decode()).group(1)
    chooser.post(
        reverse("consent:choose"),
        {"csrfmiddlewaretoken": token, "analytics": "decline", "next": "/"},
    )
    with_message = chooser.get("/").content.decode()

    other = reader().get("/").content.decode()

    assert "Your cookie choices were saved." in with_message
    assert "Your cookie choices were saved." not in other


def test_consent_language_and_the_closed_panel_each_get_their_own_page(article, settings):
    settings.HUB_ANALYTICS_SCRIPT_URL = "https://stats.example.org/script.js"
    consenting = reader()
    page = consenting.get("/")
    token = TOKEN.search(page.content.decode()).group(1)
    consenting.post(reverse("consent:accept_all"), {"csrfmiddlewaretoken": token, "next": "/"})

    accepted = consenting.get("/")
    undecided = reader().get("/")
    spanish = reader(django_language="es").get("/")
    closed = reader(hub_panel="1").get("/")

    assert "stats.example.org/script.js" in accepted.content.decode()
    assert "https://stats.example.org" in accepted["Content-Security-Policy"]
    assert "stats.example.org" not in undecided.content.decode()
    assert "Cookies on the Hub" in undecided.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert '<html lang="en">' in undecided.content.decode()
    assert "js-dismiss-panel" in undecided.content.decode()
    assert "js-dismiss-panel" not in closed.content.decode()


def test_editing_and_unpublishing_show_at_once(article):
    reader().get(article.get_absolute_url())
    reader().get("/")

    article.title = "A corrected title"
    article.save()
    edited = reader().get(article.get_absolute_url())
    home = reader().get("/")
    article.status = article.Status.DRAFT
    article.save()
    gone = reader().get(article.get_absolute_url())

    assert edited[CACHE_HEADER] == "miss"
    assert "A corrected title" in edited.content.decode()
    assert "A corrected title" in home.content.decode()
    assert gone.status_code == 404


def test_a_page_is_kept_no_longer_than_until_the_next_scheduled_article(settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300
    assert seconds_to_live() == 300

    make_article("Due soon", age=-timedelta(seconds=40))

    assert 30 <= seconds_to_live() <= 40


def test_pages_that_are_not_shared_are_not_cached(article):
    reader().get(reverse("cookie_settings"))

    response = reader().get(reverse("cookie_settings"))

    assert response[CACHE_HEADER] == "bypass"


def test_search_results_are_cached_per_query(article):
    reader().get(reverse("articles:search"), {"q": "cached"})

    again = reader().get(reverse("articles:search"), {"q": "cached"})
    other = reader().get(reverse("articles:search"), {"q": "nothing-like-it"})

    assert again[CACHE_HEADER] == "hit" and "Cached for readers" in again.content.decode()
    assert other[CACHE_HEADER] == "miss" and "Cached for readers" not in other.content.decode()


def test_hosts_are_remembered_only_when_plain_and_follow_allowed_hosts(rf, settings):
    from hub import page_cache

    settings.ALLOWED_HOSTS = ["hub.example"]
    good, bad = rf.get("/", HTTP_HOST="hub.example"), rf.get("/", HTTP_HOST="evil.example")
    huge = rf.get("/", HTTP_HOST="a" * 300 + ".example")

    assert (page_cache._host(good), page_cache._host(bad)) == ("hub.example", None)
    assert page_cache._host(huge) is None and "a" * 300 + ".example" not in page_cache._hosts
    settings.ALLOWED_HOSTS = ["evil.example"]  # a changed setting forgets what was known
    assert (page_cache._host(good), page_cache._host(bad)) == (None, "evil.example")
