"""hub.wsgi serves stored pages before Django's middleware: the same page, for less."""

import json
import logging
import re
from http.cookies import SimpleCookie

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import gate
from hub import csrf_tokens, page_cache
from hub.handler import PageCacheHandler
from hub.page_cache import CACHE_HEADER
from tests.articles.factories import make_article
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Answer:
    def __init__(self, status, headers, body):
        self.status = int(status.split()[0])
        self.headers = headers
        self.body = body.decode()
        self.cookies = SimpleCookie()
        for name, value in headers:
            if name == "Set-Cookie":
                self.cookies.load(value)

    def __getitem__(self, name):
        return next(value for key, value in self.headers if key.lower() == name.lower())


def wsgi_get(path, **cookies):
    """A GET through the WSGI application gunicorn runs (the test client skips it)."""
    cookies.setdefault(gate.COOKIE_NAME, hcp_cookie_value())
    header = "; ".join(f"{name}={value}" for name, value in cookies.items() if value)
    environ = RequestFactory().get(path, HTTP_COOKIE=header).environ
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(PageCacheHandler()(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(started["status"], started["headers"], body)


@pytest.fixture
def article():
    return make_article("Served from the handler", body="A body served before Django.")


def test_a_stored_page_is_served_before_django_without_a_query(
    article, django_assert_num_queries, caplog
):
    first = wsgi_get(article.get_absolute_url())

    with django_assert_num_queries(0), caplog.at_level(logging.INFO, "hub.requests"):
        second = wsgi_get(article.get_absolute_url())

    assert (first.status, first[CACHE_HEADER]) == (200, "miss")
    assert (second.status, second[CACHE_HEADER]) == (200, "hit")
    assert "A body served before Django." in second.body
    assert TOKEN.sub("", first.body) == TOKEN.sub("", second.body)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Length"] == str(len(second.body.encode()))
    line = json.loads(caplog.records[-1].getMessage())
    assert line["cache"] == "hit" and line["status"] == 200
    assert line["request_id"] == second["X-Request-ID"]


def test_each_reader_gets_a_token_that_passes_the_csrf_check(article):
    wsgi_get(article.get_absolute_url())
    alice, bob = wsgi_get(article.get_absolute_url()), wsgi_get(article.get_absolute_url())

    alice_token = TOKEN.search(alice.body).group(1)
    alice_secret = alice.cookies["csrftoken"].value
    assert alice_token != TOKEN.search(bob.body).group(1)
    assert alice_secret != bob.cookies["csrftoken"].value
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = alice_secret
    accepted = visitor.post(reverse("consent:accept_all"), {"csrfmiddlewaretoken": alice_token})
    visitor.cookies["csrftoken"] = bob.cookies["csrftoken"].value
    refused = visitor.post(reverse("consent:accept_all"), {"csrfmiddlewaretoken": alice_token})
    assert accepted.status_code == 302
    assert refused.status_code == 403


def test_a_returning_reader_keeps_their_csrf_secret(article):
    wsgi_get(article.get_absolute_url())
    first = wsgi_get(article.get_absolute_url())
    secret = first.cookies["csrftoken"].value

    again = wsgi_get(article.get_absolute_url(), csrftoken=secret)

    assert again[CACHE_HEADER] == "hit"
    assert again.cookies["csrftoken"].value == secret
    assert TOKEN.search(again.body).group(1) != TOKEN.search(first.body).group(1)


def test_csrf_characters_are_all_used_and_tokens_have_djangos_shape():
    request = RequestFactory().get("/")
    tokens = [csrf_tokens.csrf_token(request) for _ in range(200)]

    assert {len(token) for token in tokens} == {64}
    assert set("".join(tokens)) == set(CSRF_ALLOWED_CHARS)
    assert len(set(tokens)) == 200


def test_a_session_or_a_message_goes_the_full_way(article):
    wsgi_get(article.get_absolute_url())

    with_session = wsgi_get(article.get_absolute_url(), sessionid="not-a-session")
    with_message = wsgi_get(article.get_absolute_url(), messages="x")

    assert with_session[CACHE_HEADER] == with_message[CACHE_HEADER] == "bypass"


def test_trouble_in_the_cache_serves_the_page_in_full(article, monkeypatch, caplog):
    wsgi_get(article.get_absolute_url())

    calls, read = [], page_cache.read

    def broken_once(key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("the cache answered nonsense")
        return read(key)

    monkeypatch.setattr(page_cache, "read", broken_once)
    with caplog.at_level(logging.ERROR, "hub.handler"):
        answer = wsgi_get(article.get_absolute_url())

    assert answer.status == 200
    assert "A body served before Django." in answer.body
    assert "The page cache failed" in caplog.text


# Logged-in readers: their shell and their own holes, from the session alone.


def member(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def session_of(client):
    return client.cookies["sessionid"].value


def bookmark_state(html):
    return re.search(r'class="bookmark-form" data-bookmarked="(\w+)"', html).group(1)


@pytest.fixture
def alice(make_user):
    return make_user("alice@example.org")


@pytest.fixture
def bob(make_user):
    return make_user("bob@example.org")


def test_a_readers_page_comes_from_their_shell_and_holes_without_a_query(
    article, alice, django_assert_num_queries
):
    browser = member(alice)
    first = browser.get(article.get_absolute_url())

    with django_assert_num_queries(0):
        second = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))

    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("member-miss", "member-hit")
    assert "A body served before Django." in second.body
    assert bookmark_state(second.body) == "false"
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.body)


def test_a_bookmark_shows_at_once_and_only_to_its_reader(article, alice, bob):
    browser, other = member(alice), member(bob)
    browser.get(article.get_absolute_url())
    other.get(article.get_absolute_url())
    page = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))
    token = TOKEN.search(page.body).group(1)
    browser.cookies["csrftoken"] = page.cookies["csrftoken"].value

    added = browser.post(
        reverse("accounts:bookmark", args=[article.pk]),
        {"csrfmiddlewaretoken": token, "action": "add", "next": article.get_absolute_url()},
    )
    hers = [wsgi_get(article.get_absolute_url(), sessionid=session_of(browser)) for _ in "12"]
    his = wsgi_get(article.get_absolute_url(), sessionid=session_of(other))

    assert added.status_code == 302
    assert [bookmark_state(p.body) for p in hers] == ["true", "true"]
    assert (his[CACHE_HEADER], bookmark_state(his.body)) == ("member-hit", "false")


def test_a_changed_password_ends_the_stored_session(article, alice):
    browser = member(alice)
    browser.get(article.get_absolute_url())
    alice.set_password("a different long password")
    alice.save()

    answer = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))

    assert answer[CACHE_HEADER] != "member-hit"
    assert "data-bookmarked" not in answer.body  # logged out: no bookmark form


def test_a_session_holding_more_than_the_reader_goes_to_django(article, alice):
    browser = member(alice)
    browser.get(article.get_absolute_url())
    session = browser.session
    session["account_login_stage"] = "verify"
    session.save()

    with CaptureQueriesContext(connection) as queries:
        answer = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))

    assert len(queries) > 0  # the user is loaded: Django answered, not the stored page
    assert answer.status == 200


def test_staff_pages_are_never_stored(article, make_editor):  # previews, editing powers
    browser = member(make_editor())
    browser.get(article.get_absolute_url())

    answer = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))

    assert answer[CACHE_HEADER] == "bypass"


def test_a_replay_sets_the_csrf_cookie_as_django_does(article):
    def shape(answer):
        header = next(v for k, v in answer.headers if k == "Set-Cookie" and "csrftoken=" in v)
        return re.sub(r"csrftoken=\w+|expires=[^;]+", "", header.strip())

    django = wsgi_get(article.get_absolute_url())
    replayed = wsgi_get(article.get_absolute_url())

    assert (django[CACHE_HEADER], replayed[CACHE_HEADER]) == ("miss", "hit")
    assert shape(replayed) == shape(django)
    assert "Cookie" in replayed["Vary"]
