"""Results that cannot be bent: who answered is kept, pairs hold, answers stay answers."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from quizzes.models import Answer, Attempt
from tests.conftest import Client
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers, make_quiz, take

pytestmark = pytest.mark.django_db


def test_a_pair_keeps_the_strata_of_its_pre_test_and_outlives_the_profile(client, make_user):
    """The reader changed profession between the tests: the pair counts in one group,
    the one they were in when they started (quizzes.models.Attempt)."""
    quiz = make_quiz()
    reader = make_user(profession="nurse", specialty="haematology", country="ES")
    client.force_login(reader)
    take(client, quiz, "before", ONE_RIGHT)

    reader.profession, reader.specialty, reader.country = "pharmacist", "pharmacy", "FR"
    reader.save()
    take(client, quiz, "after", ALL_RIGHT)
    reader.delete()

    strata = list(
        Attempt.objects.order_by("created_at").values_list(
            "stage", "profession", "specialty", "country"
        )
    )
    assert strata == [
        ("before", "nurse", "haematology", "ES"),
        ("after", "nurse", "haematology", "ES"),
    ]


def test_staff_and_demo_attempts_are_marked(client, make_user, make_editor):
    quiz, demo = make_quiz(), make_quiz(is_demo=True)
    client.force_login(make_editor())
    take(client, quiz, "before", ONE_RIGHT)
    client.force_login(make_user())
    take(client, demo, "before", ONE_RIGHT)
    take(client, quiz, "before", ONE_RIGHT)

    flags = set(Attempt.objects.values_list("quiz_id", "by_staff", "is_demo"))

    assert flags == {(quiz.pk, True, False), (demo.pk, False, True), (quiz.pk, False, False)}
    assert Attempt.objects.counted().count() == 1


def test_a_post_test_carries_its_pre_test(client, reader):
    quiz = make_quiz()
    client.force_login(reader)
    take(client, quiz, "before", ONE_RIGHT)
    take(client, quiz, "after", ALL_RIGHT)

    post = Attempt.objects.get(stage="after")
    rows = list(
        Answer.objects.filter(attempt=post)
        .order_by("question__order")
        .values_list("is_correct", "correct_before")
    )
    assert (post.score_before, post.score) == (1, 3)
    assert rows == [(True, False), (True, False), (True, True)]
    pre_picked = Answer.objects.filter(attempt__stage="before").order_by("question__order")
    assert [a.picked for a in pre_picked] == list(
        Answer.objects.filter(attempt=post)
        .order_by("question__order")
        .values_list("picked_before", flat=True)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers anyway")
def test_pre_and_post_test_submitted_at_the_same_moment_stay_a_pair(make_user):
    """Before the participant lock, each got its own id and the reader counted twice."""
    for n in range(6):
        reader = make_user(f"racer{n}@example.com")
        quiz = make_quiz()
        barrier = threading.Barrier(2)

        def submit(stage, reader=reader, quiz=quiz, barrier=barrier):
            tab = Client()
            tab.force_login(reader)
            data = answers(quiz, ONE_RIGHT if stage == "before" else ALL_RIGHT)
            url = reverse("quizzes:take", args=[quiz.pk, stage])
            barrier.wait()
            tab.post(url, data)
            connection.close()

        threads = [threading.Thread(target=submit, args=(s,)) for s in ("before", "after")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        attempts = Attempt.objects.filter(quiz=quiz)
        assert len({a.participant for a in attempts}) == 1, f"round {n}: the pair was lost"


def test_attempts_cannot_be_deleted_in_the_admin(client, make_editor, reader):
    quiz = make_quiz()
    attempt = Attempt.objects.create(quiz=quiz, user=reader, stage="before", score=1, total=3)
    client.force_login(make_editor(is_superuser=True))

    listing = client.get(reverse("admin:quizzes_attempt_changelist"))
    bulk = client.post(
        reverse("admin:quizzes_attempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    single = client.post(
        reverse("admin:quizzes_attempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200 and "delete_selected" not in listing.content.decode()
    assert bulk.status_code in (200, 302) and single.status_code == 403
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_the_admin_refuses_to_delete_an_article_with_results(client, make_editor, reader):
    quiz = make_quiz()
    Attempt.objects.create(quiz=quiz, user=reader, stage="before", score=1, total=3)
    client.force_login(make_editor(is_superuser=True))
    url = reverse("admin:articles_article_delete", args=[quiz.article.pk])

    page = client.get(url)
    client.post(url, {"post": "yes"})

    assert "<title>Cannot delete article" in page.content.decode()
    assert Attempt.objects.count() == 1
    assert Article.objects.filter(pk=quiz.article.pk).exists()
