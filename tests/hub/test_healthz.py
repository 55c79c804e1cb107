"""/healthz tells a load balancer whether this app server can serve."""

import pytest
from django.db import connection

from hub import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_any_host_name(client, settings):
    """Load balancers probe by IP address, which ALLOWED_HOSTS would turn away."""
    settings.ALLOWED_HOSTS = ["hub.example"]

    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_a_cache_outage_is_degraded_not_a_reason_to_leave_the_pool(client, monkeypatch):
    """Every app server shares the cache: failing them all at once would take the site down,
    though it serves without the cache."""

    def broken_cache():
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken_cache)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "error"},
    }


def test_healthz_fails_when_the_database_is_unreachable(client, monkeypatch):
    def broken_cursor():
        raise connection.Database.OperationalError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
