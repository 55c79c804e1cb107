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
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from hub import member_pages, page_cache, request_log

logger = logging.getLogger(__name__)


def stored_response(request):
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return member_pages.stored_member_page(request)
    stored = page_cache.lookup(request)[1]
    return None if stored is None else page_cache.replay(request, stored)


class PageCacheHandler(WSGIHandler):
    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            started = time.perf_counter()
            try:
                request = self.request_class(environ)
                response = stored_response(request)
            except Exception:
                logger.exception("The page cache failed; serving the page in full")
                response = None
            if response is not None:
                request_log.begin(request)
                response["X-Request-ID"] = request.id
                request_log.log(request, response.status_code, started)
                close_old_connections()  # the session or a batch of reads may have used it
                headers = [
                    *response.items(),
                    *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
                ]
                start_response(f"{response.status_code} {response.reason_phrase}", headers)
                return [response.content]
        return super().__call__(environ, start_response)
