"""What readers see of their own outcomes: both verdicts, peers, objectives, a record."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.articles.factories import make_article
from tests.conftest import Client
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, make_quiz, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    article = make_article("Belantamab", objectives=["Name the comparator in DREAMM-7"])
    quiz = make_quiz(article)
    quiz.questions.filter(order=0).update(objective=article.learning_objectives.get())
    return quiz


def result(client, quiz):
    return client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()


def test_after_the_post_test_each_pre_test_answer_gets_a_verdict(reader_client, quiz):
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)

    html = result(reader_client, quiz)

    assert html.count("Not correct before reading") == 2
    assert html.count("Correct before reading") == 1
    assert html.count("Correct after reading") == 3


def choice_row(html, choice):
    """The cells of one choice's row in the review, tags stripped, and whether each has an icon."""
    row = re.search(rf'<th scope="row">{choice}</th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    return [(re.sub(r"<[^>]+>", "", cell).strip(), 'class="mark-icon"' in cell) for cell in cells]


def test_each_chosen_answer_is_marked_right_or_wrong_in_words_and_with_an_icon(reader_client, quiz):
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)

    html = result(reader_client, quiz)

    # Columns: your answer before, your answer after, correct answer.
    assert choice_row(html, "DREAMM-8") == [("Chosen: incorrect", True), ("", False), ("", False)]
    assert choice_row(html, "DREAMM-7") == [
        ("", False),
        ("Chosen: correct", True),
        ("Correct", True),
    ]
    assert choice_row(html, "Teclistamab") == [
        ("", False),
        ("Chosen: correct", True),
        ("Correct", True),
    ]
    tables = "".join(re.findall(r'<table class="quiz-review__choices">.*?</table>', html, re.S))
    rows = "".join(re.findall(r'<ul class="choice-rows">.*?</ul>', html, re.S))
    icon = '<span class="mark-icon" aria-hidden="true"></span>'
    for answers in (tables, rows):  # the table, and the same as rows for a phone
        assert answers.count('class="answer-mark is-wrong"') == 1
        # Four correct answers, three answers before and four after.
        assert answers.count(icon) == 4 + 3 + 4
    # Six verdicts besides.
    assert html.count(icon) == 6 + 2 * (4 + 3 + 4)
    assert "Your answer before:</span>" in rows and "Chosen: incorrect" in rows


def test_peers_share_appears_from_five_readers(reader_client, quiz, make_user):
    take(reader_client, quiz, "after", ALL_RIGHT)
    assert "of readers answered this correctly" not in result(reader_client, quiz)

    for n in range(4):
        peer = Client()
        peer.force_login(make_user(f"peer{n}@example.com"))
        take(peer, quiz, "after", ONE_RIGHT)
    from quizzes.report import forget_reports

    forget_reports(quiz.pk)  # on commit, in real life
    html = result(reader_client, quiz)

    assert "20% of readers answered this correctly after reading." in html  # Q1: 1 of 5
    assert "100% of readers answered this correctly after reading." in html  # Q3: 5 of 5


def test_each_question_links_to_its_objective_on_the_article(reader_client, quiz):
    objective = quiz.article.learning_objectives.get()
    take(reader_client, quiz, "after", ALL_RIGHT)

    html = result(reader_client, quiz)
    article = reader_client.get(quiz.article.get_absolute_url()).content.decode()

    anchor = f"{quiz.article.get_absolute_url()}#objective-{objective.pk}"
    assert f'<a href="{anchor}">Name the comparator in DREAMM-7</a>' in html
    assert f'<li id="objective-{objective.pk}">Name the comparator in DREAMM-7</li>' in article


def test_the_record_of_completion_became_a_printable_certificate(reader_client, quiz, reader):
    reader.full_name = "Dr Ada Lovelace"
    reader.save()
    before = reader_client.get(reverse("quizzes:record", args=[quiz.pk]))
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)

    record = reader_client.get(reverse("quizzes:record", args=[quiz.pk]))
    html = reader_client.get(record.url).content.decode()

    assert before.status_code == 302
    assert record.url == reverse("quizzes:certificate", args=[quiz.pk])
    assert "Certificate of completion" in html and "Dr Ada Lovelace" in html
    assert "Belantamab" in html and "Name the comparator in DREAMM-7" in html
    assert "Score before reading: 1 of 3 · after reading: 3 of 3" in html
    assert 'media="print"' in html
    assert reverse("quizzes:certificate", args=[quiz.pk]) in result(reader_client, quiz)


def test_confidence_before_and_after_and_intent_after(reader_client):
    quiz = make_quiz(
        confidence_question="How confident are you treating relapse?", asks_intent=True
    )

    form_before = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"]))
    missing = take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "before", ONE_RIGHT, confidence="2")
    form_after = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "after"]))
    take(reader_client, quiz, "after", ALL_RIGHT, confidence="4", intent="yes")

    assert (
        "<legend>How confident are you treating relapse?</legend>" in form_before.content.decode()
    )
    assert "Will you change your practice" not in form_before.content.decode()
    assert "Will you change your practice" in form_after.content.decode()
    assert (
        missing.status_code == 200 and "Choose how confident you are." in missing.content.decode()
    )
    stored = dict(Attempt.objects.values_list("stage", "confidence"))
    assert stored == {"before": 2, "after": 4}
    post = Attempt.objects.get(stage="after")
    assert (post.intent, post.confidence_before) == ("yes", 2)


def test_a_confidence_off_the_scale_is_refused(reader_client):
    quiz = make_quiz(confidence_question="How confident?")

    response = take(reader_client, quiz, "before", ONE_RIGHT, confidence="9")

    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    assert not Attempt.objects.exists()
