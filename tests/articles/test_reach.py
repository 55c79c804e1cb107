"""Reach: unique declared readers per article and day, with nothing that identifies them."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from accounts import gate
from articles import reach
from articles.models import ArticleRead, DailySalt
from tests.articles.factories import make_article
from tests.conftest import declare_hcp

pytestmark = pytest.mark.django_db


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
        client.get(article.get_absolute_url())
    other.get(article.get_absolute_url())
    member = Client()
    member.force_login(reader)
    member.get(article.get_absolute_url())
    member.get(article.get_absolute_url())

    assert reach.readers(article) == 3


def test_nothing_stored_identifies_the_reader(client, reader):
    article = make_article()
    client.force_login(reader)
    cookie = client.cookies[gate.COOKIE_NAME].value

    client.get(article.get_absolute_url(), REMOTE_ADDR="203.0.113.7")

    (row,) = ArticleRead.objects.values()
    stored = " ".join(str(value) for value in row.values())
    assert {field.name for field in ArticleRead._meta.fields} == {
        "id", "article", "day", "reader_hash"
    }  # fmt: skip
    for secret in ("203.0.113.7", cookie, f"user:{reader.pk}"):
        assert secret not in stored


def test_staff_previews_and_gate_refusals_are_not_readers(client, visitor, make_editor):
    live, draft = make_article(), make_article(published=False)
    editor = Client()
    editor.force_login(make_editor())

    editor.get(live.get_absolute_url())
    editor.get(draft.get_absolute_url())
    visitor.get(live.get_absolute_url())  # shown the gate, not the article

    assert ArticleRead.objects.count() == 0


def test_yesterdays_salt_is_discarded_and_a_new_day_counts_again(client, monkeypatch):
    article = make_article()
    client.get(article.get_absolute_url())
    yesterday_hash = ArticleRead.objects.get().reader_hash
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(reach.timezone, "localdate", lambda: tomorrow)
    reach._today.cache_clear()  # the date is asked once a second

    client.get(article.get_absolute_url())

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
    """The page caches serve without the view, and without a query: reads wait in the
    process and go to the database together."""
    settings.HUB_REACH_FLUSH_SECONDS = 3600
    article = make_article()
    member = Client()
    member.force_login(reader)

    for visitor in (client, client, member, member):
        visitor.get(article.get_absolute_url())

    assert not ArticleRead.objects.exists()
    assert reach.readers(article) == 2
