"""The quiz call to action beside the article follows where the reader is: not started,
tested before reading, or done with both."""

import re

import pytest
from django.urls import reverse

from quizzes.attempts import record_attempt
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return make_quiz()


def invitation(client, quiz):
    html = client.get(quiz.article.get_absolute_url()).content.decode()
    match = re.search(r'<aside class="quiz-invitation quiz-invitation--top".*?</aside>', html, re.S)
    return match.group(0)


def attempt(quiz, user, stage):
    questions = quiz.ordered_questions(seed=user.pk)
    chosen = {q.pk: [c.pk for c in q.choices.all() if c.is_correct] for q in questions}
    record_attempt(quiz, user, stage, questions, chosen)


def test_visitors_are_invited_to_the_quiz_before_reading_and_told_about_logging_in(client, quiz):
    html = invitation(client, quiz)

    assert f'href="{reverse("quizzes:take", args=[quiz.pk, "before"])}"' in html
    assert "Take the quiz before reading" in html
    assert "You will be asked to log in first." in html


def test_a_reader_who_has_not_started_is_invited_before_reading(client, reader, quiz):
    client.force_login(reader)

    html = invitation(client, quiz)

    assert "Take the quiz before reading" in html
    assert "You will be asked to log in first." not in html


def test_after_the_pre_test_the_reader_is_asked_to_read_then_take_it_again(client, reader, quiz):
    attempt(quiz, reader, "before")
    client.force_login(reader)

    html = invitation(client, quiz)

    assert "You took the quiz before reading. Your score is shown" in html
    assert "3 of 3" not in html, "a full score would give away every answer"
    assert "Now read the article, then take the quiz again at the end." in html
    assert 'href="#quiz-end-title">Go to the quiz after reading</a>' in html
    assert "Take the quiz before reading" not in html
    page = client.get(quiz.article.get_absolute_url()).content.decode()
    assert 'id="quiz-end-title"' in page


def test_with_both_done_the_reader_is_sent_to_the_results(client, reader, quiz):
    attempt(quiz, reader, "before")
    attempt(quiz, reader, "after")
    client.force_login(reader)

    html = invitation(client, quiz)

    assert f'href="{reverse("quizzes:result", args=[quiz.pk])}">See your quiz results</a>' in html
    assert "Take the quiz" not in html and "Go to the quiz" not in html
