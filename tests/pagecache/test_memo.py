"""What an app server keeps of a reader (session, account, bookmarks, scores) and of the
site (brand, funders, cookie groups) holds only while it hears every committed change:
a change made anywhere, by any means, reaches the next page (common.memo)."""

import os
import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Bookmark, User
from pagecache.middleware import CACHE_HEADER
from quizzes.models import Attempt
from tests.articles.factories import make_article
from tests.conftest import Client
from tests.pagecache.test_invalidation import elsewhere
from tests.quizzes.factories import make_quiz

POSTGRES = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="app servers keep readers' values only while they LISTEN (PostgreSQL)",
)
pytestmark = [POSTGRES, pytest.mark.django_db(transaction=True)]

HEARD = 0.05  # the notification's way across the socket


def logged_in(reader, article):
    member = Client()
    member.force_login(reader)
    first = member.get(article.get_absolute_url())
    assert "Log out" in first.content.decode()
    return member


def test_a_known_reader_on_a_kept_page_costs_no_query(reader, django_assert_num_queries):
    article, other = make_article("First"), make_article("Second")
    member = logged_in(reader, article)
    member.get(other.get_absolute_url())  # the shell of the second page, kept

    with django_assert_num_queries(0):
        page = member.get(other.get_absolute_url())

    assert page[CACHE_HEADER] == "member-hit"
    assert "Log out" in page.content.decode()


def test_a_session_deleted_by_another_server_is_ended_here_at_once(reader):
    article = make_article("Kept")
    member = logged_in(reader, article)

    elsewhere("DELETE FROM accounts_session")
    time.sleep(HEARD)
    page = member.get(article.get_absolute_url()).content.decode()

    assert "Log out" not in page


def test_a_log_out_ends_the_session_kept_by_every_server(reader):
    article = make_article("Kept")
    member = logged_in(reader, article)
    cookie = member.cookies[settings.SESSION_COOKIE_NAME].value

    member.post(reverse("account_logout"))
    time.sleep(HEARD)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    page = replay.get(article.get_absolute_url()).content.decode()

    assert "Log out" not in page


def test_a_password_changed_by_raw_sql_ends_the_kept_session(reader):
    article = make_article("Kept")
    member = logged_in(reader, article)

    elsewhere(f"UPDATE accounts_user SET password = 'changed' WHERE id = {reader.pk}")
    time.sleep(HEARD)
    page = member.get(article.get_absolute_url()).content.decode()

    assert "Log out" not in page


def test_a_bookmark_added_by_another_server_shows_on_the_next_page(reader):
    article = make_article("Bookmarked elsewhere")
    member = logged_in(reader, article)
    assert 'data-bookmarked="false"' in member.get(article.get_absolute_url()).content.decode()

    elsewhere(
        "INSERT INTO accounts_bookmark (user_id, article_id, created_at) "
        f"VALUES ({reader.pk}, {article.pk}, now())"
    )
    time.sleep(HEARD)
    page = member.get(article.get_absolute_url()).content.decode()

    assert Bookmark.objects.filter(user=reader, article=article).exists()
    assert 'data-bookmarked="true"' in page


def test_a_readers_session_account_and_bookmarks_are_read_again_in_one_query(
    reader, django_assert_num_queries
):
    """After a change to the reader (here a bookmark added by another server), what this
    server kept of them is read again together: one query, not one per value."""
    article = make_article("Read together")
    member = logged_in(reader, article)
    member.get(article.get_absolute_url())  # the shell and the reader's values kept

    elsewhere(
        "INSERT INTO accounts_bookmark (user_id, article_id, created_at) "
        f"VALUES ({reader.pk}, {article.pk}, now())"
    )
    time.sleep(HEARD)
    with django_assert_num_queries(1):
        page = member.get(article.get_absolute_url())

    assert page[CACHE_HEADER] == "member-hit"
    assert 'data-bookmarked="true"' in page.content.decode()


def test_a_bookmark_toggled_here_shows_on_the_very_next_page(reader):
    article = make_article("Bookmarked here")
    member = logged_in(reader, article)

    member.post(reverse("accounts:bookmark", args=[article.pk]), {"action": "add"})
    page = member.get(article.get_absolute_url()).content.decode()

    assert 'data-bookmarked="true"' in page


def test_a_score_recorded_by_another_server_shows_in_the_invitation(reader):
    quiz = make_quiz()
    article = quiz.article
    member = logged_in(reader, article)
    assert (
        "After reading you answered" not in member.get(article.get_absolute_url()).content.decode()
    )

    for stage in (Attempt.Stage.PRE, Attempt.Stage.POST):
        Attempt.objects.create(quiz=quiz, user=reader, stage=stage, score=1, total=2)
    time.sleep(HEARD)
    page = member.get(article.get_absolute_url()).content.decode()

    assert "After reading you answered 1 of 2 correctly." in page


def test_nothing_kept_is_trusted_after_the_listening_connection_was_lost(reader):
    article = make_article("Unheard")
    member = logged_in(reader, article)

    # The listening connection is cut, and the session ends while nobody listens.
    elsewhere(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE application_name = 'hub-pagecache-{os.getpid()}'",
        "DELETE FROM accounts_session",
    )
    time.sleep(HEARD)
    pages = [member.get(article.get_absolute_url()).content.decode() for _ in range(3)]

    assert all("Log out" not in page for page in pages)


def test_a_user_object_is_fresh_for_each_request(reader):
    """Kept values build a new User per request: one request's permission checks or
    attributes never reach the next."""
    article = make_article("Fresh")
    member = logged_in(reader, article)

    first = member.get(article.get_absolute_url()).wsgi_request.user
    second = member.get(article.get_absolute_url()).wsgi_request.user

    assert first == second == User.objects.get(pk=reader.pk)
    assert first is not second


def test_a_session_is_fresh_for_each_request(reader):
    """The decoded session is kept, but each request gets its own: a change one request
    makes in place and never saves does not reach the next."""
    article = make_article("Own session")
    member = logged_in(reader, article)
    session = member.session
    session["recent"] = ["a"]
    session.save()
    member.get(article.get_absolute_url())

    first = member.get(article.get_absolute_url()).wsgi_request.session
    first["recent"].append("changed in place, never saved")
    second = member.get(article.get_absolute_url()).wsgi_request.session

    assert second["recent"] == ["a"]
    assert first is not second
