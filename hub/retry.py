"""A request that lost its database connection before it wrote anything is answered again.

PostgreSQL may drop connections at any moment (a failover, a restart,
pg_terminate_backend). A request that meets a dropped connection gets an error; when it
had written nothing the 500 is needless: this WSGI wrapper runs it again, on another
connection, instead. Django says which exception made a 500 through its
`got_request_exception` signal; only a lost connection (an OperationalError or
InterfaceError on a connection that no longer answers) is tried again: a pool that timed
out or a slow statement is not.

This is what lets the app servers skip the pool's check of each connection it hands out
(a round trip per request; hub/wsgi.py turns CONN_HEALTH_CHECKS off): a connection
dropped while it waited in the pool fails at the request's first statement, before
anything was written, and the pool discards it when the request gives it back. A drop of
every connection at once (a restart) leaves up to the pool's size of them dead, so a
request is tried up to attempts() times, each on the next connection.

"Written nothing": a GET or HEAD writes nothing that matters (idempotent counts, such as
a read already counted today). A POST is watched statement by statement (Django's
`connection.execute_wrapper`): it is tried again only if nothing it wrote can have been
committed: no write outside a transaction, no transaction whose commit went through,
and no transaction still open with writes unless a later statement of it found the
connection gone (the server rolled it back). Its body, up to RETRY_BODY_BYTES, is kept
to be read again. A write that may have been committed (autocommit, or a COMMIT that
failed with the connection: its fate is unknown to the app server) keeps its 500.
"""

import io
import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.dispatch import receiver

logger = logging.getLogger(__name__)

LOST = "hub.connection_lost"  # set in the WSGI environ by the receiver below
RETRY_BODY_BYTES = 1024 * 1024  # larger bodies (uploads) are not kept, nor tried again
READS = ("SELECT", "SHOW", "SET", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")


def attempts():
    """How many times a request may run: one more than the connections the pool may
    hold (each lost one is discarded)."""
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    size = pool.get("max_size", 4) if isinstance(pool, dict) else 1
    return size + 1


def connection_gone(database):
    """Whether `database`'s connection was ended by the server or the network (psycopg
    marks it closed), as opposed to a statement or pool that timed out on a working one."""
    raw = database.connection
    if raw is None:  # never opened (a pool timeout), or closed by Django after an error
        return False
    closed = getattr(raw, "closed", None)  # psycopg's Connection.closed
    return bool(closed) if closed is not None else not database.is_usable()


@receiver(got_request_exception)
def _note_lost_connection(sender, request=None, **kwargs):
    """Only a connection that is gone: not a pool that timed out or a statement that did."""
    error = sys.exc_info()[1]
    if request is None or not isinstance(error, OperationalError | InterfaceError):
        return
    if connection_gone(connections["default"]):
        request.environ[LOST] = True


class _Statements:
    """An execute_wrapper: notes a statement that found the connection gone, and a
    write that may have been committed.

    The loss is noted as the statement fails: by the time the request's error reaches
    Django, an atomic block whose rollback failed has closed the connection.

    A statement other than a read counts as written once it is committed: at once
    outside an atomic block (autocommit), else when its block's commit went through
    (`on_commit`). A write inside a block is "pending" until then; if a later statement
    of the same block finds the connection gone, the server has rolled that block back,
    so its writes are no longer pending. A loss during COMMIT itself leaves them
    pending: its fate is unknown, and the request keeps its 500.
    """

    def __init__(self):
        self.lost = False
        self.completed = False
        self.pending = False

    @property
    def may_have_written(self):
        return self.completed or self.pending

    def _committed(self):
        self.completed = True
        self.pending = False

    def __call__(self, execute, sql, params, many, context):
        database = context["connection"]
        try:
            result = execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            if connection_gone(database):
                self.lost = True
                if database.in_atomic_block:
                    self.pending = False  # rolled back by the server with the connection
            raise
        if not sql.lstrip().upper().startswith(READS):
            if database.in_atomic_block:
                self.pending = True
                transaction.on_commit(self._committed, using=database.alias)
            else:
                self.completed = True
        return result


def _kept_body(environ):
    """The request body, read now so that it can be read again, or None if too large."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length > RETRY_BODY_BYTES or "wsgi.input" not in environ:
        return None
    return environ["wsgi.input"].read(length) if length else b""


class RetryLostConnections:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method in ("GET", "HEAD"):
            return self._again_if_lost(environ, start_response, safe=True, body=None)
        if method != "POST":
            return self.application(environ, start_response)
        body = _kept_body(environ)
        if body is None:
            return self.application(environ, start_response)
        return self._again_if_lost(environ, start_response, safe=False, body=body)

    def _again_if_lost(self, environ, start_response, *, safe, body):
        allowed = attempts()
        for attempt in range(1, allowed + 1):
            this = dict(environ)
            held = {}

            def hold(status, headers, exc_info=None, held=held):
                held["answer"] = (status, headers, exc_info)

            if body is not None:
                this["wsgi.input"] = io.BytesIO(body)
            statements = _Statements()
            with connections["default"].execute_wrapper(statements):
                result = self.application(this, hold)
            failed = held["answer"][0].startswith("500")
            lost = failed and (this.get(LOST) or statements.lost)
            if not lost or (not safe and statements.may_have_written) or attempt == allowed:
                start_response(*held["answer"])
                return result
            if hasattr(result, "close"):
                result.close()  # ends the request: the broken connection is let go
            close_old_connections()
            logger.warning(
                "Answering %s %s again: its database connection was lost",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
            )
