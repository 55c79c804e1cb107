"""Build quizzes for tests: each question given as (kind, [(text, correct), ...])."""

from django.urls import reverse

from quizzes.models import Choice, Question, Quiz
from tests.articles.factories import make_article

SINGLE, MULTIPLE = Question.Kind.SINGLE, Question.Kind.MULTIPLE

DEFAULT_QUESTIONS = [
    (SINGLE, "Which trial compared BVd with DVd?", [("DREAMM-7", True), ("DREAMM-8", False),
                                                   ("KarMMa-3", False)]),
    (MULTIPLE, "Which are BCMA-directed?", [("Ide-cel", True), ("Teclistamab", True),
                                           ("Talquetamab", False)]),
    (SINGLE, "What is graded by an eye specialist?", [("Keratopathy", True), ("CRS", False)]),
]  # fmt: skip


def make_quiz(article=None, questions=DEFAULT_QUESTIONS, published=True, **fields):
    quiz = Quiz.objects.create(
        article=article or make_article(),
        title=fields.pop("title", "Quick quiz"),
        is_published=published,
        **fields,
    )
    for order, (kind, text, choices) in enumerate(questions):
        question = Question.objects.create(
            quiz=quiz, text=text, kind=kind, order=order, explanation=f"Because of {text} [1]."
        )
        for n, (choice_text, correct) in enumerate(choices):
            Choice.objects.create(question=question, text=choice_text, is_correct=correct, order=n)
    return quiz


def answers(quiz, picks):
    """Form data choosing, for question i, the choices whose texts are in picks[i]."""
    data = {}
    for question, wanted in zip(quiz.questions.all(), picks, strict=True):
        ids = [str(c.pk) for c in question.choices.all() if c.text in wanted]
        data[f"question_{question.pk}"] = ids if question.kind == MULTIPLE else ids[0]
    return data


def take(client, quiz, stage, picks, **extra):
    """The reader submits the quiz before or after reading with these picks."""
    data = {**answers(quiz, picks), **extra}
    return client.post(reverse("quizzes:take", args=[quiz.pk, stage]), data)


ALL_RIGHT = [{"DREAMM-7"}, {"Ide-cel", "Teclistamab"}, {"Keratopathy"}]
ONE_RIGHT = [{"DREAMM-8"}, {"Ide-cel"}, {"Keratopathy"}]
