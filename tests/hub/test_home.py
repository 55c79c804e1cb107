"""The home page: a returning reader's own sections, then Featured and Latest, with no
article shown twice; the page is one shell shared by logged-in readers."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Bookmark
from articles.models import Article
from pagecache.middleware import CACHE_HEADER
from quizzes.models import Attempt
from tests.articles.factories import make_article, make_topic
from tests.conftest import Client
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a></h3>')


def sections(html):
    """Card titles by the heading of the home section they are in."""
    found = {}
    for part in html.split('<section class="home-section"')[1:]:
        heading = re.search(r"<h2[^>]*>([^<]+)</h2>", part).group(1)
        found[heading] = TITLE.findall(part.split("</section>")[0])
    return found


def test_an_article_in_every_section_is_shown_once_and_sections_keep_their_size(client, reader):
    followed = make_topic("Multiple myeloma")
    reader.interests.add(followed)
    make_article("Everywhere", topics=[followed], featured=True, age=timedelta(hours=1))
    for n in range(3):
        make_article(f"Featured {n}", featured=True, age=timedelta(days=10 + n))
    for n in range(6):
        make_article(f"Recent {n}", age=timedelta(days=2 + n))
    make_article("Older on myeloma", topics=[followed], age=timedelta(days=30))
    for title in ("Featured 2", "Recent 0"):
        Bookmark.objects.create(user=reader, article=Article.objects.get(title=title))
    client.force_login(reader)

    shown = sections(client.get(reverse("home")).content.decode())

    # The shared sections are everyone's; the reader's own skip what they show.
    assert shown["Featured"] == ["Everywhere", "Featured 0", "Featured 1"]
    assert shown["Latest"] == [f"Recent {n}" for n in range(6)]
    assert shown["Continue with your bookmarks"] == ["Featured 2"]
    assert shown["Recommended for you"] == ["Older on myeloma"]
    assert list(shown)[:2] == ["Continue with your bookmarks", "Recommended for you"]


def test_a_visitor_sees_a_featured_article_once(client):
    make_article("Featured and newest", featured=True, age=timedelta(hours=1))
    make_article("Older", age=timedelta(days=3))

    shown = sections(client.get(reverse("home")).content.decode())

    assert shown["Featured"] == ["Featured and newest"]
    assert shown["Latest"] == ["Older"]


def member(user):
    client = Client()
    client.force_login(user)
    return client


def took_quiz_before_reading(user, article):
    quiz = make_quiz(article)
    Attempt.objects.create(quiz=quiz, user=user, stage=Attempt.Stage.PRE, score=1, total=3)
    return quiz


def test_a_returning_reader_sees_their_bookmarks_and_next_quiz_step(reader):
    for n in range(8):  # enough that bookmarks are not all on the shared sections
        make_article(f"Newer {n}", age=timedelta(days=1 + n))
    kept = make_article("Kept for later", age=timedelta(days=40))
    Bookmark.objects.create(user=reader, article=kept)
    quiz = took_quiz_before_reading(reader, make_article("Quizzed", age=timedelta(days=50)))

    page = member(reader).get(reverse("home")).content.decode()

    assert sections(page)["Continue with your bookmarks"] == ["Kept for later"]
    assert "Your next quiz step" in page
    assert "You took the quiz before reading “Quizzed”" in page
    assert reverse("quizzes:take", args=[quiz.pk, "after"]) in page


def test_the_next_quiz_step_goes_once_the_quiz_after_reading_is_taken(reader):
    quiz = took_quiz_before_reading(reader, make_article("Quizzed"))
    Attempt.objects.create(quiz=quiz, user=reader, stage=Attempt.Stage.POST, score=3, total=3)

    page = member(reader).get(reverse("home")).content.decode()

    assert "Your next quiz step" not in page


def test_readers_share_the_home_page_but_see_only_their_own_sections(make_user):
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    for n in range(9):
        make_article(f"Newer {n}", age=timedelta(days=1 + n))
    Bookmark.objects.create(user=alice, article=make_article("For Alice", age=timedelta(days=40)))
    Bookmark.objects.create(user=bob, article=make_article("For Bob", age=timedelta(days=41)))
    took_quiz_before_reading(alice, make_article("Alice quizzed", age=timedelta(days=42)))

    first = member(alice).get(reverse("home"))
    second = member(bob).get(reverse("home"))

    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("member-miss", "member-hit")
    alice_page, bob_page = first.content.decode(), second.content.decode()
    assert sections(alice_page)["Continue with your bookmarks"] == ["For Alice"]
    assert sections(bob_page)["Continue with your bookmarks"] == ["For Bob"]
    assert "Alice quizzed" in alice_page and "Alice quizzed" not in bob_page
    assert alice.feed_key in alice_page and alice.feed_key not in bob_page
    assert bob.feed_key in bob_page
    assert "hub-hole" not in alice_page + bob_page


def test_a_readers_home_page_takes_the_same_queries_however_much_they_have(make_user):
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    topic = make_topic("Myeloma")
    for n in range(9):
        make_article(f"Newer {n}", age=timedelta(days=1 + n))
    bob.interests.add(topic)
    Bookmark.objects.create(user=bob, article=make_article("One", age=timedelta(days=40)))
    make_article("Myeloma first", topics=[topic], age=timedelta(days=45))
    member(alice).get(reverse("home"))  # stores the shared shell
    bob_client = member(bob)
    with CaptureQueriesContext(connection) as few:
        bob_client.get(reverse("home"))

    for n in range(5):
        article = make_article(f"Older {n}", topics=[topic], age=timedelta(days=50 + n))
        Bookmark.objects.create(user=bob, article=article)
        took_quiz_before_reading(bob, article)
    for n in range(4):
        make_article(f"Myeloma {n}", topics=[topic], age=timedelta(days=60 + n))
    member(alice).get(reverse("home"))
    with CaptureQueriesContext(connection) as many:
        page = bob_client.get(reverse("home"))

    assert page[CACHE_HEADER] == "member-hit"
    shown = sections(page.content.decode())
    assert len(shown["Continue with your bookmarks"]) == 3
    assert len(shown["Recommended for you"]) == 3
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 20
