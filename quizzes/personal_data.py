"""A reader's quiz attempts, for the 'download your data' export."""

from quizzes.models import Attempt


def quiz_attempts(user):
    attempts = Attempt.objects.filter(user=user).select_related("quiz__article")
    return [
        {
            "quiz": attempt.quiz.title,
            "article": attempt.quiz.article.title,
            "stage": attempt.stage,
            "score": attempt.score,
            "questions": attempt.total,
            "taken_at": attempt.created_at,
            "answers": [
                {
                    "question": answer.question.text,
                    "chosen": [choice.text for choice in answer.choices.all()],
                    "correct": answer.is_correct,
                }
                for answer in attempt.answers.all()
            ],
        }
        for attempt in attempts.prefetch_related("answers__question", "answers__choices")
    ]
