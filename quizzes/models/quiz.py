"""A quick quiz on an article: its questions and their choices."""

import random

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article, LearningObjective


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
        from quizzes.models.attempt import Attempt  # which imports this module

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
