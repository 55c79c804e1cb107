"""A quick quiz taken before and after reading an article, and what readers answered:
the quiz, its questions and choices (quiz); readers' attempts, answers and the outcome
counts (attempt); per-reader files (export); and the CME records around it (cme)."""

from quizzes.models.attempt import (
    Answer,
    Attempt,
    AttemptQuerySet,
    Intent,
    OutcomeCount,
    Participant,
    picked_key,
)
from quizzes.models.cme import (
    Agreement,
    Certificate,
    Commitment,
    Evaluation,
    FollowUp,
    ReaderRecord,
    new_certificate_code,
)
from quizzes.models.export import AnswersExport
from quizzes.models.quiz import Choice, Question, Quiz, QuizQuerySet

__all__ = [
    "Agreement",
    "Answer",
    "AnswersExport",
    "Attempt",
    "AttemptQuerySet",
    "Certificate",
    "Choice",
    "Commitment",
    "Evaluation",
    "FollowUp",
    "Intent",
    "OutcomeCount",
    "Participant",
    "Question",
    "Quiz",
    "QuizQuerySet",
    "ReaderRecord",
    "new_certificate_code",
    "picked_key",
]
