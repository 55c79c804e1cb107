"""The quiz invitations on an article page: before reading at the top, after at the end."""

import functools
from types import MappingProxyType

from django.db import connection

from common import memo
from common.http import once_per_request, tag_page
from quizzes.models import Attempt, Quiz


def _quiz_of(article):
    """The article's offered quiz, or False: kept until the article or a quiz changes."""

    def find():
        quiz = Quiz.objects.offered().filter(article=article).first()
        return quiz if quiz is not None else False

    return memo.content(f"quiz-of-article-{article.pk}", {f"article-{article.pk}", "quizzes"}, find)


COLUMNS = ("quiz", "stage", "score", "total")  # of a reader's attempts, as _scores reads them


@functools.cache
def _scores_sql():
    """A reader's attempts (quiz, stage, score, total), written once from the model's
    meta: plain columns, so the same values as the ORM's, without compiling a query on
    each reader's first article with a quiz."""
    meta = Attempt._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in COLUMNS)
    user = meta.get_field("user").column
    return f'SELECT {columns} FROM "{meta.db_table}" WHERE "{user}" = %s'  # noqa: S608


def _scores(user, quiz):
    """The reader's scores on `quiz` by stage. All their quizzes' scores are read at once
    and kept until one of their attempts changes: one query per reader, not per page."""

    def find():
        scores = {}
        with connection.cursor() as cursor:
            cursor.execute(_scores_sql(), [user.pk])
            rows = cursor.fetchall()
        for quiz_id, stage, score, total in rows:
            scores.setdefault(quiz_id, {})[stage] = MappingProxyType(
                {"score": score, "total": total}
            )
        return MappingProxyType(
            {quiz_id: MappingProxyType(stages) for quiz_id, stages in scores.items()}
        )

    return memo.personal(memo.reader_tag(user.pk), "quiz-scores", find).get(quiz.pk, NONE)


NONE = MappingProxyType({})


def _state(request, article):
    """The article's quiz and the reader's scores, looked up once per request (both
    invitations ask)."""

    def look_up():
        quiz = _quiz_of(article) or None
        if quiz:
            tag_page(request, f"quiz-{quiz.pk}")
        scores = {}
        if quiz and request.user.is_authenticated:
            scores = _scores(request.user, quiz)
        return quiz, scores

    return once_per_request(request, f"quiz-state-{article.pk}", look_up)


def invitation(position):
    """Context for quizzes/_invitation.html in the article slot at `position`."""

    def context(request, article):
        quiz, scores = _state(request, article)
        return {
            "quiz": quiz,
            "position": position,
            "pre": scores.get(Attempt.Stage.PRE),
            "post": scores.get(Attempt.Stage.POST),
            "Stage": Attempt.Stage,
        }

    return context


def shown(request, article):
    """All an invitation shows of its reader: their scores on the article's quiz."""
    quiz, scores = _state(request, article)
    return (
        quiz.pk if quiz else None,
        tuple(sorted((stage, tuple(score.items())) for stage, score in scores.items())),
    )


TOP = invitation("top")
END = invitation("end")
