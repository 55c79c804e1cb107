"""A reader's quiz attempts, for the 'download your data' export."""

from quizzes.models import Attempt


def quiz_attempts(user):
    """Every attempt with its answers; right or wrong only once the post-test is taken.

    Before that, correctness would give the answers away (on a two-choice question,
    "wrong" names the right one), as the result page is careful not to.
    """
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("quiz__article")
        .prefetch_related("answers__question", "answers__choices")
    )
    answered_after = {a.quiz_id for a in attempts if a.stage == Attempt.Stage.POST}
    return [
        {
            "quiz": attempt.quiz.title,
            "article": attempt.quiz.article.title,
            "stage": attempt.stage,
            "score": attempt.score,
            "questions": attempt.total,
            "taken_at": attempt.created_at,
            "confidence": attempt.confidence,
            "intent": attempt.intent,
            "answers": [
                {
                    "question": answer.question.text,
                    "chosen": [choice.text for choice in answer.choices.all()],
                    **({"correct": answer.is_correct} if attempt.quiz_id in answered_after else {}),
                }
                for answer in attempt.answers.all()
            ],
        }
        for attempt in attempts
    ]
