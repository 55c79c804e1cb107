"""The editors' results report, checked on a known data set."""

import csv
import io

import pytest
from django.urls import reverse

from quizzes.models import Answer, Attempt
from quizzes.report import quiz_report
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


def attempt(quiz, participant, stage, correct_flags, user=None):
    """An attempt whose answers are right or wrong as `correct_flags` says, per question."""
    made = Attempt.objects.create(
        quiz=quiz,
        user=user,
        participant=participant,
        stage=stage,
        score=sum(correct_flags),
        total=len(correct_flags),
    )
    Answer.objects.bulk_create(
        Answer(attempt=made, question=q, is_correct=ok)
        for q, ok in zip(quiz.questions.all(), correct_flags, strict=True)
    )
    return made


@pytest.fixture
def known():
    """Four readers: A and B take both tests, C only before, D only after."""
    quiz = make_quiz()
    a, b, c, d = (f"00000000-0000-0000-0000-00000000000{n}" for n in range(1, 5))
    attempt(quiz, a, "before", [True, False, False])  # 1
    attempt(quiz, a, "after", [True, True, True])  # 3
    attempt(quiz, b, "before", [False, False, False])  # 0
    attempt(quiz, b, "after", [True, False, True])  # 2
    attempt(quiz, c, "before", [True, True, False])  # 2
    attempt(quiz, d, "after", [False, True, False])  # 1
    return quiz


def test_report_numbers(known):
    report = quiz_report(known)

    assert report.readers == 4
    assert (report.attempts_before, report.attempts_after) == (3, 3)
    assert report.mean_before == pytest.approx(1.0)  # (1 + 0 + 2) / 3
    assert report.mean_after == pytest.approx(2.0)  # (3 + 2 + 1) / 3
    assert report.pairs == 2
    assert report.pairs_mean_before == pytest.approx(0.5)
    assert report.pairs_mean_after == pytest.approx(2.5)
    assert report.gain == pytest.approx(2.0)
    assert report.gain_points == 67
    shares = [(q.share_before, q.share_after) for q in report.questions]
    assert shares == [(67, 67), (33, 67), (0, 67)]


def test_empty_quiz_report(known):
    empty = make_quiz(title="Nobody yet")

    report = quiz_report(empty)

    assert (report.readers, report.pairs, report.gain, report.mean_before) == (0, 0, None, None)
    assert all(q.share_before is None for q in report.questions)


def test_report_runs_a_fixed_number_of_queries(known, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        quiz_report(known)


@pytest.fixture
def editor_client(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    return client


def test_admin_shows_the_report_with_bars(editor_client, known):
    html = editor_client.get(
        reverse("admin:quizzes_quiz_results", args=[known.pk])
    ).content.decode()

    assert "Readers who took both (n = 2)" in html
    assert "<strong>+2.00</strong> (+67 points)" in html
    assert '<meter min="0" max="100" value="33">33%</meter>' in html
    assert "style=" not in html.split('id="content-main"')[1], "no inline styles (CSP)"


def test_admin_downloads_the_report_as_csv(editor_client, known):
    response = editor_client.get(reverse("admin:quizzes_quiz_results_csv", args=[known.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["measure", "before reading", "after reading", "change"]
    assert rows[3] == ["matched pairs (n=2): mean correct", "0.5", "2.5", "2"]
    assert rows[6] == ["1", "Which trial compared BVd with DVd?", "3", "67", "3", "67"]


def test_quiz_list_shows_readers(editor_client, known):
    html = editor_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()

    assert '<td class="field-readers">4</td>' in html


def test_readers_cannot_see_the_report(client, reader, known):
    client.force_login(reader)

    response = client.get(reverse("admin:quizzes_quiz_results", args=[known.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"]


def test_report_of_a_quiz_without_questions_does_not_fail(editor_client):
    empty = make_quiz(questions=[])
    Attempt.objects.create(quiz=empty, stage="before", score=0, total=0)
    Attempt.objects.create(
        quiz=empty, participant=Attempt.objects.get().participant, stage="after", score=0, total=0
    )

    report = quiz_report(empty)
    page = editor_client.get(reverse("admin:quizzes_quiz_results", args=[empty.pk]))

    assert (report.pairs, report.gain, report.gain_points) == (1, 0, None)
    assert page.status_code == 200


def test_pairs_come_from_real_submissions(client, make_user):
    from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers

    quiz = make_quiz()
    for n in range(3):
        client.force_login(make_user(f"r{n}@example.com"))
        client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, ONE_RIGHT))
        client.post(reverse("quizzes:take", args=[quiz.pk, "after"]), answers(quiz, ALL_RIGHT))

    report = quiz_report(quiz)

    assert (report.readers, report.pairs, report.gain) == (3, 3, 2)
