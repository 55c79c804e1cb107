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
`connection.execute_wrapper`): it is tried again only if no statement other than a read
completed before the loss (a statement that failed with the connection did not run:
the server ended its transaction). Its body, up to RETRY_BODY_BYTES, is kept to be
read again. A write that completed may have been committed, so such a POST keeps its
500: a commit's fate is unknown to the app server.
"""

import io
import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, close_old_connections, connections
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


@receiver(got_request_exception)
def _note_lost_connection(sender, request=None, **kwargs):
    """Only a connection that is gone: not a pool that timed out or a statement that did."""
    error = sys.exc_info()[1]
    if request is None or not isinstance(error, OperationalError | InterfaceError):
        return
    database = connections["default"]
    if database.connection is not None and not database.is_usable():
        request.environ[LOST] = True


class _Writes:
    """An execute_wrapper: notes a statement other than a read that completed."""

    def __init__(self):
        self.completed = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not sql.lstrip().upper().startswith(READS):
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
            return self._again_if_lost(environ, start_response, writes=None, body=None)
        if method != "POST":
            return self.application(environ, start_response)
        body = _kept_body(environ)
        if body is None:
            return self.application(environ, start_response)
        writes = _Writes()
        with connections["default"].execute_wrapper(writes):
            return self._again_if_lost(environ, start_response, writes=writes, body=body)

    def _again_if_lost(self, environ, start_response, *, writes, body):
        allowed = attempts()
        for attempt in range(1, allowed + 1):
            this = dict(environ)
            held = {}

            def hold(status, headers, exc_info=None, held=held):
                held["answer"] = (status, headers, exc_info)

            if body is not None:
                this["wsgi.input"] = io.BytesIO(body)
            result = self.application(this, hold)
            lost = this.get(LOST) and not (writes is not None and writes.completed)
            if not lost or attempt == allowed:
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
