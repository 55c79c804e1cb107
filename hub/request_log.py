"""One structured log line per request, and a request id on every log record.

The id comes from a trusted proxy's X-Request-ID header when it looks like one, or is
made here; it is returned in the response's X-Request-ID header, shown on the error
page, and added to every log record made while the request runs (error reports
included), so an operator can find a reader's failed request from what they quote.

Logs are read by more people than the secrets in some addresses are meant for: the
key in a password-reset, email-confirmation or personal feed address and a newsletter
link's token are written as [redacted], in the request line and in every other line
(Django's "Not Found: …" among them), and the query string is never logged. Every
line starts with the time, ISO 8601 in UTC.
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

# Addresses whose next segment is a secret: allauth's password-reset and
# email-confirmation keys, personal feed keys (accounts/feed_urls.py) and newsletter
# tokens (newsletter/urls.py). The words after them that are no secret stay readable.
SECRET_PREFIXES = (
    "/accounts/password/reset/key/",
    "/accounts/confirm-email/",
    "/feeds/",
    "/newsletter/confirm/",
    "/newsletter/unsubscribe/",
)
_SECRET = re.compile(
    "(" + "|".join(map(re.escape, SECRET_PREFIXES)) + r")(?!(?:rss|atom|done)/)[^/\s\"']+"
)
_REDACTED = r"\1[redacted]"  # the prefix, then the word in place of the secret

_json = json.JSONEncoder().encode  # a str to a JSON string


def redacted(path):
    """The path with its secret, if it has one, replaced by [redacted]: a comparison of
    prefixes for most paths, the expression only for those that may hold one."""
    if path.startswith(SECRET_PREFIXES):
        return _SECRET.sub(_REDACTED, path)
    return path


_second = (0, "")  # the last whole second written out, and its text


def utc_timestamp(now):
    """`now` (time.time()) as 2026-01-31T12:34:56.789Z; the date and time are formatted
    once a second, a third of the cost of datetime.isoformat() per line."""
    global _second
    whole = int(now)
    second, text = _second
    if whole != second:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        _second = (whole, text)
    return f"{text}.{int((now - whole) * 1000):03d}Z"


class PlainFormatter(logging.Formatter):
    """settings.LOGGING's format for every record but the request lines: %(asctime)s in
    UTC, ISO 8601, and any secret in an address redacted."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def format(self, record):
        return _SECRET.sub(_REDACTED, super().format(record))


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
    """The request's line: when, what was asked (its path without secrets or query), the
    answer, how long it took, the page cache."""
    if not logger.isEnabledFor(logging.INFO):
        return
    # The JSON written out: json.dumps of the dict costs a stored page a tenth of its time.
    duration = round((time.perf_counter() - started) * 1000, 2)
    logger.info(
        f'{{"time": "{utc_timestamp(time.time())}", "event": "request", '
        f'"method": {_json(request.method)}, "path": {_json(redacted(request.path))}, '
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
