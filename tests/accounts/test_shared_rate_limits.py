"""Rate limits hold across app servers: the counters live in the shared Redis cache.

Five failed log-ins in this process; a second Python process, configured like
another app server, must then refuse the sixth attempt before any password check.
"""

import textwrap

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from tests.hub.test_settings import run_python

pytestmark = pytest.mark.django_db

SECOND_SERVER = textwrap.dedent(
    """
    import django
    django.setup()
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import ValidationError
    from django.test import RequestFactory
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.2")
    try:
        get_adapter(request).pre_authenticate(request, email="{email}", password="guess")
    except ValidationError as error:
        print("refused:", error.messages[0])
    else:
        print("allowed")
    """
)


@pytest.fixture
def shared_cache(settings, redis_url, redis_prefix):
    """Redis as the cache, under this test's prefix (redis_prefix deletes its keys)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": redis_prefix,
        },
        "memo": {"BACKEND": "pagecache.memo.MemoCache"},
    }
    try:
        caches["default"].set("ping", 1)
    except Exception as exc:  # pragma: no cover - the machine runs Redis
        pytest.fail(f"Redis is not reachable at {redis_url}: {exc}")


def second_server(email):
    """Another app server: a Python process with this one's cache."""
    shared = settings.CACHES["default"]
    result = run_python(
        ["-c", SECOND_SERVER.format(email=email)],
        {
            "CACHE_URL": shared["LOCATION"],
            "DJANGO_CACHE_PREFIX": shared["KEY_PREFIX"],
            "DJANGO_ALLOWED_HOSTS": "testserver",
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_failed_logins_on_one_server_lock_out_the_next(client, reader, shared_cache):
    assert second_server("someone.else@example.com") == "allowed"

    for _ in range(5):
        client.post(reverse("account_login"), {"login": reader.email, "password": "wrong"})

    assert second_server(reader.email) == (
        "refused: Too many failed login attempts. Try again later."
    )
