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


@pytest.mark.parametrize(("method", "runs"), [("GET", 2), ("HEAD", 2), ("POST", 1)])
def test_only_safe_methods_are_tried_again_and_only_once(method, runs, monkeypatch):
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
