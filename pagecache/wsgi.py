"""An HTTP cache inside the app server, for a box with no proxy in front.

`LocalCache(application)` wraps Django's WSGI application the way a proxy would sit
in front of it, and keeps to the same contract as Varnish with deploy/hub.vcl: it
keeps only responses Django made public (pagecache.middleware), for their s-maxage,
under the URL and the request's variant, and only when Django's X-Hub-Variant agrees;
it drops them by surrogate key when a change commits (pagecache.purge,
pagecache.invalidation). It never sees a logged-in reader's page: a request with a
session cookie goes straight to Django.

HUB_LOCAL_CACHE turns it off; it is off by default when HUB_PURGE_URLS names a proxy,
which then does this job (and needs the Surrogate-Key and X-Hub-Variant headers that
this cache removes on the way out).
"""

import functools
import time

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse

from pagecache import local, variant
from pagecache.middleware import (
    CACHE_HEADER,
    KEYS_HEADER,
    VERSION_HEADER,
    logged_in_or_messages,
)

FOR_PROXIES = {KEYS_HEADER.lower(), VERSION_HEADER.lower(), variant.HEADER.lower()}  # not browsers'
PER_REQUEST = {*FOR_PROXIES, "x-request-id"}  # not kept with a copy


@functools.cache
def _search_path():
    return reverse("articles:search")


def _s_maxage(cache_control):
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "s-maxage" and value.isdigit():
            return int(value)
    return 0


class LocalCache:
    def __init__(self, application, log=None):
        """`log` has begin(request) and log(request, status, started), as hub.request_log:
        the line for a request answered here (Django's middleware logs the rest)."""
        self.application = application
        self.log = log

    def __call__(self, environ, start_response):
        if not settings.HUB_LOCAL_CACHE or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        if f"{settings.SESSION_COOKIE_NAME}=" in environ.get("HTTP_COOKIE", ""):
            # Logged in (or a look-alike in another cookie's value, answered by Django
            # too): no need to parse the request to know that no copy is for them.
            return self.application(environ, start_response)
        started = time.perf_counter()
        try:
            request = WSGIRequest(environ.copy())  # it writes the decoded path back
            key = None if logged_in_or_messages(request) else self._key(request)
        except Exception:  # a request Django will answer with an error of its own
            key = None
        if key is None:
            return self.application(environ, start_response)
        watch = local.watch()
        bounded = request.path_info == _search_path() or ";d=0" in key[-1]
        shelf = "bounded" if bounded else "pages"
        copy, version = watch.lookup(shelf, key)
        if copy is not None:
            return self._serve(request, copy, started, start_response)
        if environ["REQUEST_METHOD"] != "GET" or version is None:
            return self.application(environ, start_response)
        return self._fetch(environ, request, key, shelf, version, start_response)

    @staticmethod
    def _key(request):
        found = variant.of(request)
        if found is None:
            return None
        meta = request.META
        return (
            request.scheme,
            request.get_host(),
            meta.get("SCRIPT_NAME", ""),
            request.path_info,
            meta.get("QUERY_STRING", ""),
            found,
        )

    def _fetch(self, environ, request, key, shelf, version, start_response):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            outward = [(n, v) for n, v in headers if n.lower() not in FOR_PROXIES]
            return start_response(status, [*outward, (CACHE_HEADER, "miss")], exc_info)

        result = self.application(environ, capture)
        headers = dict((n.lower(), v) for n, v in seen.get("headers", []))
        seconds = _s_maxage(headers.get("cache-control", ""))
        if not (
            seen.get("status", "").startswith("200 ")
            and "public" in headers.get("cache-control", "")
            and seconds > 0
            and "set-cookie" not in headers
            and headers.get(variant.HEADER.lower()) == key[-1]
        ):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        kept = [(n, v) for n, v in seen["headers"] if n.lower() not in PER_REQUEST]
        local.watch().keep(
            shelf,
            key,
            (kept, body),
            size=len(body) + 512,
            keys=headers.get(KEYS_HEADER.lower(), "").split(),
            version=version,
            seconds=seconds,
        )
        return [body]

    def _serve(self, request, copy, started, start_response):
        headers, body = copy.value
        request.page_cache = "hit"
        age = str(max(0, int(time.time() - copy.stored)))
        headers = [*headers, ("Age", age), (CACHE_HEADER, "hit")]
        if self.log is not None:
            self.log.begin(request)
            headers.append(("X-Request-ID", request.id))
        start_response("200 OK", headers)
        if self.log is not None:
            self.log.log(request, 200, started)
        return [b"" if request.method == "HEAD" else body]
