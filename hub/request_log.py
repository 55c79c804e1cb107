"""One structured log line per request, and a request id on every log record.

The id comes from a trusted proxy's X-Request-ID header when it looks like one, or is
made here; it is returned in the response's X-Request-ID header, shown on the error
page, and added to every log record made while the request runs (error reports
included), so an operator can find a reader's failed request from what they quote.
"""

import contextvars
import json
import logging
import os
import re
import time

request_id_var = contextvars.ContextVar("request_id", default="-")
logger = logging.getLogger("hub.requests")
VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


_json = json.JSONEncoder().encode  # a str to a JSON string


def current_request_id():
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Adds %(request_id)s to every record (a dash outside requests)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


def begin(request):
    """Give the request its id (a trusted proxy's, or a new one) and tag log records with it."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    request.id = given if VALID_ID.fullmatch(given) else os.urandom(16).hex()
    # Left set when the request ends: Django logs 4xx/5xx responses after the
    # middleware returns, and those records need the id too.
    request_id_var.set(request.id)


def log(request, status, started):
    """The request's line: what was asked, the answer, how long it took, the page cache."""
    if not logger.isEnabledFor(logging.INFO):
        return
    # The JSON written out: json.dumps of the dict costs a stored page a tenth of its time.
    duration = round((time.perf_counter() - started) * 1000, 2)
    logger.info(
        f'{{"event": "request", "method": {_json(request.method)}, "path": {_json(request.path)}, '
        f'"status": {int(status)}, "duration_ms": {duration}, '
        f'"cache": {_json(getattr(request, "page_cache", "-"))}, '
        f'"request_id": {_json(request.id)}}}'
    )


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        begin(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request.id
            return response
        finally:
            log(request, status, started)
