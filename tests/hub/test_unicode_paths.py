"""An address with characters outside ASCII that matches no page is a 404, through the
test client and through the WSGI application gunicorn runs."""

import io
import sys
from urllib.parse import quote, unquote_to_bytes

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from hub import request_log
from pagecache.wsgi import LocalCache
from tests.brand.conftest import png_bytes
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db

BEYOND_LATIN_1 = [
    "/articles/%E2%82%AC/",
    "/%E2%82%AC/",
    "/topics/%E4%B8%AD%E6%96%87/",
    "/%F0%9F%A9%B8",
]
LATIN_1 = ["/articles/%C3%A9/", "/articles/%FF/", "/search%C2%A0/"]


def served_by_gunicorn(path, declared=True):
    """The status gunicorn would send for a GET of `path` (a raw, percent-encoded path).

    gunicorn puts the percent-decoded bytes in PATH_INFO as a latin-1 str, as PEP 3333
    asks; an exception out of the application becomes its own 500 page."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"hub_hcp={hcp_cookie_value()}" if declared else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])

    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        b"".join(LocalCache(WSGIHandler(), log=request_log)(environ, start_response))
    except Exception:
        return 500
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"]


@pytest.mark.parametrize("path", BEYOND_LATIN_1 + LATIN_1)
@pytest.mark.parametrize("declared", [True, False])
def test_the_test_client_gets_a_404(client, path, declared):
    if declared:
        client.cookies["hub_hcp"] = hcp_cookie_value()

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", LATIN_1)
def test_gunicorn_gets_a_404_for_a_latin_1_path(path):
    assert served_by_gunicorn(path) == 404


@pytest.mark.parametrize("path", BEYOND_LATIN_1)
@pytest.mark.parametrize("declared", [True, False])
def test_gunicorn_gets_a_404_for_a_path_beyond_latin_1(path, declared):
    assert served_by_gunicorn(path, declared) == 404


def test_the_test_client_serves_an_upload_named_with_an_accent(client):
    name = default_storage.save("experts/josé.png", ContentFile(png_bytes()))

    assert client.get("/media/" + quote(name)).status_code == 200


def test_gunicorn_serves_an_upload_named_with_an_accent():
    name = default_storage.save("experts/josé.png", ContentFile(png_bytes()))

    assert served_by_gunicorn("/media/" + quote(name)) == 200
