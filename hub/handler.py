"""The WSGI handler gunicorn runs (hub.wsgi): stored pages first, then Django.

A stored page needs none of the middleware: it carries the headers the middleware
added when it was stored. So the handler looks a GET up in the shared cache before
Django's handler runs: the shared page for a reader who is not logged in
(hub.page_cache), or a logged-in reader's shell with their own holes
(hub.member_pages). It replays it with the reader's own CSRF token and writes the
request's log line. Anything else, or any trouble on the way, goes the full way
through Django, which stores what may be stored.
"""

import logging
import time

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

from hub import member_pages, page_cache, request_log

logger = logging.getLogger(__name__)


def stored_page(request):
    """(headers, body) of the stored page for this request, or None."""
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return member_pages.stored_member_page(request)
    stored = page_cache.lookup(request)[1]
    return None if stored is None else page_cache.replayed(request, stored)


class PageCacheHandler(WSGIHandler):
    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            started = time.perf_counter()
            try:
                request = self.request_class(environ)
                page = stored_page(request)
            except Exception:
                logger.exception("The page cache failed; serving the page in full")
                page = None
            if page is not None:
                headers, body = page
                request_log.begin(request)
                headers.append(("X-Request-ID", request.id))
                request_log.log(request, 200, started)
                # As Django's handler does when a response closes, if the session or a
                # batch of reads used the database (most stored pages do not).
                if any(c.connection is not None for c in connections.all(initialized_only=True)):
                    signals.request_finished.send(sender=self.__class__)
                start_response("200 OK", headers)
                return [body]
        return super().__call__(environ, start_response)
