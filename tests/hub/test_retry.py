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
    gone = {"now": False}
    monkeypatch.setattr(retry, "connection_gone", lambda database: gone["now"])

    def flaky(self):
        calls.append(1)
        gone["now"] = len(calls) == 1
        if gone["now"]:
            raise OperationalError("terminating connection due to administrator command")
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


def losing_inside_a_block(statement, monkeypatch, calls, *, lose_at, failing=True):
    """An app that runs `statement` inside an atomic block, then loses its connection:
    at the block's next statement ("statement") or at its COMMIT ("commit"). Only the
    retry's own watch of statements sees a loss at a statement: Django closes a
    connection whose rollback failed before its receiver could look."""
    from django.db import transaction

    database = connections["default"]
    state = {"gone": False}
    monkeypatch.setattr(retry, "connection_gone", lambda database: state["gone"])

    def gone(*args):
        state["gone"] = True
        raise OperationalError("server closed the connection unexpectedly")

    def app(environ, start_response):
        calls.append(1)
        state["gone"] = False
        try:
            with transaction.atomic():
                with database.cursor() as cursor:
                    cursor.execute(statement)
                if lose_at == "statement":
                    with database.execute_wrapper(gone), database.cursor() as cursor:
                        cursor.execute("SELECT 1")
                else:
                    monkeypatch.setattr(database, "commit", gone)
        except OperationalError:
            if lose_at == "commit":  # as Django's got_request_exception receiver notes
                environ[retry.LOST] = True
            start_response("500 Internal Server Error" if failing else "200 OK", [])
            return [b"error"]
        start_response("200 OK", [])
        return [b"ok"]

    return app


WRITE = "UPDATE pagecache_contentversion SET number = number"


def test_a_post_whose_open_transaction_lost_its_connection_is_answered_again(monkeypatch):
    """Its writes died with the connection before COMMIT: PostgreSQL rolled them back,
    so nothing of it was kept and running it again loses and doubles nothing (threaded
    workers met this with quiz submissions)."""
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)
    calls = []

    post(losing_inside_a_block(WRITE, monkeypatch, calls, lose_at="statement"))

    assert len(calls) == retry.attempts() > 1


def test_a_request_that_answered_despite_a_lost_statement_is_not_repeated(monkeypatch):
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)
    calls = []

    status = post(
        losing_inside_a_block(WRITE, monkeypatch, calls, lose_at="statement", failing=False)
    )

    assert len(calls) == 1 and status.startswith("200")


@pytest.mark.django_db(transaction=True)
def test_a_post_whose_commit_lost_its_connection_is_not_repeated(monkeypatch):
    """Whether a COMMIT that met a dropped connection went through is unknown."""
    monkeypatch.setattr(retry, "close_old_connections", lambda: None)
    calls = []

    status = post(losing_inside_a_block(WRITE, monkeypatch, calls, lose_at="commit"))

    assert len(calls) == 1 and status.startswith("500")


@pytest.mark.django_db(transaction=True)
def test_a_post_that_committed_before_losing_its_connection_is_not_repeated(monkeypatch):
    from django.db import connection, transaction

    monkeypatch.setattr(retry, "close_old_connections", lambda: None)
    calls = []

    def app(environ, start_response):
        calls.append(1)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(WRITE)
        environ[retry.LOST] = True  # lost after the commit went through
        start_response("500 Internal Server Error", [])
        return [b"error"]

    status = post(app)

    assert len(calls) == 1 and status.startswith("500")


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="PostgreSQL's own")
def test_a_connection_the_server_ended_is_gone_and_one_that_timed_out_is_not():
    """What tells a lost connection from a slow statement, on real connections."""
    import types

    import psycopg

    dsn = connections["default"].cursor().connection.info.dsn
    ended, slow = psycopg.connect(dsn), psycopg.connect(dsn)
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [ended.info.backend_pid])
        with pytest.raises(psycopg.OperationalError):
            ended.execute("SELECT 1")
        slow.execute("SET statement_timeout = 10")
        with pytest.raises(psycopg.errors.QueryCanceled):
            slow.execute("SELECT pg_sleep(1)")

        assert retry.connection_gone(types.SimpleNamespace(connection=ended))
        assert not retry.connection_gone(types.SimpleNamespace(connection=slow))
    finally:
        ended.close()
        slow.close()
