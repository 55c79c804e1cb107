"""The evaluation and follow-up figures in the outcomes report: counted as the quiz is,
suppressed under five respondents, and never recoverable by subtraction."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.cme_report import cme_outcomes
from quizzes.models import Commitment, Evaluation, FollowUp
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

NURSE = "Nurse or nurse practitioner"


@pytest.fixture
def editor_client(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    return client


def evaluation(quiz, profession="physician", relevance=5, free_of_bias=True, **fields):
    return Evaluation.objects.create(
        quiz=quiz,
        participant=uuid.uuid4(),
        profession=profession,
        relevance=relevance,
        objectives_met=fields.pop("objectives_met", 4),
        faculty_quality=fields.pop("faculty_quality", 3),
        free_of_bias=free_of_bias,
        bias_comment="" if free_of_bias else "One brand only.",
        would_recommend=fields.pop("would_recommend", True),
        **fields,
    )


def item(group, key):
    return next(i for i in group.items if i.key == key)


def test_evaluation_figures_for_all_readers():
    quiz = make_quiz()
    for relevance in (5, 4, 4, 2, 1):
        evaluation(quiz, relevance=relevance)
    evaluation(quiz, free_of_bias=False)
    evaluation(quiz, by_staff=True, relevance=1)
    evaluation(quiz, is_demo=True, relevance=1)

    outcomes = cme_outcomes(quiz)

    overall = outcomes.overall
    assert overall.respondents == 6 and not overall.suppressed
    relevance = item(overall, "relevance")
    assert (relevance.count, relevance.n, str(relevance.share)) == (4, 6, "67")
    assert float(relevance.mean) == pytest.approx(21 / 6)
    assert item(overall, "free_of_bias").count == 5
    assert overall.bias_comments == 1


def test_fewer_than_five_respondents_are_suppressed():
    quiz = make_quiz()
    for _ in range(4):
        evaluation(quiz)

    assert cme_outcomes(quiz).overall.suppressed


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    """Otherwise total minus the shown groups gives the suppressed one's figures."""
    quiz = make_quiz()
    for profession, n in [("physician", 8), ("nurse", 6), ("pharmacist", 2)]:
        for _ in range(n):
            evaluation(quiz, profession=profession)

    groups = {str(g.label): g.suppressed for g in cme_outcomes(quiz, by="profession").groups}

    assert groups == {NURSE: True, "Pharmacist": True, "Physician": False}


def test_two_small_groups_need_no_third():
    quiz = make_quiz()
    for profession, n in [("physician", 8), ("nurse", 3), ("pharmacist", 2)]:
        for _ in range(n):
            evaluation(quiz, profession=profession)

    groups = {str(g.label): g.suppressed for g in cme_outcomes(quiz, by="profession").groups}

    assert groups == {NURSE: True, "Pharmacist": True, "Physician": False}


def test_follow_ups_are_counted_per_stage_and_suppressed_under_five():
    quiz = make_quiz()
    now = timezone.now()
    for n in range(7):
        commitment = Commitment.objects.create(quiz=quiz, participant=uuid.uuid4(), text="x")
        FollowUp.objects.create(
            commitment=commitment,
            stage=30,
            answered_at=now,
            outcome="made" if n < 4 else "no",
            barrier="none" if n < 4 else "time",
        )
        if n < 3:
            FollowUp.objects.create(commitment=commitment, stage=60, answered_at=now,
                                    outcome="partly", barrier="access")  # fmt: skip

    stages = {stage.days: stage for stage in cme_outcomes(quiz).stages}

    assert (stages[30].sent, stages[30].answered, stages[30].suppressed) == (7, 7, False)
    made = next(o for o in stages[30].outcomes if o[0] == FollowUp.Outcome.MADE.label)
    assert (made[1], str(made[2])) == (4, "57")
    assert stages[60].suppressed and stages[60].sent == 3
    assert stages[90].sent == 0


def test_the_outcomes_page_and_its_csv_show_them(editor_client):
    quiz = make_quiz()
    for relevance in (5, 5, 4, 4, 3, 2):
        evaluation(quiz, relevance=relevance)
    Commitment.objects.create(quiz=quiz, participant=uuid.uuid4(), text="x")

    page = editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk]))
    response = editor_client.get(reverse("admin:quizzes_quiz_evaluation_csv", args=[quiz.pk]))

    html = page.content.decode()
    assert "Evaluation of the activity (Moore level 2)" in html
    assert "67%" in html  # 4 of 6 agree it is relevant
    assert "Moore level 5" in html
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[3][:2] == ["#", "suppression"]
    relevance = next(r for r in rows[7:] if r[4].startswith("Relevant to my practice"))
    assert relevance[2:9] == ["All readers", "6", "Relevant to my practice (agree)", "6", "4",
                              "67", "3.83"]  # fmt: skip
    assert "no-store" in response["Cache-Control"]


def test_the_csv_repeats_the_suppression_by_group(editor_client):
    quiz = make_quiz()
    for profession, n in [("physician", 8), ("nurse", 6), ("pharmacist", 2)]:
        for _ in range(n):
            evaluation(quiz, profession=profession)

    url = reverse("admin:quizzes_quiz_evaluation_csv", args=[quiz.pk]) + "?by=profession"
    rows = list(csv.reader(io.StringIO(editor_client.get(url).content.decode())))

    evaluation_rows = [r for r in rows[7:] if r[0].startswith("evaluation")]
    suppressed = {r[2] for r in evaluation_rows if r[3].startswith("suppressed")}
    assert suppressed == {NURSE, "Pharmacist"}


def test_the_report_page_queries_do_not_grow_with_answers(
    editor_client, django_assert_max_num_queries
):
    quiz = make_quiz()
    url = reverse("admin:quizzes_quiz_evaluation_csv", args=[quiz.pk]) + "?by=profession"
    for _ in range(6):
        evaluation(quiz)
    editor_client.get(url)
    with django_assert_max_num_queries(12) as few:
        editor_client.get(url)
    for profession in ("nurse", "pharmacist", "student"):
        for _ in range(10):
            evaluation(quiz, profession=profession)
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(url)
