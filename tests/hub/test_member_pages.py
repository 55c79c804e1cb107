"""Logged-in readers share cached page shells; their own parts are theirs alone."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Bookmark
from hub.page_cache import CACHE_HEADER
from quizzes.models import Attempt
from tests.articles.factories import make_article, make_topic
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def topic():
    return make_topic("Myeloma")


@pytest.fixture
def article(topic):
    return make_article("Shared shell", topics=[topic], body="The shared body.")


@pytest.fixture
def alice(make_user):
    return make_user("alice@example.org")


@pytest.fixture
def bob(make_user):
    return make_user("bob@example.org")


def test_each_reader_sees_their_own_bookmarks_on_one_shared_shell(article, topic, alice, bob):
    related = make_article("Related one", topics=[topic])
    Bookmark.objects.create(user=alice, article=article)
    Bookmark.objects.create(user=bob, article=related)

    first = member(alice).get(article.get_absolute_url())
    second = member(bob).get(article.get_absolute_url())

    assert first[CACHE_HEADER] == "member-miss" and second[CACHE_HEADER] == "member-hit"
    alice_html, bob_html = first.content.decode(), second.content.decode()
    assert "The shared body." in alice_html and "The shared body." in bob_html
    own = f'action="{reverse("accounts:bookmark", args=[article.pk])}"'
    assert own in alice_html and own in bob_html
    assert alice_html.count('data-bookmarked="true"') == 1
    assert bob_html.count('data-bookmarked="true"') == 1
    assert "hub-hole" not in alice_html + bob_html


def test_quiz_invitations_follow_each_readers_attempts(article, alice, bob, client):
    quiz = make_quiz(article)
    alice_client = member(alice)
    page = alice_client.get(reverse("quizzes:take", args=[quiz.pk, "before"]))
    form = {"csrfmiddlewaretoken": TOKEN.search(page.content.decode()).group(1)}
    for question in quiz.questions.all():
        form[f"question_{question.pk}"] = str(question.choices.first().pk)
    alice_client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), form)
    assert Attempt.objects.filter(user=alice).exists()

    member(bob).get(article.get_absolute_url())
    alice_page = alice_client.get(article.get_absolute_url())
    bob_page = member(bob).get(article.get_absolute_url())

    assert alice_page[CACHE_HEADER] == "member-hit"
    assert "Before reading you answered" in alice_page.content.decode()
    assert "Take the quiz before reading" in bob_page.content.decode()
    assert "Before reading you answered" not in bob_page.content.decode()


def test_forms_on_a_shared_shell_carry_the_readers_own_token(article, alice, bob):
    member(alice).get(article.get_absolute_url())
    bob_client = member(bob)

    page = bob_client.get(article.get_absolute_url())
    token = TOKEN.search(page.content.decode()).group(1)
    saved = bob_client.post(
        reverse("accounts:bookmark", args=[article.pk]),
        {"csrfmiddlewaretoken": token, "action": "add", "next": article.get_absolute_url()},
    )

    assert page[CACHE_HEADER] == "member-hit"
    assert saved.status_code == 302
    assert Bookmark.objects.filter(user=bob, article=article).exists()


def test_queries_per_reader_stay_constant_as_the_page_grows(article, topic, alice, bob):
    member(alice).get(article.get_absolute_url())
    bob_client = member(bob)
    with CaptureQueriesContext(connection) as small:
        bob_client.get(article.get_absolute_url())
    for n in range(6):
        make_article(f"More on myeloma {n}", topics=[topic])
    member(alice).get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as grown:
        page = bob_client.get(article.get_absolute_url())

    assert page[CACHE_HEADER] == "member-hit"
    assert len(small.captured_queries) <= 8
    assert len(grown.captured_queries) == len(small.captured_queries)


def test_feed_links_on_listings_are_each_readers_own(topic, article, alice, bob):
    member(alice).get(topic.get_absolute_url())

    page = member(bob).get(topic.get_absolute_url()).content.decode()

    assert bob.feed_key in page
    assert alice.feed_key not in page


def test_staff_and_pending_messages_are_rendered_in_full(article, alice, make_editor):
    editor = member(make_editor())
    messaged = member(alice)
    messaged.cookies["messages"] = "pending"

    assert editor.get(article.get_absolute_url())[CACHE_HEADER] == "bypass"
    assert messaged.get(article.get_absolute_url())[CACHE_HEADER] == "bypass"


def test_an_edit_shows_to_logged_in_readers_at_once(article, alice, bob):
    member(alice).get(article.get_absolute_url())

    article.title = "Corrected for everyone"
    article.save()
    page = member(bob).get(article.get_absolute_url())

    assert page[CACHE_HEADER] == "member-miss"
    assert "Corrected for everyone" in page.content.decode()
