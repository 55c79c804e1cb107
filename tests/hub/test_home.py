"""The home page: a logged-in reader's "For you" first (recommendations with their
reasons, their next quiz step, their bookmarks), then the shared stories (a lead story,
Featured, Latest), which leave out what "For you" shows; the page is one shell shared by
logged-in readers, with both parts rendered per reader."""

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

CARD_TITLE = re.compile(r'<h[34] class="card__title"><a href="[^"]+">([^<]+)</a></h[34]>')
FOR_YOU_PART = re.compile(r'<h3 class="(?:for-you__title|next-step__title)">([^<]+)</h3>')


def sections(html):
    """Card titles by the heading of the home section they are in, in page order."""
    found = {}
    for part in re.split(r'<section class="home-section[^"]*"', html)[1:]:
        body = part.split("</section>")[0]
        heading = re.search(r"<h2[^>]*>([^<]+)</h2>", body).group(1)
        found[heading] = CARD_TITLE.findall(body)
    return found


def for_you(html):
    """Card titles by the part of "For you" they are in."""
    section = html.split('<section class="home-section for-you"')[1].split("</section>")[0]
    pieces = FOR_YOU_PART.split(section)
    return {pieces[i]: CARD_TITLE.findall(pieces[i + 1]) for i in range(1, len(pieces), 2)}


def member(user):
    client = Client()
    client.force_login(user)
    return client


def took_quiz_before_reading(user, article):
    quiz = make_quiz(article)
    Attempt.objects.create(quiz=quiz, user=user, stage=Attempt.Stage.PRE, score=1, total=3)
    return quiz


def test_for_you_leads_with_reasons_and_the_shared_sections_give_way(reader):
    followed = make_topic("Multiple myeloma")
    reader.interests.add(followed)
    make_article("Everywhere", topics=[followed], featured=True, age=timedelta(hours=1))
    for n in range(4):
        make_article(f"Featured {n}", featured=True, age=timedelta(days=10 + n))
    for n in range(8):
        make_article(f"Recent {n}", age=timedelta(days=2 + n))
    for title in ("Featured 0", "Recent 0"):
        Bookmark.objects.create(user=reader, article=Article.objects.get(title=title))

    page = member(reader).get(reverse("home")).content.decode()
    shown = sections(page)

    # "For you" comes first, and says why each recommendation was picked.
    assert list(shown) == ["For you", "Featured", "Latest", "Topics"]
    assert for_you(page) == {
        "Recommended for you": ["Everywhere"],
        "Continue with your bookmarks": ["Recent 0", "Featured 0"],
    }
    assert "Because you follow Multiple myeloma" in page
    # What it shows is not repeated below; the next stories take their places.
    assert shown["Featured"] == ["Featured 1", "Featured 2", "Featured 3"]
    assert shown["Latest"] == [f"Recent {n}" for n in range(1, 7)]
    everything = [title for titles in shown.values() for title in titles]
    assert len(everything) == len(set(everything)), "each article once"


def test_a_visitor_gets_the_lead_story_and_whole_rows(client):
    make_article("Featured and newest", featured=True, age=timedelta(hours=1))
    for n in range(8):
        make_article(f"Older {n}", age=timedelta(days=3 + n))

    page = client.get(reverse("home")).content.decode()
    shown = sections(page)

    assert "For you" not in shown
    assert shown["Featured"] == ["Featured and newest"]
    assert 'class="card card--lead"' in page
    assert shown["Latest"] == [f"Older {n}" for n in range(6)]


def test_without_featured_articles_the_newest_leads(client):
    for n in range(8):
        make_article(f"Story {n}", age=timedelta(days=1 + n))

    shown = sections(client.get(reverse("home")).content.decode())

    assert shown["Featured"] == ["Story 0"]
    assert shown["Latest"] == [f"Story {n}" for n in range(1, 7)]


def test_a_new_reader_is_asked_for_interests_and_the_stories_stay_whole(reader):
    make_article("The editors pick", featured=True)
    for n in range(6):
        make_article(f"Recent {n}", age=timedelta(days=2 + n))

    page = member(reader).get(reverse("home")).content.decode()
    shown = sections(page)

    # Nothing personal yet: the editors' picks are not passed off as "for you".
    assert shown["For you"] == []
    assert "Choose your areas of interest" in page
    assert reverse("accounts:interests") in page
    assert shown["Featured"] == ["The editors pick"]
    assert shown["Latest"] == [f"Recent {n}" for n in range(6)]


def test_the_next_quiz_step_leads_and_its_article_is_not_repeated(reader):
    for n in range(8):
        make_article(f"Newer {n}", age=timedelta(days=1 + n))
    quizzed = make_article("Quizzed", featured=True, age=timedelta(hours=2))
    quiz = took_quiz_before_reading(reader, quizzed)

    page = member(reader).get(reverse("home")).content.decode()

    assert next(iter(for_you(page))) == "Your next quiz step"
    assert "You took the quiz before reading “Quizzed”" in page
    assert reverse("quizzes:take", args=[quiz.pk, "after"]) in page
    assert "Quizzed" not in sections(page)["Featured"] + sections(page)["Latest"]


def test_the_next_quiz_step_goes_once_the_quiz_after_reading_is_taken(reader):
    quiz = took_quiz_before_reading(reader, make_article("Quizzed"))
    Attempt.objects.create(quiz=quiz, user=reader, stage=Attempt.Stage.POST, score=3, total=3)

    page = member(reader).get(reverse("home")).content.decode()

    assert "Your next quiz step" not in page
    assert sections(page)["Featured"] == ["Quizzed"]


def test_readers_share_the_home_page_but_see_only_their_own_sections(make_user):
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    for n in range(9):
        make_article(f"Newer {n}", age=timedelta(days=1 + n))
    Bookmark.objects.create(user=alice, article=Article.objects.get(title="Newer 1"))
    Bookmark.objects.create(user=bob, article=make_article("For Bob", age=timedelta(days=41)))
    took_quiz_before_reading(alice, make_article("Alice quizzed", age=timedelta(days=42)))

    first = member(alice).get(reverse("home"))
    second = member(bob).get(reverse("home"))

    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("member-miss", "member-hit")
    alice_page, bob_page = first.content.decode(), second.content.decode()
    assert for_you(alice_page)["Continue with your bookmarks"] == ["Newer 1"]
    assert for_you(bob_page)["Continue with your bookmarks"] == ["For Bob"]
    # Alice's bookmark leaves her Latest, not Bob's, from the same shell.
    assert "Newer 1" not in sections(alice_page)["Latest"]
    assert "Newer 1" in sections(bob_page)["Latest"]
    assert "Alice quizzed" in alice_page and "Alice quizzed" not in bob_page
    assert alice.feed_key in alice_page and alice.feed_key not in bob_page
    assert bob.feed_key in bob_page
    assert "hub-hole" not in alice_page + bob_page


def test_the_shell_keeps_nothing_personal(make_user):
    """The kept shell has holes where "For you" and the stories go, and neither's words."""
    from pagecache import local

    alice = make_user("alice@example.org")
    topic = make_topic("Myeloma")
    alice.interests.add(topic)
    make_article("Myeloma first", topics=[topic])
    Bookmark.objects.create(user=alice, article=make_article("Kept by Alice"))

    member(alice).get(reverse("home"))

    shells = [copy.value for copy in local.STORE.shelf("shells").copies.values()]
    assert len(shells) == 1
    kept = "".join(shells[0]["pieces"])
    assert "Kept by Alice" not in kept and "Myeloma first" not in kept
    assert "For you" not in kept and "Because you follow" not in kept


def test_a_readers_home_page_takes_the_same_queries_however_much_they_have(
    make_user, django_assert_max_num_queries
):
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    topic = make_topic("Myeloma")
    for n in range(9):
        make_article(f"Newer {n}", age=timedelta(days=1 + n))
    bob.interests.add(topic)
    Bookmark.objects.create(user=bob, article=make_article("One", age=timedelta(days=40)))
    make_article("Myeloma first", topics=[topic], age=timedelta(days=45))
    make_article("A featured one", featured=True, age=timedelta(days=46))
    member(alice).get(reverse("home"))  # stores the shared shell
    bob_client = member(bob)
    with CaptureQueriesContext(connection) as few:
        bob_client.get(reverse("home"))
    queries = len(few.captured_queries)  # read now: the next request empties the log
    assert queries <= 20

    for n in range(5):
        article = make_article(f"Older {n}", topics=[topic], age=timedelta(days=50 + n))
        Bookmark.objects.create(user=bob, article=article)
        took_quiz_before_reading(bob, article)
    for n in range(4):
        make_article(f"Myeloma {n}", topics=[topic], featured=True, age=timedelta(days=60 + n))
    member(alice).get(reverse("home"))
    with django_assert_max_num_queries(queries):
        page = bob_client.get(reverse("home"))

    assert page[CACHE_HEADER] == "member-hit"
    parts = for_you(page.content.decode())
    assert len(parts["Continue with your bookmarks"]) == 3
    assert len(parts["Recommended for you"]) == 3
    assert "Your next quiz step" in parts
