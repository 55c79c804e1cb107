"""Requests through the app server's WSGI stack (hub.wsgi): this server's page cache
in front of Django, as gunicorn runs it, inside the test's database transaction."""

import contextlib
import io
import wsgiref.util
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from hub import request_log
from hub.retry import RetryLostConnections
from pagecache.wsgi import LocalCache
from tests.conftest import hcp_cookie_value


class Answer:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.header_list = headers
        self.body = body

    def __getitem__(self, name):
        return ", ".join(v for n, v in self.header_list if n.lower() == name.lower())

    def __contains__(self, name):
        return any(n.lower() == name.lower() for n, _ in self.header_list)

    def get(self, name, default=None):
        return self[name] if name in self else default  # noqa: SIM401 (not a mapping)

    def text(self):
        return self.body.decode()


class Browser:
    """A browser that keeps its cookies, talking to one app server process."""

    application = None

    def __init__(self, declared=True, **cookies):
        if Browser.application is None:  # as hub.wsgi composes it
            Browser.application = LocalCache(RetryLostConnections(WSGIHandler()), log=request_log)
        self.cookies = dict(cookies)
        if declared:
            self.cookies.setdefault("hub_hcp", hcp_cookie_value())

    def get(self, path, method="GET", headers=None, body=b""):
        url = urlsplit(path)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "HTTP_HOST": "testserver",
            "HTTP_SEC_FETCH_SITE": "same-origin",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for name, value in (headers or {}).items():
            environ[name] = value
        wsgiref.util.setup_testing_defaults(environ)
        seen = {}

        def start_response(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers

        # As Django's test client does: the test's transaction must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = Browser.application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                with contextlib.suppress(AttributeError):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        answer = Answer(seen["status"], seen["headers"], body)
        for name, value in answer.header_list:
            if name.lower() == "set-cookie":
                jar = SimpleCookie()
                jar.load(value)
                for morsel in jar.values():
                    self.cookies[morsel.key] = morsel.coded_value
        return answer

    def head(self, path, **kwargs):
        return self.get(path, method="HEAD", **kwargs)
