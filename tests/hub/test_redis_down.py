"""With Redis down every page still renders: the cache degrades to misses, sessions
fall back to the database, and the failure is logged (once, not per call)."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db

# Nothing listens on this port: connections are refused at once.
DOWN = {
    "default": {
        "BACKEND": "hub.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6399/0",
        "KEY_PREFIX": "hub-down",
    }
}


@pytest.fixture
def redis_down(settings, caplog):
    settings.CACHES = DOWN
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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
        }
    }

    cache.set("anything", "stored")

    assert cache.get("anything") == "stored"
    cache.delete("anything")
