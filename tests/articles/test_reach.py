"""Reach: unique declared readers per article and day, with nothing that identifies them."""

import datetime
import re

import pytest
from django.conf import settings

from accounts import gate
from articles import reach
from articles.models import ArticleRead, DailySalt
from tests.articles.factories import make_article
from tests.conftest import Client, declare_hcp

pytestmark = pytest.mark.django_db

BEACON = re.compile(r'<img class="reach-beacon" src="([^"]+)"')


def read(client, article, **extra):
    """Open the article page as a browser does, images included: the reach beacon counts
    the reader, whether the page came from a cache or not."""
    page = client.get(article.get_absolute_url(), **extra)
    found = BEACON.search(page.content.decode())
    if found is None:
        return page
    seen = client.get(found.group(1), **extra)
    assert seen.status_code == 200 and seen["Content-Type"] == "image/gif"
    assert "no-store" in seen["Cache-Control"]
    return page


@pytest.fixture(autouse=True)
def _reads_written_at_once(settings):
    settings.HUB_REACH_FLUSH_SECONDS = 0


def test_the_setting_names_the_gates_cookie():
    assert settings.HUB_READER_COOKIE == gate.COOKIE_NAME


def test_each_declared_reader_counts_once_a_day(client, reader, monkeypatch):
    """Visitors are told apart by their signed declaration, which carries its time.

    (Two visitors declaring within the same second share a value and count once.)
    """
    import time

    article = make_article()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 60)
    other = declare_hcp(Client())
    monkeypatch.setattr(time, "time", real_time)

    for _ in range(3):
        read(client, article)
    read(other, article)
    member = Client()
    member.force_login(reader)
    read(member, article)
    read(member, article)

    assert reach.readers(article) == 3


def test_nothing_stored_identifies_the_reader(client, reader):
    article = make_article()
    client.force_login(reader)
    cookie = client.cookies[gate.COOKIE_NAME].value

    read(client, article, REMOTE_ADDR="203.0.113.7")

    (row,) = ArticleRead.objects.values()
    stored = " ".join(str(value) for value in row.values())
    assert {field.name for field in ArticleRead._meta.fields} == {
        "id", "article", "hub", "day", "reader_hash"
    }  # fmt: skip
    for secret in ("203.0.113.7", cookie, f"user:{reader.pk}"):
        assert secret not in stored


def test_staff_previews_and_gate_refusals_are_not_readers(client, visitor, make_editor):
    live, draft = make_article(), make_article(published=False)
    editor = Client()
    editor.force_login(make_editor())

    read(editor, live)
    read(editor, draft)
    read(visitor, live)  # shown the gate, not the article

    assert ArticleRead.objects.count() == 0


def test_yesterdays_salt_is_discarded_and_a_new_day_counts_again(client, monkeypatch):
    article = make_article()
    read(client, article)
    yesterday_hash = ArticleRead.objects.get().reader_hash
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(reach.timezone, "localdate", lambda: tomorrow)
    reach._today.cache_clear()  # the date is asked once a second

    read(client, article)

    assert list(DailySalt.objects.values_list("day", flat=True)) == [tomorrow]
    hashes = list(ArticleRead.objects.values_list("reader_hash", flat=True))
    assert len(hashes) == 2 and hashes.count(yesterday_hash) == 1


def test_a_page_cache_can_count_with_an_id_and_a_key(django_assert_num_queries):
    article = make_article()
    reach.record_read(article.pk, "declared:abc")  # warms the day's salt

    with django_assert_num_queries(1):
        reach.record_read(article.pk, "declared:abc")
    reach.record_read(article.pk, "declared:xyz")
    reach.record_read(article.pk, None)

    assert reach.readers(article) == 2


def test_reads_on_cached_pages_count_and_are_written_in_batches(client, reader, settings):
    """Beacons are answered without a write: reads wait in the process and go to the
    database together."""
    settings.HUB_REACH_FLUSH_SECONDS = 3600
    article = make_article()
    member = Client()
    member.force_login(reader)

    for visitor in (client, client, member, member):
        read(visitor, article)

    assert not ArticleRead.objects.exists()
    assert reach.readers(article) == 2


def test_a_cached_page_still_counts_its_reader(reader):
    article = make_article()
    first, second = declare_hcp(Client()), declare_hcp(Client())
    first.get(article.get_absolute_url())  # the page is now kept

    page = read(second, article)

    assert page["Cache-Control"].startswith("public")
    assert reach.readers(article) == 1


def test_the_beacon_of_a_draft_or_a_missing_article_counts_nobody(client):
    draft = make_article(published=False)

    for pk in (draft.pk, draft.pk + 1000):
        assert client.get(f"/articles/{pk}/seen.gif").status_code == 200

    assert reach.readers(draft) == 0


def test_a_browser_that_declares_again_is_still_one_reader(visitor):
    """The declaration holds a random id that a new declaration keeps: the funnel counts
    readers, not gate cookies."""
    from django.urls import reverse

    article = make_article()
    visitor.post(reverse("hcp_declare"), {"next": "/"})
    first_cookie = visitor.cookies[gate.COOKIE_NAME].value
    read(visitor, article)

    visitor.post(reverse("hcp_declare"), {"next": "/"})
    read(visitor, article)

    assert visitor.cookies[gate.COOKIE_NAME].value.split(":")[0] == first_cookie.split(":")[0]
    assert reach.readers(article) == 1
    other = Client()
    other.post(reverse("hcp_declare"), {"next": "/"})
    read(other, article)
    assert reach.readers(article) == 2
