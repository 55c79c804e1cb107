"""Recording an attempt: scored and stored with all its answers in one transaction,
once per reader and stage, and the pairs' per-objective changes kept up to date."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.vocabulary import specialty_code
from hubs import directory as hubs
from quizzes import tallies
from quizzes.models import Answer, Attempt, Commitment, Participant, picked_key
from quizzes.report import forget_reports


class AlreadyTaken(Exception):
    """The reader has an attempt for this stage already (a double submit or a second tab)."""


class TooLate(AlreadyTaken):
    """A test 'before reading' after the post-test, which showed the answers, measures nothing."""


def record_attempt(
    quiz, user, stage, questions, chosen, confidence=None, intent="", commitment="", language="en"
):
    """Score and store one attempt with all its answers, or nothing at all.

    `questions` come from quiz.ordered_questions(); `chosen` maps each question's id
    to the ids of the choices the reader picked (already validated by the form). A
    post-test's commitment to change is kept with it, in the same transaction.
    The reader's participant row is locked first, so two submissions at once are
    recorded one after the other and the second sees the first.
    """
    results = {q.pk: q.is_answered_correctly(chosen[q.pk]) for q in questions}
    try:
        with transaction.atomic():
            participant = Participant.lock(quiz, user)
            taken = {a.stage: a for a in Attempt.objects.filter(quiz=quiz, user=user)}
            if stage in taken:
                raise AlreadyTaken
            if stage == Attempt.Stage.PRE and Attempt.Stage.POST in taken:
                raise TooLate
            pre = taken.get(Attempt.Stage.PRE) if stage == Attempt.Stage.POST else None
            before = {a.question_id: a for a in pre.answers.all()} if pre else {}
            attempt = Attempt.objects.create(
                quiz=quiz,
                # A pair counts where its pre-test does (quizzes.models.Attempt).
                hub_id=pre.hub_id if pre else hubs.current().id,
                user=user,
                stage=stage,
                participant=participant.key,
                score=sum(results.values()),
                total=len(questions),
                started_at=pre.started_at if pre else timezone.now(),
                profession=pre.profession if pre else getattr(user, "profession", "") or "",
                specialty=pre.specialty if pre else specialty_code(getattr(user, "specialty", "")),
                country=pre.country if pre else str(getattr(user, "country", "") or ""),
                by_staff=user.is_staff,
                is_demo=quiz.is_demo,
                confidence=confidence,
                intent=intent or "",
                score_before=pre.score if pre else None,
                confidence_before=pre.confidence if pre else None,
                objective_changes=objective_changes(
                    {q.pk: q.objective_id for q in questions},
                    {pk: a.is_correct for pk, a in before.items()},
                    results,
                )
                if pre
                else "",
            )
            answers = Answer.objects.bulk_create(
                Answer(
                    attempt=attempt,
                    question_id=pk,
                    is_correct=ok,
                    picked=picked_key(chosen[pk]),
                    correct_before=before[pk].is_correct if pk in before else None,
                    picked_before=before[pk].picked if pk in before else "",
                )
                for pk, ok in results.items()
            )
            Answer.choices.through.objects.bulk_create(
                Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
                for answer in answers
                for choice_id in chosen[answer.question_id]
            )
            tallies.record(attempt, answers)  # the report's counts, in the same transaction
            if commitment and stage == Attempt.Stage.POST:
                record = Commitment(text=commitment, language=language)
                record.copy_reader(attempt)
                record.save()
    except IntegrityError as exc:
        # Only a second attempt at this stage is "already taken"; anything else is a bug
        # that must surface, not be reported to the reader as their double submit.
        if Attempt.objects.filter(quiz=quiz, user=user, stage=stage).exists():
            raise AlreadyTaken from exc
        raise
    transaction.on_commit(lambda: results_changed(quiz.pk))
    return attempt


def objective_changes(objective_of, before, after):
    """ "objective:sign;…" from {question: objective}, {question: right before/after}."""
    totals = {}
    for question, objective in objective_of.items():
        if objective is None or question not in before or question not in after:
            continue
        change = totals.setdefault(objective, 0)
        totals[objective] = change + int(after[question]) - int(before[question])
    signs = {objective: "+" if d > 0 else "-" if d < 0 else "0" for objective, d in totals.items()}
    return ";".join(f"{objective}:{signs[objective]}" for objective in sorted(signs))


def refresh_objective_changes(quiz):
    """Recompute every pair's objective_changes after questions were tied to objectives."""
    objective_of = dict(quiz.questions.values_list("pk", "objective_id"))
    posts = Attempt.objects.filter(quiz=quiz, stage=Attempt.Stage.POST, score_before__isnull=False)
    changed = []
    for post in posts.prefetch_related("answers").iterator(chunk_size=2000):
        answers = list(post.answers.all())
        post.objective_changes = objective_changes(
            objective_of,
            {a.question_id: a.correct_before for a in answers if a.correct_before is not None},
            {a.question_id: a.is_correct for a in answers},
        )
        changed.append(post)
    Attempt.objects.bulk_update(changed, ["objective_changes"], batch_size=2000)
    tallies.recount(quiz.pk)


def results_changed(quiz_id):
    """A new attempt: cached reports of this quiz are out of date."""
    forget_reports(quiz_id)
