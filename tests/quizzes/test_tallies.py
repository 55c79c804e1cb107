"""The report's counts, kept as readers answer, always equal a count from scratch."""

import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from quizzes.models import OutcomeCount
from quizzes.report import forget_reports, quiz_report
from quizzes.tallies import recount
from tests.conftest import Client
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers, make_quiz, take
from tests.quizzes.outcomes_data import build_known

pytestmark = pytest.mark.django_db


def counts(quiz):
    return {
        (row.quarter, row.dimension, row.value, row.kind, row.item, row.before, row.after): row.n
        for row in OutcomeCount.objects.filter(quiz=quiz)
        if row.n
    }  # fmt: skip


def test_counts_kept_as_readers_answer_equal_a_count_from_scratch(client, make_editor):
    quiz, _plan = build_known()
    client.force_login(make_editor())  # staff: left out, and said so
    take(client, quiz, "before", [{f"Wrong {n}a"} for n in range(1, 5)], confidence="3")
    kept = counts(quiz)

    recount(quiz.pk)

    assert kept == counts(quiz)
    kinds = {key[3] for key in kept}
    assert kinds == {"pre", "post", "pair", "confidence", "intent", "objective", "answer_pre",
                     "answer_post", "staff"}  # fmt: skip


def test_the_rebuild_command_restores_the_report(editor_client):
    quiz, _plan = build_known()
    url = reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk])
    before = _table(editor_client.get(url))
    OutcomeCount.objects.filter(quiz=quiz).delete()
    forget_reports(quiz.pk)
    assert quiz_report(quiz).overall.pairs == 0

    out = io.StringIO()
    call_command("rebuild_outcome_counts", str(quiz.pk), stdout=out)

    assert out.getvalue().startswith(f"quiz {quiz.pk}: ")

    assert _table(editor_client.get(url)) == before
    assert quiz_report(quiz).overall.pairs == 44


def _table(response):
    """The summary CSV without its metadata (which says when it was made)."""
    return response.content.decode().split("\r\n\r\n", 1)[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers anyway")
def test_attempts_recorded_at_the_same_moment_lose_no_count(make_user):
    """Readers of one stratum submit two at a time (the test's connection pool holds
    four, one of them the test's own): every count is raised by all of them, and none
    deadlocks."""
    quiz = make_quiz()
    readers = [
        make_user(f"same{n}@example.com", profession="nurse", specialty="oncology", country="GB")
        for n in range(9)
    ]
    statuses = []
    for stage, picks in (("before", ONE_RIGHT), ("after", ALL_RIGHT)):
        for start in range(0, len(readers), 2):
            _at_once(quiz, stage, picks, readers[start : start + 2], statuses)
    assert [r.status_code for r in statuses] == [302] * 18

    kept = counts(quiz)
    recount(quiz.pk)
    assert kept == counts(quiz)
    by_kind = {}
    for key, n in kept.items():
        if key[1] == "":  # all readers (each is also counted by profession, specialty, country)
            by_kind[key[3]] = by_kind.get(key[3], 0) + n
    assert (by_kind["pre"], by_kind["post"], by_kind["pair"]) == (9, 9, 9)
    assert by_kind["answer_pre"] == by_kind["answer_post"] == 9 * 3
    forget_reports(quiz.pk)
    report = quiz_report(quiz)
    assert (report.overall.readers, report.overall.paired.mean_change) == (9, 2.0)


def _at_once(quiz, stage, picks, readers, statuses):
    barrier = threading.Barrier(len(readers), timeout=30)

    def submit(reader):
        try:
            tab = Client()
            tab.force_login(reader)
            data = answers(quiz, picks)
            barrier.wait()
            statuses.append(tab.post(reverse("quizzes:take", args=[quiz.pk, stage]), data))
        finally:
            connection.close()  # the thread's connection back to the pool, whatever happened

    threads = [threading.Thread(target=submit, args=(r,)) for r in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_reader_profile_does_not_move_their_counts(client, make_user):
    """Counts sit in the cell of the pre-test, as the attempts do."""
    quiz = make_quiz()
    reader = make_user(profession="nurse", specialty="haematology", country="ES")
    client.force_login(reader)
    take(client, quiz, "before", ONE_RIGHT)
    reader.profession = "pharmacist"
    reader.save()
    take(client, quiz, "after", ALL_RIGHT)

    professions = OutcomeCount.objects.filter(dimension="profession")
    assert set(professions.values_list("value", flat=True)) == {"nurse"}
    assert get_user_model().objects.get(pk=reader.pk).profession == "pharmacist"
