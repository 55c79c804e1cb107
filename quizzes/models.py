"""A quick quiz taken before and after reading an article, and what readers answered."""

import random
import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class QuizQuerySet(models.QuerySet):
    def offered(self):
        """Published and with at least one question."""
        return self.filter(is_published=True, questions__isnull=False).distinct()

    def live(self):
        """Quizzes readers can take: offered, on an article readers can see."""
        return self.offered().filter(article__in=Article.objects.published())


class Quiz(models.Model):
    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="quiz"
    )
    title = models.CharField(_("title"), max_length=200)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Readers see the quiz on its article.")
    )
    shuffle = models.BooleanField(
        _("shuffle questions and choices"),
        default=False,
        help_text=_("Each reader gets their own order; otherwise the order set here."),
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quizzes:take", args=[self.pk, Attempt.Stage.PRE])

    def has_answers(self):
        return self.attempts.exists()

    def ordered_questions(self, seed):
        """Questions (with prefetched choices) in the editor's order, or shuffled per reader."""
        questions = list(self.questions.all())
        for question in questions:
            question.ordered_choices = list(question.choices.all())
        if self.shuffle:
            rng = random.Random(f"{self.pk}:{seed}")  # noqa: S311 - an order, not a secret
            rng.shuffle(questions)
            for question in questions:
                rng.shuffle(question.ordered_choices)
        return questions


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single best answer")
        MULTIPLE = "multiple", _("Multiple response")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Shown after the post-test. Cite the article's references as [1]."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]

    def is_answered_correctly(self, chosen_ids):
        """All or nothing: exactly the correct choices, no more and no fewer."""
        correct = {choice.pk for choice in self.choices.all() if choice.is_correct}
        return set(chosen_ids) == correct


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """One reader's answers to a quiz, before or after reading. At most one of each."""

    class Stage(models.TextChoices):
        PRE = "before", _("Before reading")
        POST = "after", _("After reading")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    # Kept, without the reader, when an account is deleted: anonymous statistics.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quiz_attempts",
    )
    # Pairs a reader's before and after attempts, even once the reader is gone.
    participant = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    stage = models.CharField(_("stage"), max_length=6, choices=Stage.choices)
    score = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "stage"],
                condition=Q(user__isnull=False),
                name="quizzes_one_attempt_per_reader_and_stage",
            ),
            models.UniqueConstraint(
                fields=["quiz", "participant", "stage"],
                name="quizzes_one_attempt_per_participant_and_stage",
            ),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("total")), name="quizzes_score_within_total"
            ),
        ]

    def __str__(self):
        return f"{self.quiz} ({self.get_stage_display()}): {self.score}/{self.total}"

    @property
    def percent(self):
        return round(100 * self.score / self.total) if self.total else 0


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    # Deleting a quiz (or its article) deletes its attempts and answers with it; the
    # admin lists them before confirming. Editing answered questions is locked instead.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, related_name="answers")
    is_correct = models.BooleanField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="quizzes_answer_once"),
        ]

    def __str__(self):
        return f"{self.attempt}: {self.question}"


class AlreadyTaken(Exception):
    """The reader has an attempt for this stage already (a double submit or a second tab)."""


class TooLate(AlreadyTaken):
    """A test 'before reading' after the post-test, which showed the answers, measures nothing."""


def record_attempt(quiz, user, stage, questions, chosen):
    """Score and store one attempt with all its answers, or nothing at all.

    `questions` come from quiz.ordered_questions(); `chosen` maps each question's id
    to the ids of the choices the reader picked (already validated by the form).
    """
    taken = {a.stage: a for a in Attempt.objects.filter(quiz=quiz, user=user)}
    if stage == Attempt.Stage.PRE and Attempt.Stage.POST in taken:
        raise TooLate
    pre = taken.get(Attempt.Stage.PRE)
    results = {q.pk: q.is_answered_correctly(chosen[q.pk]) for q in questions}
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                stage=stage,
                participant=pre.participant if pre else uuid.uuid4(),
                score=sum(results.values()),
                total=len(questions),
            )
            answers = Answer.objects.bulk_create(
                Answer(attempt=attempt, question_id=pk, is_correct=ok) for pk, ok in results.items()
            )
            Answer.choices.through.objects.bulk_create(
                Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
                for answer in answers
                for choice_id in chosen[answer.question_id]
            )
    except IntegrityError as exc:
        # Only a second attempt at this stage is "already taken"; anything else is a bug
        # that must surface, not be reported to the reader as their double submit.
        if Attempt.objects.filter(quiz=quiz, user=user, stage=stage).exists():
            raise AlreadyTaken from exc
        raise
    return attempt
