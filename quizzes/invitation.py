"""The quiz invitations on an article page: before reading at the top, after at the end."""

from common.http import tag_page
from quizzes.models import Attempt, Quiz


def _state(request, article):
    """The article's quiz and the reader's attempts, looked up once per page."""
    if not hasattr(article, "_quiz_state"):
        quiz = Quiz.objects.offered().filter(article=article).first()
        if quiz:
            tag_page(request, f"quiz-{quiz.pk}")
        attempts = {}
        if quiz and request.user.is_authenticated:
            attempts = {a.stage: a for a in quiz.attempts.filter(user=request.user)}
        article._quiz_state = (quiz, attempts)
    return article._quiz_state


def invitation(position):
    """Context for quizzes/_invitation.html in the article slot at `position`."""

    def context(request, article):
        quiz, attempts = _state(request, article)
        return {
            "quiz": quiz,
            "position": position,
            "pre": attempts.get(Attempt.Stage.PRE),
            "post": attempts.get(Attempt.Stage.POST),
            "Stage": Attempt.Stage,
        }

    return context


TOP = invitation("top")
END = invitation("end")
