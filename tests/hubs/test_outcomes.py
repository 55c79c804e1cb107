"""A quiz shared by two hubs has results on each and overall: an attempt counts where the
reader took the quiz (a pair where its pre-test was), an editor sees their hubs' readers
only, and a superuser every hub's or one hub's."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hubs import directory
from quizzes.attempts import record_attempt
from quizzes.exports import LONG_HEADER
from quizzes.follow_ups import send_follow_ups
from quizzes.models import Attempt, Commitment, OutcomeCount
from quizzes.report import quiz_report
from quizzes.tallies import recount
from tests.articles.factories import make_article, make_topic
from tests.conftest import Client
from tests.hubs.conftest import LYMPHOMA
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

READERS = {"myeloma": 6, "lymphoma": 7}


def take(quiz, user, stage, right, hub, **extra):
    """The reader answers on `hub`: `right` questions correctly."""
    questions = quiz.ordered_questions(seed=user.pk)
    chosen = {
        q.pk: [c.pk for c in q.choices.all() if c.is_correct == (n < right)][:1]
        or [q.choices.first().pk]
        for n, q in enumerate(questions)
    }
    with directory.activated(directory.directory().by_id(hub.pk)):
        return record_attempt(quiz, user, stage, questions, chosen, **extra)


@pytest.fixture
def shared_quiz(two_hubs):
    """A myeloma quiz shared with the lymphoma hub, taken by readers on each."""
    myeloma, lymphoma = two_hubs
    article = make_article("CRS after CAR T", hub=myeloma)
    article.shared_with.add(lymphoma)
    quiz = make_quiz(article, title="CRS quiz")
    users = get_user_model().objects
    for name, hub in (("myeloma", myeloma), ("lymphoma", lymphoma)):
        for n in range(READERS[name]):
            user = users.create(email=f"{name}{n}@example.org", profession="physician")
            take(quiz, user, "before", 0, hub)
            take(quiz, user, "after", 3, hub, commitment="Grade CRS daily")
    return quiz, myeloma, lymphoma


def pairs(report):
    return sum(report.overall.score_table.values())


def test_results_are_counted_per_hub_and_overall(shared_quiz):
    quiz, myeloma, lymphoma = shared_quiz

    assert pairs(quiz_report(quiz)) == 13
    assert pairs(quiz_report(quiz, hubs={myeloma.pk})) == 6
    assert pairs(quiz_report(quiz, hubs={lymphoma.pk})) == 7
    by_hub = Attempt.objects.values_list("hub_id", flat=True)
    assert sorted(set(by_hub)) == [myeloma.pk, lymphoma.pk]
    assert Commitment.objects.filter(hub=lymphoma).count() == 7


def test_a_pair_counts_where_its_pre_test_was(shared_quiz):
    quiz, myeloma, lymphoma = shared_quiz
    reader = get_user_model().objects.create(email="mover@example.org")

    take(quiz, reader, "before", 0, lymphoma)
    post = take(quiz, reader, "after", 3, myeloma)

    assert post.hub_id == lymphoma.pk
    assert pairs(quiz_report(quiz, hubs={lymphoma.pk})) == 8
    assert pairs(quiz_report(quiz, hubs={myeloma.pk})) == 6


def test_counting_again_gives_the_same_counts_per_hub(shared_quiz):
    quiz, *_ = shared_quiz
    kept = set(OutcomeCount.objects.values_list("hub_id", "quarter", "kind", "value", "n"))

    recount(quiz.pk)

    assert set(OutcomeCount.objects.values_list("hub_id", "quarter", "kind", "value", "n")) == kept
    call_command("rebuild_outcome_counts", verbosity=0)
    assert set(OutcomeCount.objects.values_list("hub_id", "quarter", "kind", "value", "n")) == kept


@pytest.fixture
def editor_of(make_editor):
    def make(*hubs):
        editor = make_editor(f"editor-{len(hubs)}@example.com", hubs=hubs, is_superuser=False)
        editor.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_quiz", "view_attempt"])
        )
        client = Client()
        client.force_login(editor)
        return client

    return make


def test_an_editor_of_the_hub_it_is_shared_with_sees_that_hubs_results_only(shared_quiz, editor_of):
    quiz, myeloma, lymphoma = shared_quiz
    client = editor_of(lymphoma)

    response = client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk]))

    assert response.status_code == 200
    assert pairs(response.context["report"]) == 7
    assert 'name="hub"' not in response.content.decode()  # one hub: nothing to choose
    # Asking for the other hub's figures by address gives theirs, not the other's.
    url = reverse("admin:quizzes_quiz_results", args=[quiz.pk])
    response = client.get(f"{url}?hub={myeloma.pk}")
    assert pairs(response.context["report"]) == 7
    assert response.context["cme"].post_tests == 7


def test_a_superuser_sees_every_hub_and_each_hub(shared_quiz, make_editor):
    quiz, _, lymphoma = shared_quiz
    client = Client()
    client.force_login(make_editor(is_superuser=True))
    url = reverse("admin:quizzes_quiz_results", args=[quiz.pk])

    everyone = client.get(url)
    one = client.get(f"{url}?hub={lymphoma.pk}")

    assert pairs(everyone.context["report"]) == 13
    assert everyone.context["cme"].post_tests == 13
    html = everyone.content.decode()
    assert 'name="hub"' in html and "Every hub" in html
    assert pairs(one.context["report"]) == 7 and one.context["cme"].post_tests == 7
    assert f"hub={lymphoma.pk}" in one.content.decode()  # the CSV links keep the hub


def test_an_editor_sees_their_hubs_attempts_only(shared_quiz, editor_of):
    *_, lymphoma = shared_quiz
    client = editor_of(lymphoma)

    response = client.get(reverse("admin:quizzes_attempt_changelist"))

    assert response.status_code == 200
    listed = response.context["cl"]
    assert listed.result_count == 14  # 7 readers, before and after
    assert {attempt.hub_id for attempt in listed.result_list} == {lymphoma.pk}


def test_per_reader_files_are_per_hub(
    shared_quiz, editor_of, make_editor, django_capture_on_commit_callbacks
):
    quiz, _, lymphoma = shared_quiz
    client = editor_of(lymphoma)
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs at once here
        client.post(reverse("admin:quizzes_quiz_answers_csv", args=[quiz.pk]))

    export = quiz.answer_exports.get()
    assert export.hubs == str(lymphoma.pk), export.status
    assert export.status == "ready" and export.rows == 7 * 2 * 3
    url = reverse("admin:quizzes_quiz_answers_csv", args=[quiz.pk]) + f"?export={export.pk}"
    rows = list(csv.reader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    start = rows.index(LONG_HEADER) + 1
    assert len({row[0] for row in rows[start:]}) == 7  # the lymphoma hub's readers
    # Every hub's figures are another file: this one is not offered as theirs.
    superuser = Client()
    superuser.force_login(make_editor(is_superuser=True))
    page = superuser.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk]))
    assert list(page.context["exports"]) == []
    assert superuser.get(url).status_code == 404


def test_a_follow_up_speaks_for_the_hub_where_the_commitment_was_made(shared_quiz, settings):
    settings.HUB_BASE_URL = "https://testserver"  # links take its scheme
    _, myeloma, lymphoma = shared_quiz
    theirs = Commitment.objects.filter(hub=lymphoma).first()
    ours = Commitment.objects.filter(hub=myeloma).first()

    send_follow_ups.call(30, [theirs.pk, ours.pk])

    sent = {message.to[0]: message for message in mail.outbox}
    lymphoma_mail, myeloma_mail = sent[theirs.user.email], sent[ours.user.email]
    assert lymphoma_mail.subject.startswith("[Lymphoma Matters]")
    assert f"https://{LYMPHOMA}/" in lymphoma_mail.body
    assert myeloma_mail.subject.startswith("[Myeloma Matters]")
    assert LYMPHOMA not in myeloma_mail.body and "https://testserver/" in myeloma_mail.body


def test_the_articles_readers_are_counted_where_they_read_it(shared_quiz, settings, make_user):
    settings.HUB_REACH_FLUSH_SECONDS = 0
    quiz, myeloma, lymphoma = shared_quiz
    beacon = reverse("articles:seen", args=[quiz.article_id])
    for n, host in enumerate(["testserver", LYMPHOMA, LYMPHOMA]):
        client = Client(HTTP_HOST=host)
        client.force_login(make_user(f"reader-{n}@example.org"))
        assert client.get(beacon).status_code == 200

    assert quiz_report(quiz).article_reader_days == 3
    assert quiz_report(quiz, hubs={lymphoma.pk}).article_reader_days == 2
    assert quiz_report(quiz, hubs={myeloma.pk}).article_reader_days == 1


def test_the_desk_counts_new_attempts_on_the_editors_hubs(shared_quiz, editor_of, make_editor):
    *_, lymphoma = shared_quiz
    superuser = Client()
    superuser.force_login(make_editor(is_superuser=True))

    theirs = editor_of(lymphoma).get(reverse("admin:index")).content.decode()
    everyone = superuser.get(reverse("admin:index")).content.decode()

    assert "CRS quiz" in theirs and "14 new attempts" in theirs  # 7 readers, twice
    assert "26 new attempts" in everyone


def test_outcomes_by_topic_per_hub_and_across_hubs(shared_quiz, editor_of, make_editor):
    quiz, _, lymphoma = shared_quiz
    topic = make_topic("Cellular therapy", hub=quiz.article.hub)
    quiz.article.topics.add(topic)
    superuser = Client()
    superuser.force_login(make_editor(is_superuser=True))
    url = reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug])

    everyone = superuser.get(url)
    one = superuser.get(f"{url}?hub={lymphoma.pk}")
    theirs = editor_of(lymphoma).get(url)

    assert everyone.context["outcomes"].pairs == 13
    assert 'name="hub"' in everyone.content.decode()
    assert one.context["outcomes"].pairs == 7
    assert theirs.context["outcomes"].pairs == 7
    assert 'name="hub"' not in theirs.content.decode()
