"""What the app servers tell the proxies in front of them: a shared page says the content
version it was made under, and a change's PURGE says the version it committed, so a
proxy can refuse a page that a change overtook on its way (deploy/hub.vcl)."""

import http.server
import threading

import pytest
from django.db import transaction

from articles.models import Article
from pagecache import local
from pagecache.models import ContentVersion
from tests.articles.factories import make_article
from tests.conftest import Client, declare_hcp


class Purges(http.server.BaseHTTPRequestHandler):
    """A stand-in proxy that notes each PURGE's headers."""

    seen = []

    def do_PURGE(self):
        self.seen.append({name.lower(): value for name, value in self.headers.items()})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(settings):
    Purges.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Purges)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HUB_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield Purges.seen
    server.shutdown()
    server.server_close()


def version():
    return ContentVersion.objects.get(pk=1).number


@pytest.mark.django_db(transaction=True)
def test_a_change_purges_its_keys_once_with_the_version_it_committed(proxy):
    article = make_article("Purged with its version")
    proxy.clear()

    article.title = "Renamed"
    article.save()

    assert len(proxy) == 1
    assert {f"article-{article.pk}", "articles"} <= set(proxy[0]["xkey-purge"].split())
    assert proxy[0]["x-hub-content-version"] == str(version())


@pytest.mark.django_db(transaction=True)
def test_one_transaction_of_many_changes_sends_one_purge_with_its_last_version(proxy):
    first, second = make_article("One"), make_article("Two")
    proxy.clear()

    with transaction.atomic():
        for article in (first, second):
            article.status = Article.Status.DRAFT
            article.save()

    assert len(proxy) == 1
    keys = set(proxy[0]["xkey-purge"].split())
    assert {f"article-{first.pk}", f"article-{second.pk}"} <= keys
    assert proxy[0]["x-hub-content-version"] == str(version())


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_in_a_savepoint_does_not_raise_the_version_purged(proxy):
    kept, undone = make_article("Kept change"), make_article("Undone change")
    proxy.clear()

    with transaction.atomic():
        kept.title = "Kept, renamed"
        kept.save()
        with pytest.raises(RuntimeError), transaction.atomic():
            undone.title = "Undone, renamed"
            undone.save()
            raise RuntimeError("the inner block fails")

    assert len(proxy) == 1
    # Pages made under the committed version can be kept: the proxy was not told of
    # the one the rolled-back savepoint bumped to.
    assert proxy[0]["x-hub-content-version"] == str(version())


@pytest.mark.django_db
def test_a_shared_page_says_the_version_it_was_made_under_when_proxies_are_told(settings):
    settings.HUB_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing is purged in this test
    article = make_article("Versioned")
    known = local.watch().current()

    response = declare_hcp(Client()).get(article.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert response["X-Hub-Content-Version"] == str(known)


@pytest.mark.django_db
def test_without_proxies_a_shared_page_carries_no_version(settings):
    settings.HUB_PURGE_URLS = []
    article = make_article("No proxies")

    response = declare_hcp(Client()).get(article.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert "X-Hub-Content-Version" not in response


@pytest.mark.django_db
def test_a_page_whose_version_cannot_be_known_is_not_shared(settings, monkeypatch):
    settings.HUB_PURGE_URLS = ["http://127.0.0.1:9/"]
    article = make_article("Unknown version", body="Still readable.")
    monkeypatch.setattr(type(local.watch()), "current", lambda self: None)

    response = declare_hcp(Client()).get(article.get_absolute_url())

    assert response.status_code == 200 and "Still readable." in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")
    assert "X-Hub-Content-Version" not in response
