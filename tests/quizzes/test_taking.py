"""Readers take a quiz before and after reading; scoring, limits and bad input."""

import re
import threading

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from quizzes.models import Answer, Attempt, Question
from tests.articles.factories import make_article
from tests.quizzes.factories import (
    ALL_RIGHT,
    MULTIPLE,
    ONE_RIGHT,
    SINGLE,
    answers,
    make_quiz,
    take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return make_quiz(
        make_article(
            "Belantamab in relapse",
            references=[{"authors": "Hungria V, et al.", "title": "DREAMM-7 paper"}],
        )
    )


def test_article_invites_to_the_quiz_before_and_after(reader_client, quiz):
    html = reader_client.get(quiz.article.get_absolute_url()).content.decode()

    assert "Test your knowledge!" in html
    assert (
        "Take our quick quiz before and after you read this article to find out if you "
        "improved your knowledge. Results help us to improve content." in html
    )
    assert f'href="/quizzes/{quiz.pk}/before/">Take the quiz before reading</a>' in html
    assert f'href="/quizzes/{quiz.pk}/after/">Take the quiz after reading</a>' in html
    assert html.index("Take the quiz before reading") < html.index("Take the quiz after reading")


def test_visitors_are_sent_to_log_in_and_brought_back(client, quiz):
    response = client.get(reverse("quizzes:take", args=[quiz.pk, "before"]))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/quizzes/{quiz.pk}/before/"


def test_quiz_form_asks_each_question_with_radios_or_checkboxes(reader_client, quiz):
    html = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"])).content.decode()

    assert "<legend>1. Which trial compared BVd with DVd?</legend>" in html
    assert html.count('type="radio"') == 3 + 2
    assert html.count('type="checkbox"') == 3
    assert "Select all that apply." in html
    assert html.index("DREAMM-7") < html.index("DREAMM-8") < html.index("KarMMa-3")


@pytest.mark.parametrize("picks", [ONE_RIGHT, ALL_RIGHT, [{"DREAMM-8"}, {"Talquetamab"}, {"CRS"}]])
def test_the_pre_test_reveals_neither_score_nor_answers(reader_client, quiz, picks):
    """A score of 0/N or N/N would tell the reader every verdict before the post-test,
    and hiding only those would tell by its absence: no score is shown until then."""
    response = take(reader_client, quiz, "before", picks)

    assert response["Location"] == reverse("quizzes:result", args=[quiz.pk])
    html = reader_client.get(response["Location"]).content.decode()
    history = reader_client.get(reverse("quizzes:history")).content.decode()
    assert "Your answers before reading are saved." in html
    assert not re.search(r"\d of 3", html + history)
    assert not re.search(r"<td>\d+/3</td>", history)
    assert "Taken (score shown after the quiz after reading)" in history
    assert "Correct answer" not in html and "Because of" not in html
    assert f'href="{quiz.article.get_absolute_url()}"' in html
    attempt = Attempt.objects.get()
    assert (attempt.stage, attempt.total) == ("before", 3)
    article = reader_client.get(quiz.article.get_absolute_url()).content.decode()
    assert "You took the quiz before reading. Your score is shown" in article
    assert not re.search(r"\d of 3", article)


@pytest.mark.parametrize(
    ("picks", "score"),
    [
        (ALL_RIGHT, 3),
        ([{"DREAMM-7"}, {"Ide-cel"}, {"Keratopathy"}], 2),  # multiple: one missing is wrong
        ([{"DREAMM-7"}, {"Ide-cel", "Teclistamab", "Talquetamab"}, {"CRS"}], 1),  # one too many
        ([{"KarMMa-3"}, {"Talquetamab"}, {"CRS"}], 0),
    ],
)
def test_scoring_single_and_multiple_response(reader_client, quiz, picks, score):
    take(reader_client, quiz, "before", picks)

    assert Attempt.objects.get().score == score


def test_post_test_compares_before_and_after_with_explanations(reader_client, quiz):
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)

    html = reader_client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()

    assert "<td>1 of 3</td>" in html and "<td>3 of 3</td>" in html and "<td>+2</td>" in html
    assert "Your answer before" in html and "Correct answer" in html
    assert "Because of Which trial compared BVd with DVd?" in html
    assert '<a href="#ref-1" id="cite-1">1</a>' in html and 'id="cite-1-2"' in html
    assert '<li id="ref-1">Hungria V, et al.' in html
    pre, post = Attempt.objects.get(stage="before"), Attempt.objects.get(stage="after")
    assert pre.participant == post.participant


def test_post_test_without_pre_test_is_allowed_and_said(reader_client, quiz):
    take(reader_client, quiz, "after", ALL_RIGHT)

    html = reader_client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()

    assert "Not taken" in html
    assert "You did not take this quiz before reading, so there is no comparison." in html


def test_second_submission_changes_nothing(reader_client, quiz):
    take(reader_client, quiz, "before", ONE_RIGHT)

    again = take(reader_client, quiz, "before", ALL_RIGHT)
    revisit = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"]))

    assert again.status_code == 302 and revisit.status_code == 302
    assert Attempt.objects.get().score == 1
    assert Answer.objects.count() == 3


def test_the_database_allows_one_attempt_per_reader_and_stage(quiz, reader):
    Attempt.objects.create(quiz=quiz, user=reader, stage="before", score=0, total=3)

    with pytest.raises(IntegrityError):
        Attempt.objects.create(quiz=quiz, user=reader, stage="before", score=1, total=3)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers anyway")
def test_two_tabs_submitting_at_once_store_one_attempt(reader, client):
    quiz = make_quiz()
    from tests.conftest import Client

    results = []

    def submit():
        tab = Client()
        tab.force_login(reader)
        results.append(take(tab, quiz, "before", ALL_RIGHT).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [302] * 4
    assert Attempt.objects.filter(user=reader).count() == 1
    assert Answer.objects.count() == 3


def test_nothing_selected_rerenders_with_errors_and_stores_nothing(reader_client, quiz):
    data = answers(quiz, ALL_RIGHT)
    data.pop(f"question_{quiz.questions.first().pk}")

    response = reader_client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please answer every question." in html
    # The summary links each error, a sentence of its own, to its question.
    assert (
        '<li><a href="#id_question_' in html
        and '_0">Select an answer to question 1.</a></li>' in html
    )
    assert "?:" not in html
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_the_quiz_names_its_article_without_doubled_punctuation(reader_client):
    quiz = make_quiz(article=make_article("What is new in CAR-T therapies?"))

    html = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"])).content.decode()

    assert "On the article <cite><a href=" in html
    assert ">What is new in CAR-T therapies?</a></cite></p>" in html
    assert "?." not in html and "quiz on What" not in html


@pytest.mark.parametrize(
    "tamper",
    [
        "choice from another question",
        "unknown choice",
        "not a number",
        "two radios",
        "one checkbox twice",
        "unicode digit",
    ],
)
def test_tampered_forms_are_rejected_and_store_nothing(reader_client, quiz, tamper):
    first, second = quiz.questions.all()[:2]
    multiple = quiz.questions.get(kind=Question.Kind.MULTIPLE)
    data = answers(quiz, ALL_RIGHT)
    field = f"question_{first.pk}"
    if tamper == "one checkbox twice":
        field = f"question_{multiple.pk}"
    right = str(multiple.choices.filter(is_correct=True).first().pk)
    data[field] = {
        "choice from another question": str(second.choices.first().pk),
        "unknown choice": "999999",
        "not a number": "DROP TABLE",
        "two radios": [str(c.pk) for c in first.choices.all()[:2]],
        "one checkbox twice": [right, right],
        "unicode digit": "²",
    }[tamper]

    response = reader_client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert "already taken" not in html
    assert not Attempt.objects.exists()


def test_unpublished_meanwhile_is_a_404_and_stores_nothing(reader_client, quiz):
    data = answers(quiz, ALL_RIGHT)
    quiz.is_published = False
    quiz.save()

    response = reader_client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), data)

    assert response.status_code == 404
    assert not Attempt.objects.exists()


def test_quiz_on_a_draft_article_is_a_404(reader_client):
    quiz = make_quiz(make_article(published=False))

    assert reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"])).status_code == 404


def test_unknown_stage_and_quiz_are_404(reader_client, quiz):
    assert reader_client.get(f"/quizzes/{quiz.pk}/during/").status_code == 404
    assert reader_client.get("/quizzes/999999/before/").status_code == 404


def test_results_before_any_attempt_send_to_the_quiz(reader_client, quiz):
    response = reader_client.get(reverse("quizzes:result", args=[quiz.pk]))

    assert response["Location"] == reverse("quizzes:take", args=[quiz.pk, "before"])


def test_quiz_history_in_my_account(reader_client, quiz):
    other = make_quiz(title="Another quiz")
    take(reader_client, quiz, "before", ONE_RIGHT)
    take(reader_client, quiz, "after", ALL_RIGHT)
    take(reader_client, other, "before", ALL_RIGHT)

    html = reader_client.get(reverse("quizzes:history")).content.decode()

    assert "Quick quiz" in html and "Another quiz" in html
    assert "<td>1/3</td>" in html and "<td>3/3</td>" in html and "<td>+2</td>" in html
    assert f'href="/quizzes/{other.pk}/after/">Take it</a>' in html
    assert 'aria-current="page">Quiz history</a>' in html


def test_shuffled_quiz_keeps_the_same_order_for_a_reader(reader_client):
    quiz = make_quiz(
        questions=[(SINGLE, f"Question {n}", [(f"A{n}", True), (f"B{n}", False), (f"C{n}", False)])
                   for n in range(6)],
        shuffle=True,
    )  # fmt: skip
    url = reverse("quizzes:take", args=[quiz.pk, "before"])

    first = reader_client.get(url).content.decode()
    second = reader_client.get(url).content.decode()

    def order(html):
        import re

        return re.findall(r"<legend>\d+\. (Question \d)</legend>", html)

    assert order(first) == order(second)
    assert sorted(order(first)) == [f"Question {n}" for n in range(6)]


def test_submitting_and_results_run_a_fixed_number_of_queries(
    reader_client, django_assert_max_num_queries
):
    many = [(MULTIPLE if n % 2 else SINGLE, f"Q{n}", [(f"R{n}", True), (f"W{n}", False)])
            for n in range(12)]  # fmt: skip
    quiz = make_quiz(questions=many)
    picks = [{f"R{n}"} for n in range(12)]
    take(reader_client, quiz, "before", picks)
    data = answers(quiz, picks)

    # The reader's participant row is fetched and locked before the attempt is written.
    with django_assert_max_num_queries(16):
        response = reader_client.post(reverse("quizzes:take", args=[quiz.pk, "after"]), data)
    # The session is read from the database; the evaluation and commitment are looked up.
    with django_assert_max_num_queries(15):
        page = reader_client.get(response["Location"])

    assert Attempt.objects.get(stage="after").score == 12
    assert page.content.decode().count("Correct after reading") == 12


def test_question_kinds_are_the_two_the_issue_names():
    assert set(Question.Kind.values) == {"single", "multiple"}


def test_pre_test_after_the_post_test_is_refused(reader_client, quiz):
    take(reader_client, quiz, "after", ALL_RIGHT)

    page = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"]), follow=True)
    post = take(reader_client, quiz, "before", ALL_RIGHT)

    assert "can only be taken before the quiz after reading" in page.content.decode()
    assert post.status_code == 302
    assert list(Attempt.objects.values_list("stage", flat=True)) == ["after"]


def test_the_model_refuses_a_late_pre_test_too(quiz, reader):
    from quizzes.attempts import TooLate, record_attempt

    questions = quiz.ordered_questions(seed=reader.pk)
    chosen = {q.pk: [q.choices.all()[0].pk] for q in questions}
    record_attempt(quiz, reader, "after", questions, chosen)

    with pytest.raises(TooLate):
        record_attempt(quiz, reader, "before", questions, chosen)


def test_a_quiz_without_questions_is_not_offered(reader_client):
    empty = make_quiz(questions=[])

    assert reader_client.get(reverse("quizzes:take", args=[empty.pk, "before"])).status_code == 404
    html = reader_client.get(empty.article.get_absolute_url()).content.decode()
    assert "Test your knowledge!" not in html


def test_an_article_or_quiz_with_results_cannot_be_deleted(reader_client, quiz):
    from django.db.models import ProtectedError

    take(reader_client, quiz, "before", ONE_RIGHT)

    with pytest.raises(ProtectedError):
        quiz.article.delete()
    with pytest.raises(ProtectedError):
        quiz.delete()
    assert Attempt.objects.count() == 1 and Answer.objects.count() == 3


def test_an_article_whose_quiz_nobody_answered_can_be_deleted():
    article = make_article(objectives=["Name the comparator in DREAMM-7"])
    quiz = make_quiz(article)
    quiz.questions.update(objective=article.learning_objectives.get())

    article.delete()

    assert not Question.objects.exists()


def test_shuffled_order_differs_from_the_editors_and_the_review_follows_it(reader_client):
    import re

    quiz = make_quiz(
        questions=[
            (SINGLE, f"Question {n}", [(f"A{n}", True), (f"B{n}", False)]) for n in range(6)
        ],
        shuffle=True,
    )
    picks = [{f"A{n}"} for n in range(6)]
    html = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "after"])).content.decode()
    take(reader_client, quiz, "after", picks)
    review = reader_client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()

    asked = re.findall(r"<legend>\d+\. (Question \d)</legend>", html)
    reviewed = re.findall(r"<h3>(Question \d)</h3>", review)
    assert asked != [f"Question {n}" for n in range(6)]
    assert reviewed == asked
