"""Models and migrations agree: no change is left without its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations(capsys):
    call_command("makemigrations", "--check", "--dry-run", verbosity=1)

    assert "No changes detected" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_consent_records_and_subscribers_survive_the_move_to_their_own_apps():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("hub", "0003_subscriber_language"), ("consent", None), ("newsletter", None)]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[:1]).apps
    old.get_model("hub", "Subscriber").objects.create(email="kept@example.org")
    Record = old.get_model("hub", "ConsentRecord")
    for action in ("accept", "decline", "accept"):
        Record.objects.create(group="analytics", version="1", action=action)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    assert list(
        new.get_model("newsletter", "Subscriber").objects.values_list("email", flat=True)
    ) == ["kept@example.org"]
    tallies = new.get_model("consent", "ConsentTally").objects.values_list("action", "count")
    assert sorted(tallies) == [("accept", 2), ("decline", 1)]
    assert not new.get_model("consent", "ConsentRecord").objects.exists()


@pytest.mark.django_db(transaction=True)
def test_free_text_specialties_become_codes():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0003_patient_organisations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    User = executor.loader.project_state(before).apps.get_model("accounts", "User")
    typed = {
        "a@example.org": "Haematology",
        "b@example.org": "hematology/oncology",
        "c@example.org": "Pediatric hematology",
        "d@example.org": "BMT and cellular therapy",
        "e@example.org": "Dermatology",
        "f@example.org": "",
    }
    for email, specialty in typed.items():
        User.objects.create(email=email, specialty=specialty)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.auth import get_user_model

    coded = dict(get_user_model().objects.values_list("email", "specialty"))
    assert coded == {
        "a@example.org": "haematology",
        "b@example.org": "haemato-oncology",
        "c@example.org": "paediatric-haematology",
        "d@example.org": "transplantation",
        "e@example.org": "other",
        "f@example.org": "",
    }


@pytest.mark.django_db(transaction=True)
def test_past_attempts_get_one_pseudonym_per_reader_strata_and_pairs():
    import uuid

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("quizzes", "0002_answers_go_with_their_quiz"),
        ("accounts", "0003_patient_organisations"),
        ("articles", "0003_published_at_set_on_publish"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    reader = old.get_model("accounts", "User").objects.create(
        email="r@example.org", profession="nurse", specialty="Hematology", country="ES"
    )
    article = old.get_model("articles", "Article").objects.create(
        title="A", slug="a", summary="s", body="b",
        article_type=old.get_model("articles", "ArticleType").objects.create(name="T", slug="t"),
    )  # fmt: skip
    quiz = old.get_model("quizzes", "Quiz").objects.create(article=article, title="Q")
    question = old.get_model("quizzes", "Question").objects.create(quiz=quiz, text="?")
    Choice = old.get_model("quizzes", "Choice")
    right = Choice.objects.create(question=question, text="R", is_correct=True)
    wrong = Choice.objects.create(question=question, text="W")
    Attempt, Answer = old.get_model("quizzes", "Attempt"), old.get_model("quizzes", "Answer")
    # The old race: the two attempts got different participant ids.
    for stage, choice in (("before", wrong), ("after", right)):
        attempt = Attempt.objects.create(
            quiz=quiz, user=reader, stage=stage, participant=uuid.uuid4(),
            score=int(choice == right), total=1,
        )  # fmt: skip
        answer = Answer.objects.create(
            attempt=attempt, question=question, is_correct=choice == right
        )
        answer.choices.add(choice)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from quizzes.models import Answer as NewAnswer
    from quizzes.models import Attempt as NewAttempt
    from quizzes.models import Participant

    attempts = NewAttempt.objects.order_by("created_at")
    assert len({a.participant for a in attempts}) == 1
    assert Participant.objects.get().key == attempts[0].participant
    assert {(a.profession, a.specialty, a.country.code) for a in attempts} == {
        ("nurse", "haematology", "ES")
    }
    post = attempts.get(stage="after")
    assert post.score_before == 0
    answer = NewAnswer.objects.get(attempt=post)
    assert (answer.picked, answer.correct_before, answer.picked_before) == (
        str(right.pk),
        False,
        str(wrong.pk),
    )


@pytest.mark.django_db(transaction=True)
def test_live_sessions_survive_the_move_to_sessions_that_name_their_reader():
    """Nobody is logged out by the upgrade; a session names its reader from then on."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = [("accounts", "0005_feeds_and_specialties_merged"), ("sessions", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    reader = old.get_model("accounts", "User").objects.create(email="kept@example.org")
    OldSession = old.get_model("sessions", "Session")
    later = timezone.now() + timezone.timedelta(days=1)
    encode = SessionStore().encode
    OldSession.objects.create(
        session_key="a" * 32, session_data=encode({SESSION_KEY: str(reader.pk)}), expire_date=later
    )
    OldSession.objects.create(session_key="b" * 32, session_data=encode({}), expire_date=later)
    OldSession.objects.create(
        session_key="c" * 32,
        session_data=encode({SESSION_KEY: str(reader.pk)}),
        expire_date=timezone.now() - timezone.timedelta(days=1),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    sessions = new.get_model("accounts", "Session").objects.order_by("session_key")
    assert list(sessions.values_list("session_key", "user_id")) == [
        ("a" * 32, reader.pk),
        ("b" * 32, None),
    ]


@pytest.mark.django_db(transaction=True)
def test_attempts_from_before_the_outcome_counts_are_counted():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from quizzes.models import Quiz
    from quizzes.report import build_report
    from tests.quizzes.factories import SINGLE, make_quiz

    executor = MigrationExecutor(connection)
    before = [("quizzes", "0008_cme_and_outcomes_merged")]
    executor.migrate(before)  # the rest stays as it is
    old = executor.loader.project_state(before).apps  # attempts as they were then
    Attempt, Answer = old.get_model("quizzes", "Attempt"), old.get_model("quizzes", "Answer")
    quiz = make_quiz(questions=[(SINGLE, "?", [("R", True), ("W", False)])])
    question = quiz.questions.get()
    right, wrong = (str(c.pk) for c in question.choices.order_by("-is_correct"))
    # A reader whose account has gone since: their attempts stay, and count.
    pre = Attempt.objects.create(
        quiz_id=quiz.pk, stage="before", score=0, total=1, profession="nurse"
    )
    Answer.objects.create(attempt=pre, question_id=question.pk, is_correct=False, picked=wrong)
    post = Attempt.objects.create(
        quiz_id=quiz.pk, stage="after", score=1, total=1, profession="nurse",
        participant=pre.participant, started_at=pre.started_at, score_before=0,
    )  # fmt: skip
    Answer.objects.create(
        attempt=post, question_id=question.pk, is_correct=True, picked=right,
        correct_before=False, picked_before=wrong,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    report = build_report(Quiz.objects.select_related("article").get(pk=quiz.pk), by="profession")
    (nurses,) = report.strata
    assert (nurses.readers, nurses.score_table) == (1, {(0, 1): 1})
    assert (nurses.questions[0].wrong_right, nurses.questions[0].all_before) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_the_one_brand_becomes_the_first_hubs_and_more_brands_can_follow(settings):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    settings.HUB_BASE_URL = "https://myeloma.example.org"
    before = [("brand", "0001_initial"), ("hubs", None)]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[:1]).apps
    old.get_model("brand", "Brand").objects.create(id=1, name="Myeloma Matters")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    Hub, Brand = new.get_model("hubs", "Hub"), new.get_model("brand", "Brand")
    first = Hub.objects.get()
    assert (first.name, first.is_default) == ("Myeloma Matters", True)
    assert list(first.hosts.values_list("host", "is_primary")) == [("myeloma.example.org", True)]
    assert Brand.objects.get().hub == first
    second = Hub.objects.create(slug="lymphoma", name="Lymphoma")
    assert Brand.objects.create(hub=second, name="Lymphoma Matters").pk != 1
