"""Editors write quizzes on one page; the admin keeps questions sound and results comparable."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Choice, Question, Quiz
from tests.articles.factories import make_article
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

LOCKED = "Readers have already answered this quiz"


@pytest.fixture
def editor_client(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    return client


def quiz_data(quiz=None, article=None, questions=None):
    """The admin form as an editor would submit it, from an existing quiz or from scratch.

    `questions` is a list of dicts: {"text", "kind", "choices": [(text, correct), ...]}.
    """
    if quiz is not None:
        questions = [
            {
                "id": q.pk,
                "text": q.text,
                "kind": q.kind,
                "explanation": q.explanation,
                "choices": [(c.text, c.is_correct, c.pk) for c in q.choices.all()],
            }
            for q in quiz.questions.all()
        ]
    data = {
        "article": (quiz.article_id if quiz else article.pk),
        "title": quiz.title if quiz else "A new quiz",
        "is_published": "on",
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": sum(1 for q in questions if q.get("id")),
    }
    for i, question in enumerate(questions):
        prefix = f"questions-{i}"
        data.update(
            {
                f"{prefix}-id": question.get("id", ""),
                f"{prefix}-quiz": quiz.pk if quiz else "",
                f"{prefix}-text": question["text"],
                f"{prefix}-kind": question["kind"],
                f"{prefix}-measures": question.get("measures", "knowledge"),
                f"{prefix}-explanation": question.get("explanation", ""),
                f"{prefix}-order": i,
                f"{prefix}-choices-TOTAL_FORMS": len(question["choices"]),
                f"{prefix}-choices-INITIAL_FORMS": sum(
                    1 for c in question["choices"] if len(c) > 2
                ),
            }
        )
        for j, choice in enumerate(question["choices"]):
            cp = f"{prefix}-choices-{j}"
            data.update(
                {
                    f"{cp}-id": choice[2] if len(choice) > 2 else "",
                    f"{cp}-question": question.get("id", ""),
                    f"{cp}-text": choice[0],
                    f"{cp}-order": j,
                }
            )
            if choice[1]:
                data[f"{cp}-is_correct"] = "on"
    return data


def add(editor_client, questions):
    article = make_article()
    return editor_client.post(
        reverse("admin:quizzes_quiz_add"), quiz_data(article=article, questions=questions)
    )


def test_editor_writes_a_quiz_with_questions_and_choices_on_one_page(editor_client):
    response = add(
        editor_client,
        [
            {"text": "Single?", "kind": "single", "choices": [("Yes", True), ("No", False)]},
            {"text": "Multiple?", "kind": "multiple",
             "choices": [("A", True), ("B", True), ("C", False)]},
        ],
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[-3000:]
    quiz = Quiz.objects.get()
    assert [q.text for q in quiz.questions.all()] == ["Single?", "Multiple?"]
    assert Choice.objects.filter(question__quiz=quiz, is_correct=True).count() == 3


@pytest.mark.parametrize(
    ("question", "error"),
    [
        ({"kind": "single", "choices": [("Only", True)]}, "at least two choices"),
        ({"kind": "single", "choices": [("A", False), ("B", False)]}, "Mark at least one"),
        ({"kind": "multiple", "choices": [("A", False), ("B", False)]}, "Mark at least one"),
        (
            {"kind": "single", "choices": [("A", True), ("B", True)]},
            "A single-best-answer question has exactly one correct choice.",
        ),
    ],
)
def test_unsound_questions_are_refused_with_a_message(editor_client, question, error):
    response = add(editor_client, [{"text": "Q?", **question}])

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Quiz.objects.exists() and not Question.objects.exists()


def test_deleting_a_question_skips_its_checks(editor_client):
    quiz = make_quiz()
    data = quiz_data(quiz)
    data["questions-0-DELETE"] = "on"
    data["questions-0-choices-0-is_correct"] = ""  # would be invalid if kept

    response = editor_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert quiz.questions.count() == 2


@pytest.fixture
def answered(reader):
    quiz = make_quiz()
    Attempt.objects.create(quiz=quiz, user=reader, stage="before", score=1, total=3)
    return quiz


def test_a_locked_quiz_shows_a_banner_and_read_only_fields(editor_client, answered):
    html = editor_client.get(
        reverse("admin:quizzes_quiz_change", args=[answered.pk])
    ).content.decode()

    def field(name):
        return re.search(rf'<(input|textarea|select)[^>]*name="{name}"[^>]*>', html).group(0)

    assert LOCKED in html
    for name in ("questions-0-text", "questions-0-kind", "questions-0-choices-0-text",
                 "questions-0-choices-0-is_correct", "shuffle"):  # fmt: skip
        assert " disabled" in field(name), name
    assert 'name="article"' not in html, "shown as text"
    for name in ("title", "questions-0-explanation", "questions-0-objective"):
        assert " disabled" not in field(name), name


@pytest.mark.parametrize(
    "change",
    [
        "swap correct choice text",
        "flip correct",
        "delete choice",
        "add question",
        "kind",
        "reword question",
        "move to another article",
        "turn on shuffle",
        "mark as demo",
    ],
)
def test_answered_quizzes_ignore_what_would_corrupt_results(editor_client, answered, change):
    data = quiz_data(answered)
    other = make_article()
    if change == "swap correct choice text":
        data["questions-0-choices-0-text"], data["questions-0-choices-1-text"] = (
            data["questions-0-choices-1-text"],
            data["questions-0-choices-0-text"],
        )
    elif change == "flip correct":
        data["questions-0-choices-1-is_correct"] = "on"
        data.pop("questions-0-choices-0-is_correct")
    elif change == "delete choice":
        data["questions-0-choices-2-DELETE"] = "on"
    elif change == "add question":
        data["questions-TOTAL_FORMS"] = 4
        data.update(
            {
                "questions-3-text": "New?",
                "questions-3-kind": "single",
                "questions-3-order": 3,
                "questions-3-quiz": answered.pk,
                "questions-3-choices-TOTAL_FORMS": 2,
                "questions-3-choices-INITIAL_FORMS": 0,
                "questions-3-choices-0-text": "Y",
                "questions-3-choices-0-is_correct": "on",
                "questions-3-choices-1-text": "N",
            }
        )
    elif change == "kind":
        data["questions-0-kind"] = "multiple"
    elif change == "reword question":
        data["questions-0-text"] = "Which trial compared BVd with DVd (reworded)?"
    elif change == "move to another article":
        data["article"] = other.pk
    elif change == "mark as demo":
        data["is_demo"] = "on"
    else:
        data["shuffle"] = "on"
    data["questions-0-explanation"] = "A corrected explanation."
    before = list(Choice.objects.values_list("pk", "text", "is_correct").order_by("pk"))
    questions = list(Question.objects.values_list("pk", "text", "kind").order_by("pk"))

    response = editor_client.post(reverse("admin:quizzes_quiz_change", args=[answered.pk]), data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    assert list(Choice.objects.values_list("pk", "text", "is_correct").order_by("pk")) == before
    assert list(Question.objects.values_list("pk", "text", "kind").order_by("pk")) == questions
    answered.refresh_from_db()
    assert (answered.article_id, answered.shuffle) != (other.pk, True)
    assert not answered.is_demo, "attempts copied the flag: it may not change under them"
    assert not answered.shuffle and answered.article_id != other.pk
    assert answered.questions.first().explanation == "A corrected explanation."


def test_questions_are_tied_to_their_articles_objectives(editor_client):
    article = make_article(objectives=["Name the comparator", "Grade keratopathy"])
    foreign = make_article(objectives=["Somebody else's objective"])
    quiz = make_quiz(article)
    data = quiz_data(quiz)
    first, second = article.learning_objectives.all()
    data["questions-0-objective"] = second.pk
    data["questions-1-objective"] = foreign.learning_objectives.get().pk

    refused = editor_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    data["questions-1-objective"] = first.pk
    saved = editor_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)

    assert refused.status_code == 200
    assert saved.status_code == 302
    assert list(quiz.questions.values_list("objective_id", flat=True)) == [
        second.pk, first.pk, None
    ]  # fmt: skip


def test_the_article_admin_links_to_its_quiz(editor_client):
    quiz = make_quiz()
    bare = make_article()

    with_quiz = editor_client.get(reverse("admin:articles_article_change", args=[quiz.article.pk]))
    without = editor_client.get(reverse("admin:articles_article_change", args=[bare.pk]))

    assert f'href="{reverse("admin:quizzes_quiz_change", args=[quiz.pk])}"' in (
        with_quiz.content.decode()
    )
    assert f"{reverse('admin:quizzes_quiz_add')}?article={bare.pk}" in without.content.decode()


def test_an_unpublished_quiz_can_be_previewed(editor_client, client, reader):
    quiz = make_quiz(published=False)

    html = editor_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk])).content.decode()

    assert "Not published: readers do not see this quiz yet." in html
    assert "DREAMM-7 <strong>(correct)</strong>" in html
    client.force_login(reader)
    assert client.get(reverse("quizzes:take", args=[quiz.pk, "before"])).status_code == 404


def test_a_published_quiz_needs_at_least_one_question(editor_client):
    response = add(editor_client, [])

    assert response.status_code == 200
    assert "A published quiz needs at least one question." in response.content.decode()
    assert not Quiz.objects.exists()


def test_a_draft_quiz_may_wait_for_its_questions(editor_client):
    data = quiz_data(article=make_article(), questions=[])
    del data["is_published"]

    response = editor_client.post(reverse("admin:quizzes_quiz_add"), data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    quiz = Quiz.objects.get()
    assert not quiz.is_published and not quiz.questions.exists()


def test_the_objectives_of_the_chosen_article_are_offered_before_a_first_save(editor_client):
    article = make_article(objectives=["Name the comparator", "Grade keratopathy"])
    make_article(objectives=["Another article's objective"])

    answer = editor_client.get(reverse("admin:quizzes_quiz_objectives"), {"article": article.pk})
    add_page = editor_client.get(reverse("admin:quizzes_quiz_add"), {"article": article.pk})

    assert [o["text"] for o in answer.json()["objectives"]] == [
        "Name the comparator",
        "Grade keratopathy",
    ]
    assert answer["Cache-Control"].startswith("no-store") or "no-store" in answer["Cache-Control"]
    html = add_page.content.decode()
    assert "Grade keratopathy" in html and "Another article" not in html
    assert f'data-objectives-url="{reverse("admin:quizzes_quiz_objectives")}"' in html


def test_a_question_may_take_an_objective_on_the_quizs_first_save(editor_client):
    article = make_article(objectives=["Name the comparator"])
    data = quiz_data(
        article=article,
        questions=[{"text": "Which?", "kind": "single", "choices": [("A", True), ("B", False)]}],
    )
    data["questions-0-objective"] = article.learning_objectives.get().pk

    response = editor_client.post(reverse("admin:quizzes_quiz_add"), data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Question.objects.get().objective.text == "Name the comparator"


def test_readers_cannot_list_objectives(client, reader):
    client.force_login(reader)

    response = client.get(reverse("admin:quizzes_quiz_objectives"), {"article": 1})

    assert response.status_code == 302


def test_an_answered_question_is_tied_to_an_objective_once(client, make_user, make_editor):
    from quizzes.report import quiz_report
    from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers

    editor_client = client
    editor = make_editor(is_superuser=True)
    article = make_article(objectives=["Name the comparator", "Grade keratopathy"])
    quiz = make_quiz(article)
    for n in range(5):
        client.force_login(make_user(f"tie{n}@example.com"))
        for stage, picks in (("before", ONE_RIGHT), ("after", ALL_RIGHT)):
            client.post(reverse("quizzes:take", args=[quiz.pk, stage]), answers(quiz, picks))
    editor_client.force_login(editor)
    first, second = article.learning_objectives.all()
    data = quiz_data(quiz)
    data["questions-0-objective"] = first.pk

    editor_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    data["questions-0-objective"] = second.pk
    editor_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)

    assert quiz.questions.first().objective == first
    (objective, *_rest) = quiz_report(quiz).overall.objectives
    assert (objective.improved, objective.worsened, objective.unchanged) == (5, 0, 0)


def test_a_new_quiz_ties_questions_to_objectives_when_added_from_its_article(editor_client):
    article = make_article(objectives=["Name the comparator"])
    objective = article.learning_objectives.get()
    data = quiz_data(
        article=article,
        questions=[{"text": "Q?", "kind": "single", "choices": [("Y", True), ("N", False)]}],
    )
    data["questions-0-objective"] = objective.pk

    form = editor_client.get(reverse("admin:quizzes_quiz_add") + f"?article={article.pk}")
    response = editor_client.post(reverse("admin:quizzes_quiz_add"), data)

    assert f'<option value="{objective.pk}">Name the comparator</option>' in form.content.decode()
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Question.objects.get().objective == objective
