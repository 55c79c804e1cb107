"""Each app server keeps copies of the shared pages it served, and Redis keeps them exact.

These tests run against the machine's Redis (each with its own key prefix): a copy
is served without asking Redis, and ends the moment the shared generation changes,
whoever changes it, or when the tracking connection is lost or the copy expires.
"""

import os
import pickle
import time
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from django.urls import reverse

from hub import csrf_tokens, page_cache, page_memo
from hub.page_cache import CACHE_HEADER
from tests.articles.factories import make_article
from tests.hub.test_wsgi_handler import TOKEN, bookmark_state, member, session_of, wsgi_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, redis_url, redis_prefix):
    """The cache on Redis, under a prefix of its own, removed afterwards (redis_prefix)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "hub.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": redis_prefix,
        }
    }
    return redis.Redis.from_url(redis_url)


@pytest.fixture
def article(shared_cache):
    return make_article("Copied for readers", body="The first version of the body.")


def served_without_redis(monkeypatch, path):
    """The page, with every read of the shared cache failing the test."""

    def no_read(key):
        raise AssertionError("read the shared cache for a page this server holds")

    monkeypatch.setattr(page_cache, "read", no_read)
    try:
        return wsgi_get(path)
    finally:
        monkeypatch.undo()


def other_server_changes_generation(server):
    """What another app server's edit does to Redis (a new generation), from outside."""
    server.set(cache.make_key(page_cache.GENERATION_KEY), pickle.dumps(uuid.uuid4().hex))


def test_a_page_this_server_served_is_served_again_without_asking_redis(article, monkeypatch):
    first = wsgi_get(article.get_absolute_url())
    again = served_without_redis(monkeypatch, article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert again.status == 200 and again["X-Page-Cache"] == "hit"
    assert "The first version of the body." in again.body
    assert again.body.count('name="csrfmiddlewaretoken"') == first.body.count(
        'name="csrfmiddlewaretoken"'
    )
    assert csrf_tokens.CSRF_PLACEHOLDER not in again.body


def test_an_edit_shows_on_the_next_request(article, monkeypatch):
    wsgi_get(article.get_absolute_url())
    assert served_without_redis(monkeypatch, article.get_absolute_url())["X-Page-Cache"] == "hit"

    article.body = "The corrected body."
    article.save()
    after = wsgi_get(article.get_absolute_url())

    assert after["X-Page-Cache"] == "miss"
    assert "The corrected body." in after.body


def test_a_change_made_by_another_server_ends_the_copies(article, shared_cache):
    wsgi_get(article.get_absolute_url())
    assert wsgi_get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    other_server_changes_generation(shared_cache)

    assert page_memo.watch().get(next(iter(page_memo.watch().pages))) is None
    assert wsgi_get(article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_lost_tracking_connection_ends_the_copies(article, shared_cache, caplog):
    wsgi_get(article.get_absolute_url())
    assert wsgi_get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    name = f"hub-page-memo-{os.getpid()}"
    tracking = [c for c in shared_cache.client_list() if c["name"] == name]
    assert tracking and all("t" in c["flags"] for c in tracking)  # Redis tracks for it

    for client in tracking:
        shared_cache.client_kill_filter(_id=client["id"])
    other_server_changes_generation(shared_cache)  # unseen: nobody is told any more
    after = wsgi_get(article.get_absolute_url())

    assert after["X-Page-Cache"] == "miss"  # the copy was not trusted
    assert "Page copies are off" in caplog.text


def test_an_expired_copy_is_not_served(article, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 1
    wsgi_get(article.get_absolute_url())
    assert wsgi_get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    time.sleep(1.1)

    assert wsgi_get(article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_copies_stay_within_their_memory(shared_cache, monkeypatch):
    monkeypatch.setattr(page_memo, "MEMO_BYTES", 10_000)
    watch = page_memo.watch()
    page_cache.forget_all_pages()
    generation = watch.current()

    for number in range(12):
        page = {"generation": generation, "content": b"x" * 1_000, "expires": time.time() + 60}
        watch.keep(f"page-{number}", page, size=1_000)

    assert len(watch.pages) * 1_000 <= 10_000
    assert list(watch.pages) == [f"page-{number}" for number in range(2, 12)]  # newest kept
    assert watch.get("page-0") is None and watch.get("page-11") is not None


def test_a_copy_of_an_older_generation_is_never_kept(shared_cache):
    watch = page_memo.watch()
    page_cache.forget_all_pages()
    current = watch.current()

    later = time.time() + 60
    watch.keep("old", {"generation": "older", "content": b"old", "expires": later}, size=3)
    watch.keep("new", {"generation": current, "content": b"new", "expires": later}, size=3)

    assert watch.get("old") is None and watch.get("new")["content"] == b"new"


def test_there_are_no_copies_without_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert page_memo.watch() is None


def test_a_redis_without_tracking_serves_from_the_shared_cache(article, monkeypatch, caplog):
    def refuse(self):
        raise redis.exceptions.ResponseError("unknown subcommand 'TRACKING'")

    monkeypatch.setattr(page_memo.GenerationWatch, "_connect", refuse)
    answers = [wsgi_get(article.get_absolute_url()) for _ in range(3)]

    assert [answer["X-Page-Cache"] for answer in answers] == ["miss", "hit", "hit"]
    assert page_memo.watch().pages == {}
    assert caplog.text.count("Redis refused tracking") == 1


def test_a_logged_in_reader_gets_the_shell_copy_with_their_own_parts(
    article, make_user, monkeypatch
):
    browser = member(make_user("alice@example.org"))
    first = browser.get(article.get_absolute_url())
    wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))  # keeps a copy
    asked = []
    backend = type(caches["default"])
    get_many = backend.get_many

    def spy(self, keys, *args, **kwargs):
        asked.append(list(keys))
        return get_many(self, keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", spy)
    page = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))
    token = TOKEN.search(page.body).group(1)
    browser.cookies["csrftoken"] = page.cookies["csrftoken"].value
    browser.post(
        reverse("accounts:bookmark", args=[article.pk]),
        {"csrfmiddlewaretoken": token, "action": "add", "next": article.get_absolute_url()},
    )
    bookmarked = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))
    article.body = "The corrected body."
    article.save()
    edited = wsgi_get(article.get_absolute_url(), sessionid=session_of(browser))

    assert page[CACHE_HEADER] == "member-hit"
    assert [len(keys) for keys in asked[:1]] == [2]  # their card and holes, not the shell
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", page.body)
    assert (bookmark_state(page.body), bookmark_state(bookmarked.body)) == ("false", "true")
    assert "The corrected body." in edited.body


def test_a_copy_without_a_form_is_served_whole(rf):
    page = b"<p>No form on this page.</p>"

    headers, body = page_cache.for_reader(rf.get("/"), [], [page], "hit")

    assert body == page
    assert ("Content-Length", str(len(page))) in headers
    assert not [value for name, value in headers if name == "Set-Cookie"]


def test_a_change_right_after_the_generation_is_read_is_not_missed(shared_cache, monkeypatch):
    watch = page_memo.watch()
    page_cache.forget_all_pages()
    drain = page_memo.GenerationWatch._drain
    raced = []

    def change_then_drain(self, connection):
        if not raced:  # the first drain after reading the generation: another server
            raced.append(uuid.uuid4().hex)  # changes it in between
            shared_cache.set(cache.make_key(page_cache.GENERATION_KEY), pickle.dumps(raced[0]))
            time.sleep(0.05)  # Redis's message reaches this process's socket
        drain(self, connection)

    watch.forget()
    monkeypatch.setattr(page_memo.GenerationWatch, "_drain", change_then_drain)
    watch.current()

    assert raced and watch.current() == raced[0]


def test_a_silent_connection_is_asked_and_not_trusted_when_it_does_not_answer(
    article, monkeypatch, caplog
):
    wsgi_get(article.get_absolute_url())
    watch = page_memo.watch()
    assert watch.pages
    monkeypatch.setattr(page_memo, "PING_SECONDS", 0)
    connection = watch._connection
    send = connection.send_command
    sent = []

    def no_answer(*args, **kwargs):
        sent.append(args[0])
        if args[0] == "PING":
            raise redis.exceptions.TimeoutError("Timeout reading from socket")
        return send(*args, **kwargs)

    monkeypatch.setattr(connection, "send_command", no_answer)
    answer = wsgi_get(article.get_absolute_url())

    assert sent[:1] == ["PING"]
    assert answer["X-Page-Cache"] == "hit"  # from Redis itself, not from the copy
    assert watch.pages == {} and "Page copies are off" in caplog.text
