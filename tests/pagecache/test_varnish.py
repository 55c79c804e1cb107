"""Varnish with the shipped VCL (deploy/hub.vcl) in front of the app server: it keeps
what Django made public for every reader with the same variant, is purged when content
changes, and never keeps a personal page or a cookie."""

import http.client
import http.server
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from articles.models import Article
from pagecache.models import ContentVersion
from tests.articles.factories import make_article
from tests.conftest import Client, hcp_cookie_value
from tests.tools import ROOT, require_tool

pytestmark = pytest.mark.django_db(transaction=True)

XKEY = list(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_varnish(backend_port, workdir):
    """bin/varnish on a free port in front of `backend_port`: (process, port)."""
    require_tool(shutil.which("varnishd") and XKEY, "Varnish with varnish-modules (xkey)")
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / "bin" / "varnish"), str(port), str(backend_port), str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("varnishd did not start")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def varnish(live_server, tmp_path_factory):
    backend = live_server.url.rsplit(":", 1)[1]
    process, port = start_varnish(backend, tmp_path_factory.mktemp("varnish"))
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def via(varnish, settings):
    """GET through Varnish: via(path, cookie=...) -> (status, headers, body)."""
    settings.HUB_PURGE_URLS = [f"http://127.0.0.1:{varnish}/"]
    purge_everything(varnish)

    def get(path, cookie=None, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", varnish, timeout=10)
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", path, headers={"Host": "localhost", **headers})
        answer = connection.getresponse()
        body = answer.read().decode()
        result = answer.status, {k.lower(): v for k, v in answer.getheaders()}, body
        connection.close()
        return result

    return get


def purge_everything(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("PURGE", "/", headers={"xkey-purge": "site"})
    assert connection.getresponse().status == 200
    connection.close()


def purge(port, keys, version):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "PURGE", "/", headers={"xkey-purge": keys, "X-Hub-Content-Version": str(version)}
    )
    assert connection.getresponse().status == 200
    connection.close()


def declared():
    return f"hub_hcp={hcp_cookie_value()}"


def test_a_declared_readers_page_is_kept_for_the_next_and_purged_when_unpublished(via):
    article = make_article("Through the proxy", body="Kept by Varnish.")

    first = via(article.get_absolute_url(), cookie=declared())
    second = via(article.get_absolute_url(), cookie=declared())

    assert (first[0], second[0]) == (200, 200)
    assert (first[1]["x-cache"], second[1]["x-cache"]) == ("miss", "hit")
    assert "Kept by Varnish." in second[2]
    headers = second[1]
    assert headers["cache-control"] == "public, max-age=0, s-maxage=300"
    assert {v.strip() for v in headers["vary"].split(",")} == {"Accept-Language", "Cookie"}
    for internal in ("x-hub-variant", "surrogate-key", "xkey", "set-cookie"):
        assert internal not in headers
    assert "content-security-policy" in headers and headers["x-frame-options"] == "DENY"

    article.status = Article.Status.DRAFT
    article.save()  # commits, and purges the article's keys at the proxy

    gone = via(article.get_absolute_url(), cookie=declared())
    assert gone[0] == 404 and "Kept by Varnish." not in gone[2]


def test_publishing_reaches_the_lists_the_proxy_kept(via):
    make_article("Already out")
    assert via("/articles/", cookie=declared())[1]["x-cache"] == "miss"
    assert via("/articles/", cookie=declared())[1]["x-cache"] == "hit"

    make_article("Just published")

    listing = via("/articles/", cookie=declared())
    assert listing[1]["x-cache"] == "miss" and "Just published" in listing[2]


def test_the_gate_and_the_article_are_kept_as_different_variants(via):
    article = make_article("Behind the gate", body="For HCPs only.")

    gate = [via(article.get_absolute_url()) for _ in range(2)]
    page = [via(article.get_absolute_url(), cookie=declared()) for _ in range(2)]

    assert [g[1]["x-cache"] for g in gate] == ["miss", "hit"]
    assert all("For healthcare professionals only" in g[2] for g in gate)
    assert all("For HCPs only." not in g[2] for g in gate)
    assert [p[1]["x-cache"] for p in page] == ["miss", "hit"]
    assert all("For HCPs only." in p[2] for p in page)
    spanish = via(article.get_absolute_url(), cookie=declared(), **{"Accept-Language": "es-ES"})
    assert spanish[1]["x-cache"] == "miss" and 'lang="es"' in spanish[2]


def test_a_forged_declaration_stores_nothing_for_declared_readers(via):
    article = make_article("Forgery", body="Real content.")

    forged = via(article.get_absolute_url(), cookie="hub_hcp=1:abcdef:forgedsignature")
    real = via(article.get_absolute_url(), cookie=declared())

    assert "Real content." not in forged[2]  # Django checked the signature: the gate
    assert real[1]["x-cache"] == "miss" and "Real content." in real[2]


def test_a_logged_in_readers_page_never_comes_from_the_proxy(via, reader):
    article = make_article("Personal")
    member = Client()
    member.force_login(reader)
    session = f"sessionid={member.cookies['sessionid'].value}; {declared()}"

    pages = [via(article.get_absolute_url(), cookie=session) for _ in range(2)]

    for status, headers, body in pages:
        assert status == 200 and headers["x-cache"] != "hit"
        assert "private" in headers["cache-control"]
        assert "Log out" in body
    anonymous = via(article.get_absolute_url(), cookie=declared())
    assert "Log out" not in anonymous[2]


def test_a_response_that_sets_a_cookie_is_never_kept(via):
    first = via("/accounts/login/")
    second = via("/accounts/login/")

    for status, headers, _ in (first, second):
        assert status == 200 and headers["x-cache"] != "hit"
        assert "csrftoken=" in headers.get("set-cookie", "")
    assert first[1]["set-cookie"] != second[1]["set-cookie"]


def test_a_page_made_before_a_change_and_arriving_after_its_purge_is_not_kept(via, varnish):
    article = make_article("Overtaken", body="Made before the change.")
    made_under = ContentVersion.objects.get(pk=1).number
    # Another app server committed a change and purged while this page was being made:
    # the proxy has heard of a version the page's app server had not.
    purge(varnish, "expert-0", made_under + 1)

    overtaken = [via(article.get_absolute_url(), cookie=declared()) for _ in range(2)]

    assert [page[1]["x-cache"] for page in overtaken] == ["miss", "miss"]
    assert all("Made before the change." in page[2] for page in overtaken)
    assert "x-hub-content-version" not in overtaken[0][1]

    article.body = "Made after the change."
    article.save()  # the app server now makes pages under the new version

    after = [via(article.get_absolute_url(), cookie=declared()) for _ in range(2)]
    assert [page[1]["x-cache"] for page in after] == ["miss", "hit"]
    assert "Made after the change." in after[1][2]


class PublicPageWithACookie(http.server.BaseHTTPRequestHandler):
    """A backend that says what Django never says together: a page every reader with
    this variant may share (for any content version), that also sets a cookie when
    asked (?cookie)."""

    def do_GET(self):  # http.server calls it by this name
        body = b"shared"
        self.send_response(200)
        self.send_header("Cache-Control", "public, s-maxage=60")
        self.send_header("X-Hub-Variant", "l=en;c=;d=0;p=0")
        self.send_header("X-Hub-Content-Version", "999999")
        if "cookie" in self.path:
            self.send_header("Set-Cookie", "visitor=someone; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.django_db(transaction=False)
def test_a_response_that_sets_a_cookie_is_never_kept_even_if_marked_public(tmp_path):
    backend = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PublicPageWithACookie)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    process, port = start_varnish(backend.server_address[1], tmp_path)

    def cached(path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={"Host": "localhost"})
        answer = connection.getresponse()
        answer.read()
        connection.close()
        return answer.getheader("x-cache"), answer.getheader("set-cookie")

    try:
        with_cookie = [cached("/page/?cookie") for _ in range(2)]
        without = [cached("/page/") for _ in range(2)]
    finally:
        process.terminate()
        process.wait(timeout=10)
        backend.shutdown()

    assert with_cookie == [("miss", "visitor=someone; Path=/")] * 2
    assert without == [("miss", None), ("hit", None)]  # the same page, kept
