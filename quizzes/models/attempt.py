"""What readers answered: their pseudonym and strata, each attempt and its answers,
and the outcome counts kept per quiz, quarter and hub."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from articles.models.hubs import default_hub
from articles.vocabulary import Profession, Specialty
from common.numbers import percent
from quizzes.models.quiz import Choice, Question, Quiz


class Participant(models.Model):
    """A reader's pseudonym on one quiz, which pairs their attempts before and after.

    One row per reader and quiz (a database constraint), locked while an attempt is
    recorded, so a pre-test and a post-test submitted at the same moment share it.
    Deleted with the account; the attempts keep the pseudonym and stay paired.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_participations"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="quizzes_one_pseudonym_per_quiz"),
        ]

    def __str__(self):
        return str(self.key)

    @classmethod
    def lock(cls, quiz, user):
        """The reader's participant row, locked until the end of the current transaction."""
        participant, _created = cls.objects.get_or_create(quiz=quiz, user=user)
        return cls.objects.select_for_update().get(pk=participant.pk)


class Intent(models.TextChoices):
    YES = "yes", _("Yes, I plan to change my practice")
    ALREADY = "already", _("No, my practice already reflects this")
    NO = "no", _("No, for another reason")
    UNSURE = "unsure", _("Not sure yet")


class AttemptQuerySet(models.QuerySet):
    def counted(self):
        """Attempts that count in reports: not by staff, not on demo content."""
        return self.filter(by_staff=False, is_demo=False)

    def awaiting_post_test(self, user):
        """The reader's quizzes before reading whose quiz after reading is still to take,
        on quizzes readers can take, newest first."""
        taken_after = self.model.objects.filter(user=user, stage=Attempt.Stage.POST)
        return (
            self.filter(user=user, stage=Attempt.Stage.PRE, quiz__in=Quiz.objects.live())
            .exclude(quiz__in=taken_after.values("quiz"))
            .select_related("quiz__article")
            .order_by("-created_at", "-pk")
        )


class Attempt(models.Model):
    """One reader's answers to a quiz, before or after reading. At most one of each.

    Who the reader was (profession, specialty, country, staff) is copied here when
    the attempt is recorded, so later profile edits and account deletion keep the
    strata. A post-test carries its pre-test's score and confidence (pairs are known
    when it is recorded), so reports read matched pairs without a self-join.

    A pair belongs where its pre-test does: a post-test copies its pre-test's strata
    and start (`started_at`), so a reader whose profession changed in between counts
    in one group, and a date window holds whole pairs (never more pairs than pre-tests).
    """

    class Stage(models.TextChoices):
        PRE = "before", _("Before reading")
        POST = "after", _("After reading")

    # Attempts protect their quiz, and through it the article: results outlive neither.
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    # Where the reader took it (a shared quiz has results on each hub, and overall); a
    # post-test counts where its pre-test does.
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_hub,
    )
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
    # When the reader started this quiz: the pre-test's time, or this attempt's own.
    # Reports window and group by it, so both halves of a pair fall in one period.
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, blank=True
    )
    specialty = models.CharField(
        _("specialty"), max_length=30, choices=Specialty.choices, blank=True
    )
    country = CountryField(_("country"), blank=True)
    by_staff = models.BooleanField(_("by staff"), default=False)
    is_demo = models.BooleanField(_("on demo content"), default=False)
    confidence = models.PositiveSmallIntegerField(_("confidence (1–5)"), null=True, blank=True)
    intent = models.CharField(
        _("intent to change practice"), max_length=10, choices=Intent.choices, blank=True
    )
    # Post-tests only: the same reader's pre-test, if any.
    score_before = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Post-tests with a pre-test: per learning objective, whether the reader's sub-score
    # rose, fell or held, e.g. "12:+;15:0". Few distinct values, so reports group by it.
    objective_changes = models.CharField(max_length=500, blank=True, editable=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["quiz", "stage", "started_at"], name="quizzes_attempt_started_idx")
        ]
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
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__range=(1, 5)),
                name="quizzes_confidence_on_the_scale",
            ),
        ]

    def __str__(self):
        return f"{self.quiz} ({self.get_stage_display()}): {self.score}/{self.total}"

    @property
    def percent(self):
        return percent(self.score, self.total) if self.total else 0


def picked_key(choice_ids):
    """The choices picked, as stored on an answer: sorted ids, comma-separated."""
    return ",".join(str(pk) for pk in sorted(choice_ids))


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    # Answered questions are locked in the admin; the database refuses to lose them too.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(Choice, related_name="answers")
    is_correct = models.BooleanField()
    # The same choices as text (picked_key), so reports count choices without a join.
    picked = models.CharField(max_length=200, blank=True, editable=False)
    # Post-test answers only: the same reader's answer to this question before reading.
    correct_before = models.BooleanField(null=True, editable=False)
    picked_before = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="quizzes_answer_once"),
        ]

    def __str__(self):
        return f"{self.attempt}: {self.question}"


class OutcomeCount(models.Model):
    """How many counted attempts or answers share one key: what the outcomes report adds up.

    Kept up to date in the attempt's own transaction (quizzes.tallies.record), so no
    report adds up a million answers: a cell is a quarter (in which the reader started)
    and all readers or one profession, specialty or country (the reader's then), and
    within it a `kind` of count with its key (quizzes.tallies says what each holds). One row per key
    (a constraint), raised with F() increments, so attempts recorded at the same
    moment lose nothing. `manage.py rebuild_outcome_counts` recounts it exactly.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField()
    # "" (all readers) or "profession", "specialty", "country"; and its value ("" not given)
    dimension = models.CharField(max_length=12, blank=True)
    value = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=12)
    item = models.PositiveBigIntegerField(default=0)  # a question's or objective's id, or 0
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "quiz", "hub", "quarter", "dimension", "value", "kind", "item", "before",
                    "after",
                ],
                name="quizzes_outcome_count_once_per_hub",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.quiz_id} {self.quarter} {self.kind} {self.item}: {self.n}"
