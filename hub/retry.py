"""A GET or HEAD that lost its database connection mid-request is answered again.

PostgreSQL may drop connections at any moment (a failover, a restart,
pg_terminate_backend). The connection pool checks each connection before handing it
out, so only a request already running when its connection went gets an error. For a
safe method that is needless (a GET writes nothing but idempotent counts, such as a
read already counted today), so this WSGI wrapper runs it once more, on a new
connection, instead of sending the 500. Django says which exception
made a 500 through its `got_request_exception` signal; only a lost connection (an
OperationalError or InterfaceError on a connection that no longer answers) is tried
again, and only once: a pool that timed out or a slow statement is not. Writes (POST)
are never repeated: a commit's fate is unknown to the app server.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.dispatch import receiver

logger = logging.getLogger(__name__)

LOST = "hub.connection_lost"  # set in the WSGI environ by the receiver below


@receiver(got_request_exception)
def _note_lost_connection(sender, request=None, **kwargs):
    """Only a connection that is gone: not a pool that timed out or a statement that did."""
    error = sys.exc_info()[1]
    if request is None or not isinstance(error, OperationalError | InterfaceError):
        return
    database = connections["default"]
    if database.connection is not None and not database.is_usable():
        request.environ[LOST] = True


class RetryLostConnections:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        first = dict(environ)
        held = {}

        def hold(status, headers, exc_info=None):
            held["answer"] = (status, headers, exc_info)

        result = self.application(first, hold)
        if not first.get(LOST):
            start_response(*held["answer"])
            return result
        if hasattr(result, "close"):
            result.close()  # ends the request: the broken connection is let go
        close_old_connections()
        logger.warning(
            "Answering %s again: its database connection was lost", environ.get("PATH_INFO")
        )
        return self.application(environ, start_response)
