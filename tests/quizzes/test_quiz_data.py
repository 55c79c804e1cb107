"""A reader's quiz answers in their own data: exported with them, and kept without them
(anonymous, still paired) when they delete their account."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.articles.factories import make_article
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, make_quiz, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return make_quiz(make_article("Belantamab in relapse"))


def test_deleting_the_account_keeps_anonymous_statistics(reader_client, quiz, reader, password):
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)

    reader_client.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    attempts = Attempt.objects.all()
    assert attempts.count() == 2
    assert {a.user_id for a in attempts} == {None}
    assert len({a.participant for a in attempts}) == 1, "the pair still matches"


def test_export_includes_quiz_answers_but_no_correctness_before_the_post_test(reader_client, quiz):
    """Nor the score: none or all right would say every verdict, as right or wrong would."""
    take(reader_client, quiz, "before", ONE_RIGHT)

    data = reader_client.get(reverse("accounts:export_data")).json()

    (attempt,) = data["quiz_attempts"]
    assert (attempt["quiz"], attempt["stage"], attempt["score"]) == ("Quick quiz", "before", None)
    assert attempt["answers"][0] == {
        "question": "Which trial compared BVd with DVd?",
        "chosen": ["DREAMM-8"],
    }
    assert "correct" not in str(attempt["answers"])


def test_export_shows_correctness_once_the_post_test_is_taken(reader_client, quiz):
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)

    data = reader_client.get(reverse("accounts:export_data")).json()

    before = next(a for a in data["quiz_attempts"] if a["stage"] == "before")
    assert before["answers"][0]["correct"] is False
    assert before["score"] == 1
