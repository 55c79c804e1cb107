"""Who controls an article's content, and what they disclosed (ACCME Standard 3).

Everyone in control of content (an article's experts, its planners and its reviewers)
discloses their financial relationships with ineligible companies over the 24 months
before the disclosure, and how any relevant one was mitigated. Each disclosure records
which editor entered it and when. An article published as a CME activity must have a
disclosure on file for every such person (Article.people_without_disclosure).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.models.catalogue import Expert

# The period a disclosure covers, before the date it was made.
DISCLOSURE_MONTHS = 24


class ContentRole(models.Model):
    """A planner or reviewer of an article: in control of its content, not its byline.

    The article's experts (ArticleExpert) are its faculty and need no row here.
    """

    class Role(models.TextChoices):
        PLANNER = "planner", _("Planner")
        REVIEWER = "reviewer", _("Reviewer")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="content_roles")
    person = models.ForeignKey(
        Expert,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="content_roles",
        help_text=_("Planners and reviewers are kept with the experts, so they can disclose."),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("planner or reviewer")
        verbose_name_plural = _("planners and reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="articles_content_role_once"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class DisclosureQuerySet(models.QuerySet):
    def current(self):
        """Each person's latest disclosure only."""
        latest = (
            Disclosure.objects.filter(person=models.OuterRef("person"))
            .order_by("-disclosed_on", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(latest))


class Disclosure(models.Model):
    """What one person disclosed on one date, covering the 24 months before it.

    A person may disclose again (a new row); readers see the latest. Kept as a record:
    editors correct a disclosure by recording a new one.
    """

    person = models.ForeignKey(
        Expert, verbose_name=_("person"), on_delete=models.CASCADE, related_name="disclosures"
    )
    disclosed_on = models.DateField(
        _("disclosed on"),
        help_text=_("The date the person signed the disclosure; it covers the 24 months before."),
    )
    nothing_to_disclose = models.BooleanField(
        _("no relevant financial relationships"),
        default=False,
        help_text=_(
            "Tick when the person has had no financial relationship with an ineligible "
            "company in the 24 months before the disclosure; otherwise list them below."
        ),
    )
    mitigation = models.TextField(
        _("mitigation"),
        blank=True,
        help_text=_(
            "How the relevant relationships were mitigated, e.g. “Content peer reviewed by "
            "a planner with no relevant financial relationships.”"
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    is_demo = models.BooleanField(
        _("demo content"),
        default=False,
        help_text=_("Written by the Hub team to show the site; not a real disclosure."),
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_on", "-pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.CheckConstraint(
                condition=Q(nothing_to_disclose=True) | ~Q(mitigation=""),
                name="articles_disclosure_mitigated",
                violation_error_message=_(
                    "Say how the relationships were mitigated, or tick “no relevant "
                    "financial relationships”."
                ),
            ),
            models.CheckConstraint(
                condition=Q(nothing_to_disclose=False) | Q(mitigation=""),
                name="articles_disclosure_nothing_to_mitigate",
                violation_error_message=_(
                    "A disclosure with no relevant financial relationships has nothing to mitigate."
                ),
            ),
        ]

    def __str__(self):
        return _("%(person)s, %(date)s") % {"person": self.person, "date": self.disclosed_on}

    @property
    def relationship_list(self):
        return list(self.relationships.all())


class FinancialRelationship(models.Model):
    """One relationship with an ineligible company (one whose business is producing,
    marketing, selling, re-selling or distributing healthcare products)."""

    class Nature(models.TextChoices):
        RESEARCH = "research", _("Researcher or research funding")
        CONSULTANT = "consultant", _("Consultant")
        ADVISOR = "advisor", _("Advisory board member")
        SPEAKER = "speaker", _("Speaker")
        CONTRACTOR = "contractor", _("Independent contractor")
        ROYALTIES = "royalties", _("Royalties or patent beneficiary")
        EXECUTIVE = "executive", _("Executive role")
        EMPLOYEE = "employee", _("Employee")
        OWNERSHIP = "ownership", _("Ownership interest or stock")
        OTHER = "other", _("Other")

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="relationships"
    )
    company = models.CharField(_("ineligible company"), max_length=200)
    nature = models.CharField(
        _("nature of the relationship"), max_length=12, choices=Nature.choices
    )
    detail = models.CharField(
        _("detail"), max_length=300, blank=True, help_text=_("Optional, e.g. the product area.")
    )
    has_ended = models.BooleanField(
        _("has ended"), default=False, help_text=_("The relationship ended within the period.")
    )

    class Meta:
        ordering = ["company", "pk"]
        verbose_name = _("financial relationship")
        verbose_name_plural = _("financial relationships")

    def __str__(self):
        return f"{self.company}: {self.get_nature_display()}"
