"""Continuing medical education around the quiz: the reader's evaluation of the
activity (Moore level 2), their commitment to change and its follow-up (level 5,
self-reported), and their certificate. Like attempts, evaluations and commitments keep
the reader's pseudonym and strata, so an erased account leaves anonymous answers
without its text."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from articles.models.hubs import default_hub
from articles.vocabulary import Profession, Specialty
from quizzes.models.quiz import Quiz


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
