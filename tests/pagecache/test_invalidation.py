"""Kept copies hold only while the app server can be sure of them: a change committed
anywhere (another server, a shell, the worker) drops them, and so does losing the
database's voice."""

import os
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User
from pagecache.middleware import CACHE_HEADER
from tests.articles.factories import make_article
from tests.conftest import Client
from tests.pagecache.through_wsgi import Browser

POSTGRES = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="LISTEN/NOTIFY is PostgreSQL's",
)


def elsewhere(*statements):
    """Run SQL in a connection of its own, committed: as another app server would."""
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        with psycopg.connect(
            dbname=database["NAME"], user=database["USER"], host=database["HOST"] or None,
            port=database["PORT"] or None, autocommit=True,
        ) as other:  # fmt: skip
            for statement in statements:
                other.execute(statement)
    else:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def bump_and_notify(keys):
    statements = ["UPDATE pagecache_contentversion SET number = number + 1 WHERE id = 1"]
    if connection.vendor == "postgresql":
        statements.append(
            "SELECT pg_notify('hub_pages', (SELECT number FROM pagecache_contentversion "
            f"WHERE id = 1)::text || ' {keys}')"
        )
    return statements


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_server_ends_the_copies_that_show_it():
    article, other = make_article("Changed elsewhere"), make_article("Left alone")
    for page in (article, other):
        Browser().get(page.get_absolute_url())
        assert Browser().get(page.get_absolute_url())[CACHE_HEADER] == "hit"

    elsewhere(*bump_and_notify(f"article-{article.pk}"))
    # The notification crosses the socket in well under a millisecond on one machine; a
    # reader's request in that instant may still get the copy (pagecache/CONTRACT.md).
    time.sleep(0.05)

    assert Browser().get(article.get_absolute_url())[CACHE_HEADER] == "miss"
    if connection.vendor == "postgresql":  # the keys say which; SQLite knows only "some"
        assert Browser().get(other.get_absolute_url())[CACHE_HEADER] == "hit"


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_copies_are_not_served_while_the_database_cannot_be_heard():
    article = make_article("Heard", body="First words.")
    Browser().get(article.get_absolute_url())
    assert Browser().get(article.get_absolute_url())[CACHE_HEADER] == "hit"

    # The listening connection is cut, and a change commits while nobody listens.
    elsewhere(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE application_name = 'hub-pagecache-{os.getpid()}'",
        f"UPDATE articles_article SET body_html = '<p>Second words.</p>' WHERE id = {article.pk}",
        *bump_and_notify(f"article-{article.pk}"),
    )

    time.sleep(0.2)  # the server's goodbye crosses the socket (see pagecache/CONTRACT.md)

    pages = [Browser().get(article.get_absolute_url()) for _ in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert all("Second words." in page.text() for page in pages)


# Committed (transaction=True), as in production: app servers keep a reader's row until
# its table's trigger tells them of a committed change (common.memo).
@pytest.mark.django_db(transaction=True)
def test_a_reader_made_staff_by_a_bulk_update_is_no_longer_served_the_shared_shell(reader):
    article = make_article("Shell")
    member = Client()
    member.force_login(reader)
    member.get(article.get_absolute_url())
    assert member.get(article.get_absolute_url())[CACHE_HEADER] == "member-hit"

    User.objects.filter(pk=reader.pk).update(is_staff=True)
    time.sleep(0.05)  # the notification's way across the socket

    assert member.get(article.get_absolute_url()).get(CACHE_HEADER) != "member-hit"


@pytest.mark.django_db(transaction=True)
def test_a_reader_deactivated_by_a_bulk_update_is_logged_out_at_once(reader):
    article = make_article("Shell")
    member = Client()
    member.force_login(reader)
    member.get(article.get_absolute_url())

    User.objects.filter(pk=reader.pk).update(is_active=False)
    time.sleep(0.05)
    page = member.get(article.get_absolute_url()).content.decode()

    assert "Log out" not in page


def test_a_database_not_yet_migrated_is_no_warning(caplog):
    """`migrate` on a new database saves rows before the version's table exists: the
    copies stay off, and the log says why without a warning."""
    from pagecache.invalidation import Listening
    from pagecache.store import Store

    watch = Listening(Store({"pages": 1024}))
    caplog.set_level("INFO", logger="pagecache.invalidation")

    watch._broken(psycopg.errors.UndefinedTable('relation "pagecache_contentversion"'))
    watch._broken(psycopg.OperationalError("connection refused"))

    said = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert said == [
        ("INFO", "Page copies off until the database is migrated"),
        ("WARNING", "Page copies off until the database answers again: "
         "OperationalError('connection refused')"),
    ]  # fmt: skip
    assert watch.current() is None  # off until it is tried again
