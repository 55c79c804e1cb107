"""A reader's quiz attempts, for the 'download your data' export."""

from quizzes.models import Attempt


def quiz_attempts(user):
    """Every attempt with its answers; the score, and right or wrong, only once the
    post-test is taken.

    Before that, correctness would give the answers away (on a two-choice question,
    "wrong" names the right one), and so would a score of none or all of them right,
    as the result page is careful not to.
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
            "score": attempt.score if attempt.quiz_id in answered_after else None,
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


def cme_records(user):
    """The reader's evaluations, commitments to change with their follow-ups, and
    certificates (with their public verification addresses)."""
    from django.urls import reverse

    from quizzes.models import Certificate, Commitment, Evaluation

    evaluations = Evaluation.objects.filter(user=user).select_related("quiz")
    commitments = (
        Commitment.objects.filter(user=user).select_related("quiz").prefetch_related("follow_ups")
    )
    certificates = Certificate.objects.filter(user=user)
    return {
        "evaluations": [
            {
                "quiz": e.quiz.title,
                "given_at": e.created_at,
                "relevant_to_practice": e.relevance,
                "objectives_met": e.objectives_met,
                "experts_effective": e.faculty_quality,
                "free_of_commercial_bias": e.free_of_bias,
                "where_bias_was_seen": e.bias_comment,
                "would_recommend": e.would_recommend,
                "comments": e.comments,
            }
            for e in evaluations
        ],
        "commitments_to_change": [
            {
                "quiz": c.quiz.title,
                "written_at": c.created_at,
                "commitment": c.text,
                "language": c.language,
                "follow_up_emails_stopped_at": c.follow_up_stopped_at,
                "follow_ups": [
                    {
                        "after_days": f.stage,
                        "sent_at": f.sent_at,
                        "answered_at": f.answered_at,
                        "made_the_change": f.outcome,
                        "what_got_in_the_way": f.barrier,
                        "details": f.barrier_details,
                    }
                    for f in c.follow_ups.all()
                ],
            }
            for c in commitments
        ],
        "certificates": [
            {
                "id": c.code,
                "verification_path": reverse("quizzes:verify_certificate", args=[c.code]),
                "issued_at": c.issued_at,
                "name": c.reader_name,
                "profession": c.profession,
                "activity": c.activity,
                "started_on": c.started_on,
                "completed_on": c.completed_on,
                "score_before": c.score_before,
                "score_after": c.score_after,
                "questions": c.total,
                "credit_type": c.credit_type,
                "credit_amount": str(c.credit_amount) if c.credit_amount is not None else None,
            }
            for c in certificates
        ],
    }


ERASED = "(erased with the reader's account)"


def erase_cme_records(user):
    """What the reader wrote goes; their anonymous answers stay in the outcomes, as their
    attempts do (the account's deletion unlinks them). Certificates go with the account."""
    from django.db.models import Case, Value, When

    from quizzes.models import Certificate, Commitment, Evaluation, FollowUp

    # A "no" to free of bias keeps a (blank) comment: the report still counts it.
    Evaluation.objects.filter(user=user).update(
        user=None,
        comments="",
        bias_comment=Case(When(free_of_bias=False, then=Value(ERASED)), default=Value("")),
    )
    FollowUp.objects.filter(commitment__user=user).update(barrier_details="")
    Commitment.objects.filter(user=user).update(user=None, text="")
    Certificate.objects.filter(user=user).delete()
