"""Give attempts recorded before the outcomes report what it reads.

- one participant per reader and quiz: a reader whose pre- and post-test got two ids
  (the old race) is paired again under the earliest one;
- the reader's profession, specialty (as a code), country and staff status, as they
  are now (the best there is for past attempts); demo attempts flagged;
- each answer's picked choices, and on post-tests the pre-test's answers and score.
"""

from django.db import migrations

from articles.vocabulary import specialty_code


def _picked(answer):
    return ",".join(str(pk) for pk in sorted(c.pk for c in answer.choices.all()))


def fill(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    Answer = apps.get_model("quizzes", "Answer")
    Participant = apps.get_model("quizzes", "Participant")

    attempts = Attempt.objects.select_related("user", "quiz").order_by("created_at", "pk")
    keys = {}
    for attempt in attempts:
        if attempt.user_id:
            key = keys.setdefault((attempt.quiz_id, attempt.user_id), attempt.participant)
            attempt.participant = key
            attempt.profession = attempt.user.profession
            attempt.specialty = specialty_code(attempt.user.specialty)
            attempt.country = attempt.user.country
            attempt.by_staff = attempt.user.is_staff
        attempt.is_demo = attempt.quiz.is_demo
        attempt.save()
    Participant.objects.bulk_create(
        Participant(quiz_id=quiz_id, user_id=user_id, key=key)
        for (quiz_id, user_id), key in keys.items()
    )

    for answer in Answer.objects.prefetch_related("choices").iterator(chunk_size=2000):
        answer.picked = _picked(answer)
        answer.save(update_fields=["picked"])

    pres = {
        (a.quiz_id, a.participant): a
        for a in Attempt.objects.filter(stage="before").prefetch_related("answers")
    }
    for post in Attempt.objects.filter(stage="after").prefetch_related("answers"):
        pre = pres.get((post.quiz_id, post.participant))
        if pre is None:
            continue
        post.score_before, post.confidence_before = pre.score, pre.confidence
        post.save(update_fields=["score_before", "confidence_before"])
        before = {a.question_id: a for a in pre.answers.all()}
        for answer in post.answers.all():
            if answer.question_id in before:
                answer.correct_before = before[answer.question_id].is_correct
                answer.picked_before = before[answer.question_id].picked
                answer.save(update_fields=["correct_before", "picked_before"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_outcomes_pairs_strata_and_objectives"),
        ("accounts", "0004_specialty_from_a_coded_list"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
