"""A read whose database connection was lost mid-request is answered again; a write is not."""

import pytest
from django.db import OperationalError, connections

from articles.models import ArticleQuerySet
from hub import retry
from pagecache.wsgi import LocalCache
from tests.articles.factories import make_article
from tests.pagecache.through_wsgi import Browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection_lost_once(monkeypatch):
    """The first listing query finds its connection gone, as after pg_terminate_backend."""
    calls = []
    published = ArticleQuerySet.published
    database = connections["default"]
    answers = database.is_usable

    def flaky(self):
        calls.append(1)
        if len(calls) == 1:
            monkeypatch.setattr(database, "is_usable", lambda: False)
            raise OperationalError("terminating connection due to administrator command")
        monkeypatch.setattr(database, "is_usable", answers)
        return published(self)

    monkeypatch.setattr(ArticleQuerySet, "published", flaky)
    return calls


def test_a_read_that_failed_on_a_working_connection_is_not_repeated(through_retry, monkeypatch):
    """A statement or pool timeout is an OperationalError too: running it again would
    only double the load on a database that is already struggling."""
    calls = []

    def slow(self):
        calls.append(1)
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(ArticleQuerySet, "published", slow)

    page = Browser().get("/articles/")

    assert page.status_code == 500 and len(calls) == 1


@pytest.fixture
def through_retry(monkeypatch):
    from django.core.handlers.wsgi import WSGIHandler

    from hub import request_log

    app = LocalCache(retry.RetryLostConnections(WSGIHandler()), log=request_log)
    monkeypatch.setattr(Browser, "application", app)
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)  # the test's transaction


def test_a_read_that_lost_its_connection_is_answered_again(
    through_retry, connection_lost_once, settings
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    make_article("Still listed")

    page = Browser().get("/articles/")

    assert page.status_code == 200 and "Still listed" in page.text()
    assert len(connection_lost_once) >= 2


@pytest.mark.parametrize(("method", "runs"), [("GET", 5), ("HEAD", 5), ("PUT", 1)])
def test_only_safe_methods_are_tried_again_up_to_the_pools_size_plus_one(method, runs, monkeypatch):
    """Each try may meet another connection dropped while it waited in the pool (a
    restart drops them all); the pool discards each one that failed."""
    monkeypatch.setattr(
        retry.settings, "DATABASES", {"default": {"OPTIONS": {"pool": {"max_size": 4}}}}
    )
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)  # the test's transaction
    seen, calls = {}, []

    def always_losing(environ, start_response):
        calls.append(environ["REQUEST_METHOD"])
        environ[retry.LOST] = True
        start_response("500 Internal Server Error", [])
        return [b"error"]

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    app = retry.RetryLostConnections(always_losing)
    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": "/"}, start_response))

    assert len(calls) == runs
    assert seen["status"].startswith("500") and body == b"error"


def losing_after(statement, calls):
    """An app that runs `statement`, then finds its connection gone, and reports the
    body it read each time."""
    from django.db import connection

    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        calls.append(environ["wsgi.input"].read(length))
        with connection.cursor() as cursor:
            cursor.execute(statement)
        environ[retry.LOST] = True
        start_response("500 Internal Server Error", [])
        return [b"error"]

    return app


def post(app, body=b"email=reader%40example.com"):
    import io

    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/accounts/signup/",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    b"".join(retry.RetryLostConnections(app)(environ, start_response))
    return seen["status"]


def test_a_post_that_lost_its_connection_before_writing_is_answered_again(monkeypatch):
    """Nothing it did can have been committed: running it again is safe, with its body."""
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)  # the test's transaction
    calls = []

    post(losing_after("SELECT 1", calls))

    assert len(calls) == retry.attempts() > 1
    assert set(calls) == {b"email=reader%40example.com"}


def test_a_post_that_wrote_before_losing_its_connection_is_not_repeated(monkeypatch):
    """A write that completed may have been committed: the reader gets the error, not a
    second copy of what they sent."""
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)
    calls = []

    status = post(losing_after("UPDATE pagecache_contentversion SET number = number", calls))

    assert len(calls) == 1 and status.startswith("500")


def test_a_post_too_large_to_keep_is_not_repeated(monkeypatch):
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)
    monkeypatch.setattr(retry, "RETRY_BODY_BYTES", 10)
    calls = []

    post(losing_after("SELECT 1", calls))

    assert len(calls) == 1
