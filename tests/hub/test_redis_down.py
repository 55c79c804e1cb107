"""With Redis down every page still renders: the cache degrades to misses, and the
failure is logged (once, not per call). Nothing that must not be forgotten lives there:
sessions are in the database, and pages are purged through it."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db

# The project's in-process alias (cookie groups), beside whichever Redis is default.
MEMO = {"BACKEND": "pagecache.memo.MemoCache"}
# Nothing listens on this port: connections are refused at once.
DOWN = {
    "default": {
        "BACKEND": "hub.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6399/0",
        "KEY_PREFIX": "hub-down",
    },
    "memo": MEMO,
}


@pytest.fixture
def redis_down(settings, caplog):
    settings.CACHES = DOWN
    caplog.set_level(logging.ERROR, logger="hub.cache")
    yield caplog
    cache._down_until = 0.0


def test_every_kind_of_visitor_gets_pages(redis_down, client, visitor, reader, password):
    article = make_article("Served without Redis", body="Still here.")

    gate = visitor.get(article.get_absolute_url())
    declared = client.get(article.get_absolute_url())
    home = client.get("/")
    logged_in = visitor.post(
        reverse("account_login"), {"login": reader.email, "password": password}
    )
    account = visitor.get(reverse("accounts:my_account"))

    assert gate.status_code == 200 and "healthcare professionals only" in gate.content.decode()
    assert declared.status_code == 200 and "Still here." in declared.content.decode()
    assert home.status_code == 200
    assert logged_in.status_code == 302
    assert account.status_code == 200 and reader.email in account.content.decode()
    records = redis_down.get_records("setup") + redis_down.get_records("call")
    failures = [r for r in records if "Redis cache unavailable" in r.getMessage()]
    assert len(failures) == 1  # logged once (creating the reader may have been first)


def test_healthz_says_degraded_and_stays_in_service(redis_down, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": "ok", "cache": "error"}}


def test_forms_with_rate_limits_still_answer(redis_down, visitor, settings):
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]

    response = visitor.post(
        reverse("contact"),
        {
            "name": "Dr Ada",
            "email": "ada@example.org",
            "subject": "Still working?",
            "message": "Sent while the cache was down.",
            "website": "",
        },
    )

    assert response.status_code == 302


def test_the_cache_comes_back_by_itself(settings, redis_url, redis_prefix):
    settings.CACHES = DOWN
    assert cache.get("anything", "fallback") == "fallback"
    settings.CACHES = {
        "default": {
            "BACKEND": "hub.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": redis_prefix,
        },
        "memo": MEMO,
    }

    cache.set("anything", "stored")

    assert cache.get("anything") == "stored"
    cache.delete("anything")


def test_a_log_out_while_redis_is_down_ends_the_session_for_good(
    settings, reader, password, redis_url, redis_prefix
):
    """A log-out that could not reach Redis used to leave the session in the cache, and
    the old cookie worked again once Redis was back."""
    from tests.conftest import Client

    settings.CACHES = {
        "default": {
            "BACKEND": "hub.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": redis_prefix,
        },
        "memo": MEMO,
    }
    browser = Client()
    browser.post(reverse("account_login"), {"login": reader.email, "password": password})
    stolen = browser.cookies["sessionid"].value
    assert browser.get(reverse("accounts:my_account")).status_code == 200

    up = settings.CACHES
    settings.CACHES = DOWN
    assert browser.post(reverse("account_logout")).status_code == 302
    settings.CACHES = up

    thief = Client()
    thief.cookies["sessionid"] = stolen
    answer = thief.get(reverse("accounts:my_account"))
    assert answer.status_code == 302 and reverse("account_login") in answer["Location"]


def test_an_edit_saved_while_redis_is_down_reaches_the_kept_pages(
    redis_down, django_capture_on_commit_callbacks
):
    from pagecache import purge
    from tests.pagecache.through_wsgi import Browser

    article = make_article("Before the outage", body="Old words.")
    purge.forget_pending()
    assert "Old words." in Browser().get(article.get_absolute_url()).text()
    assert Browser().get(article.get_absolute_url())["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        article.body = "New words."
        article.save()

    assert "New words." in Browser().get(article.get_absolute_url()).text()
