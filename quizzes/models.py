"""A quick quiz taken before and after reading an article, and what readers answered."""

import random
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from articles.models import Article, LearningObjective
from articles.models.hubs import default_hub
from articles.vocabulary import Profession, Specialty
from common.numbers import percent


class QuizQuerySet(models.QuerySet):
    def offered(self):
        """Published and with at least one question."""
        return self.filter(is_published=True, questions__isnull=False).distinct()

    def live(self):
        """Quizzes readers can take: offered, on an article readers can see."""
        return self.offered().filter(article__in=Article.objects.published())

    def shown_on(self, hubs):
        """The quizzes of articles on these hubs (ids: at home or shared there); every
        quiz for None (a superuser's every hub)."""
        return self if hubs is None else self.filter(article__in=Article.objects.on_hubs(hubs))


class Quiz(models.Model):
    # An article with results cannot be deleted: the quiz goes with it, and attempts
    # protect their quiz. Unpublish the article instead.
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
    confidence_question = models.CharField(
        _("confidence question"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional. Asked before and after, on a 5-point scale, e.g. “How confident are "
            "you in choosing a therapy for early relapsed myeloma?”"
        ),
    )
    asks_intent = models.BooleanField(
        _("ask about intent to change practice"),
        default=False,
        help_text=_("After reading, readers are asked whether they will change their practice."),
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

    @property
    def is_locked(self):
        """Readers have answered: what they saw and how it is scored may no longer change."""
        if not self.pk:
            return False
        if not hasattr(self, "_is_locked"):
            self._is_locked = self.has_answers()
        return self._is_locked

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

    class Measures(models.TextChoices):
        """What a question measures, in Moore's outcomes framework (level 3 or 4)."""

        KNOWLEDGE = "knowledge", _("Knowledge (Moore level 3: knows, knows how)")
        COMPETENCE = "competence", _("Case-based competence (Moore level 4: shows how)")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Shown after the post-test. Cite the article's references as [1]."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # RESTRICT, not PROTECT: the objective may go when the question goes with it (the
    # article deleted before anyone answered), never on its own.
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="questions",
        help_text=_("The article's learning objective this question tests."),
    )
    measures = models.CharField(
        _("measures"),
        max_length=10,
        choices=Measures.choices,
        default=Measures.KNOWLEDGE,
        help_text=_(
            "Knowledge: recall or understanding. Case-based competence: applying it to a "
            "patient case. The outcomes report gives each its Moore level."
        ),
    )

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


class AnswersExport(models.Model):
    """A quiz's per-reader file (quizzes.exports), built by the task worker.

    At 100,000 attempts it holds a million rows: longer to write than a request may
    take, so an editor asks for it, the worker writes it (gzip-compressed, here in the
    database: it is pseudonymous outcome data and must not sit in public media), and
    the report page links to it once it is ready. Always the whole quiz, all time, so
    files of different windows cannot be set side by side (quizzes.disclosure); for
    the hubs it was asked for (`hubs`: their ids, "1,3"; "" every hub), each shown
    only to those looking at the same hubs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    KEEP = 5  # the newest files kept per quiz

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="answer_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    content = models.BinaryField(editable=False, default=b"")
    hubs = models.CharField(_("hubs counted"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("per-reader file")
        verbose_name_plural = _("per-reader files")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.quiz} ({self.requested_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def scope(hubs):
        """The `hubs` value for a set of hub ids (None: every hub)."""
        return "" if hubs is None else ",".join(str(pk) for pk in sorted(hubs))

    def hub_ids(self):
        return None if not self.hubs else {int(pk) for pk in self.hubs.split(",")}


# Continuing medical education around the quiz: the reader's evaluation of the activity
# (Moore level 2), their commitment to change and its follow-up (level 5, self-reported),
# and their certificate. Like attempts, evaluations and commitments keep the reader's
# pseudonym and strata, so an erased account leaves anonymous answers without its text.


class Agreement(models.IntegerChoices):
    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    NEUTRAL = 3, _("Neither agree nor disagree")
    AGREE = 4, _("Agree")
    STRONGLY_AGREE = 5, _("Strongly agree")


class ReaderRecord(models.Model):
    """Who answered (pseudonym, strata, staff, demo), copied from their post-test."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="+")
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_hub,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant = models.UUIDField(editable=False)
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, blank=True
    )
    specialty = models.CharField(
        _("specialty"), max_length=30, choices=Specialty.choices, blank=True
    )
    country = CountryField(_("country"), blank=True)
    by_staff = models.BooleanField(_("by staff"), default=False)
    is_demo = models.BooleanField(_("on demo content"), default=False)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        abstract = True

    def copy_reader(self, post):
        """Take the reader's pseudonym, strata and hub from their post-test."""
        fields = ("quiz_id", "hub_id", "user_id", "participant", "profession", "specialty")
        for field in (*fields, "country"):
            setattr(self, field, getattr(post, field))
        self.by_staff, self.is_demo = post.by_staff, post.is_demo


class Evaluation(ReaderRecord):
    """The reader's evaluation of the activity, once, after the post-test."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="evaluations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quiz_evaluations",
    )
    relevance = models.PositiveSmallIntegerField(
        _("The content was relevant to my practice."), choices=Agreement.choices
    )
    objectives_met = models.PositiveSmallIntegerField(
        _("The learning objectives were met."), choices=Agreement.choices
    )
    free_of_bias = models.BooleanField(
        _("Was the content fair, balanced and free of commercial bias?")
    )
    bias_comment = models.TextField(_("Where did you see bias?"), blank=True)
    faculty_quality = models.PositiveSmallIntegerField(
        _("The experts were effective and knowledgeable."), choices=Agreement.choices
    )
    would_recommend = models.BooleanField(_("Would you recommend this activity to a colleague?"))
    comments = models.TextField(_("Anything else you would like to tell us?"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "participant"], name="quizzes_one_evaluation_per_reader"
            ),
            models.CheckConstraint(
                condition=Q(free_of_bias=True) | ~Q(bias_comment=""),
                name="quizzes_evaluation_bias_explained",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__range": (1, 5)}),
                    name=f"quizzes_evaluation_{name}_on_the_scale",
                )
                for name in ("relevance", "objectives_met", "faculty_quality")
            ),
        ]

    def __str__(self):
        return f"{self.quiz} ({self.created_at:%Y-%m-%d})"


class Commitment(ReaderRecord):
    """What the reader commits to change in their practice, written with the post-test."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="commitments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quiz_commitments",
    )
    text = models.TextField(_("commitment to change"), blank=True)
    # The follow-ups are written in the language the reader used for the post-test.
    language = models.CharField(_("language"), max_length=10, default="en")
    follow_up_stopped_at = models.DateTimeField(_("follow-up emails stopped at"), null=True)

    class Meta:
        verbose_name = _("commitment to change")
        verbose_name_plural = _("commitments to change")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "participant"], name="quizzes_one_commitment_per_reader"
            ),
        ]

    def __str__(self):
        return f"{self.quiz} ({self.created_at:%Y-%m-%d})"


class FollowUp(models.Model):
    """One follow-up of a commitment, 30, 60 or 90 days on: sent once, answered once."""

    class Stage(models.IntegerChoices):
        DAY_30 = 30, _("30 days")
        DAY_60 = 60, _("60 days")
        DAY_90 = 90, _("90 days")

    class Outcome(models.TextChoices):
        MADE = "made", _("Yes, I made the change")
        PARTLY = "partly", _("Partly")
        NOT_YET = "not_yet", _("Not yet, but I still plan to")
        NO = "no", _("No, and I no longer plan to")

    class Barrier(models.TextChoices):
        NONE = "none", _("Nothing got in the way")
        TIME = "time", _("Lack of time")
        ACCESS = "access", _("Cost, reimbursement or access to the treatment")
        PATIENTS = "patients", _("Patients' preferences or circumstances")
        SYSTEM = "system", _("My team, institution or local guidelines")
        EVIDENCE = "evidence", _("I was not convinced by the evidence")
        OTHER = "other", _("Something else")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="follow_ups")
    stage = models.PositiveSmallIntegerField(_("after"), choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(
        _("Did you make the change you committed to?"),
        max_length=10,
        choices=Outcome.choices,
        blank=True,
    )
    barrier = models.CharField(
        _("What got in the way most?"), max_length=10, choices=Barrier.choices, blank=True
    )
    barrier_details = models.TextField(_("Tell us more (optional)"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["commitment", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "stage"], name="quizzes_follow_up_once"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(outcome=""),
                name="quizzes_follow_up_answer_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.commitment} +{self.stage}"


def new_certificate_code():
    """16 characters from an alphabet without look-alikes (80 random bits), grouped by 4:
    printed on the certificate, typed into the verification page."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    code = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


class Certificate(models.Model):
    """A reader's certificate for an activity, issued once they took the post-test.

    What it states is fixed when it is issued (the reader's name and profession, the
    activity, the dates, the scores and the credit), so a later edit of the article or
    the profile changes no certificate already issued. Deleted with the account.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_certificates"
    )
    code = models.CharField(
        _("certificate ID"), max_length=19, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    reader_name = models.CharField(_("name"), max_length=200)
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    activity = models.CharField(_("activity"), max_length=255)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"))
    score_before = models.PositiveSmallIntegerField(null=True, blank=True)
    score_after = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    credit_type = models.CharField(_("type of credit"), max_length=120, blank=True)
    credit_amount = models.DecimalField(
        _("credit amount"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    accreditation_statement = models.TextField(_("accreditation statement"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="quizzes_one_certificate"),
        ]

    def __str__(self):
        return self.code

    @property
    def carries_credit(self):
        return bool(self.credit_type)
