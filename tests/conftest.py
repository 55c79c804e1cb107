"""Fixtures shared by the whole suite."""

import io
import os
import uuid
from itertools import batched
from unittest import mock

import pytest
from django import test
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import translation

from accounts import gate

# The Redis that tests of shared caches, page copies and app servers use: the machine's
# own unless HUB_TEST_REDIS_URL says otherwise. Every key they write starts with
# RUN_PREFIX, unique to this run and xdist worker, and only such keys are deleted (SCAN
# and DEL, never FLUSHDB): runs side by side, and whoever else uses that Redis, keep theirs.
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_PREFIX = "hub-test-{run}-{worker}".format(
    run=os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:12],
    worker=os.environ.get("PYTEST_XDIST_WORKER", "main"),
)


def delete_redis_keys(prefix):
    """Delete the keys under `prefix` (a cache's KEY_PREFIX: its keys are "prefix:…")."""
    import redis

    with redis.Redis.from_url(REDIS_URL) as server:
        for keys in batched(server.scan_iter(match=f"{prefix}:*", count=1000), 1000):
            server.delete(*keys)


@pytest.fixture(scope="session")
def redis_url():
    """HUB_TEST_REDIS_URL: the tests' Redis."""
    return REDIS_URL


@pytest.fixture(scope="session")
def _redis_run_keys():
    yield
    delete_redis_keys(RUN_PREFIX)  # what app servers in other processes wrote, too


@pytest.fixture
def redis_prefix(_redis_run_keys):
    """A cache KEY_PREFIX of this test's own, inside the run's; its keys go afterwards."""
    prefix = f"{RUN_PREFIX}:{uuid.uuid4().hex[:8]}"
    yield prefix
    delete_redis_keys(prefix)


def clear_cache():
    """Clear the default cache, unless it is Redis: there clear() is FLUSHDB."""
    # On Redis, clear() is FLUSHDB, other people's keys included: redis_prefix cleans up.
    if not isinstance(caches["default"], RedisCache):
        cache.clear()


class Client(test.Client):
    """A test client that, like every current browser, says where a request comes from
    (Sec-Fetch-Site): the forms on shared pages rely on that instead of a CSRF token."""

    def __init__(self, *args, headers=None, **kwargs):
        headers = {"Sec-Fetch-Site": "same-origin", **(headers or {})}
        super().__init__(*args, headers=headers, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _no_listening_left(django_db_setup, django_db_blocker):
    """The page cache's LISTEN connection (pagecache.invalidation), and any other, must
    be closed before the test database is dropped."""
    yield
    from django.db import connection

    from pagecache import invalidation

    invalidation.reset()
    if connection.vendor == "postgresql":
        # App servers other tests started (tests/hub/test_two_servers.py) may still be
        # exiting, their connections open: DROP DATABASE would refuse ("being accessed
        # by other users") and leave the test database behind.
        # The connection this process holds may itself have been ended by a test that
        # dropped connections (tests/pagecache/test_invalidation.py): start a new one.
        with django_db_blocker.unblock():
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, cached pages and buffered reads must not leak from one test into the next."""
    from accounts import gate
    from articles import reach
    from pagecache import invalidation, local, purge

    clear_cache()
    gate.CHECKED.clear()
    reach._pending.clear()
    local.STORE.clear()
    invalidation.reset()  # each test's database starts again at the same version
    purge.forget_pending()
    yield
    clear_cache()
    local.STORE.clear()
    invalidation.reset()
    purge.forget_pending()
    reach._pending.clear()
    reach._today.cache_clear()  # a test that moved the date must not leave it moved
    reach._digests.clear()


@pytest.fixture(autouse=True)
def _reads_written_when_asked(settings):
    """Buffered reads are written every few seconds in production; a slow test crossing
    that line would count an extra query, so tests write them when they ask
    (articles.reach.readers() flushes; tests of the batching set their own interval)."""
    settings.HUB_REACH_FLUSH_SECONDS = 3600


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and their renditions go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _english_again():
    """A request in another language leaves it active in the process: the next test
    starts in English, as a new request would."""
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is Django's business; the suite only needs it to be quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Emails are rendered when they are queued, so a test may read what a request sent
    straight away: tasks run in the test's process. The database queue that production
    uses is the `task_queue` fixture's, for the tests of queueing itself."""
    immediate = f"{settings.HUB_TASKS_MODULE}.backends.immediate.ImmediateBackend"
    settings.TASKS = {"default": {"BACKEND": immediate}}


@pytest.fixture
def task_queue(settings):
    """Production's queue: tasks wait in the database until `run_worker()`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(*options):
    """What `manage.py db_worker` does, until the queue has nothing ready to run.

    The worker drops its database connection between tasks when it looks left in a
    transaction, as the test's own transaction makes it look: here it keeps it."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", *options,
            stdout=io.StringIO(),
        )  # fmt: skip


@pytest.fixture
def password():
    return "correct-horse-battery-staple-42"


@pytest.fixture
def make_user(db, password):
    """Build a reader with a verified email address, as allauth would after sign-up."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    def make(email="reader@example.com", **fields):
        user = get_user_model().objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def reader(make_user):
    return make_user()


def hcp_cookie_value():
    """The signed cookie the gate sets when a visitor declares being an HCP."""
    response = HttpResponse()
    response.set_signed_cookie(gate.COOKIE_NAME, "1", salt=gate.COOKIE_SALT)
    return response.cookies[gate.COOKIE_NAME].value


def declare_hcp(client):
    """Give a test client the HCP declaration a visitor gets from the gate."""
    client.cookies[gate.COOKIE_NAME] = hcp_cookie_value()
    return client


@pytest.fixture
def client():
    """A visitor who has declared being a healthcare professional at the gate."""
    return declare_hcp(Client())


@pytest.fixture
def visitor():
    """A visitor who has not (yet) declared being a healthcare professional."""
    return Client()


@pytest.fixture
def make_editor(make_user):
    """Staff with two-factor authentication set up, as the admin requires, editing the
    first hub (`hubs=`: others)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def make(email="editor@example.com", hubs=None, **fields):
        from hubs.models import Hub

        fields.setdefault("is_staff", True)
        user = make_user(email, **fields)
        TOTP.activate(user, generate_totp_secret())
        # The first hub's editor unless told otherwise (hubs.scope).
        user.hubs.set(Hub.objects.filter(is_default=True) if hubs is None else hubs)
        return user

    return make
