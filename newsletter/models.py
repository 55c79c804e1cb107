"""Newsletter subscribers: confirmed by email (double opt-in), no account needed.

Each hub has its own newsletter: a subscription is to one hub (its topics, its digest,
in its brand), so an address subscribed to two hubs is two subscriptions.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from articles.models import Topic
from articles.models.hubs import default_hub


class Subscriber(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="+",
        default=default_hub,
        help_text=_("The hub whose newsletter this is."),
    )
    email = models.EmailField(_("email address"))
    interests = models.ManyToManyField(
        Topic, verbose_name=_("interests"), blank=True, related_name="subscribers"
    )
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The newsletter is written in the language the subscriber used."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.UniqueConstraint(
                "hub", Lower("email"), name="newsletter_one_subscription_per_hub"
            ),
        ]

    def __str__(self):
        return self.email


class DigestIssue(models.Model):
    """One digest of a hub: its articles published up to the cut-off, sent once to each
    of its subscribers."""

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="+",
        default=default_hub,
    )
    date = models.DateField(_("date"))
    cut_off = models.DateTimeField(
        _("articles published until"),
        help_text=_("Articles published after this wait for the next issue."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("digest issue")
        verbose_name_plural = _("digest issues")
        constraints = [
            models.UniqueConstraint(fields=["hub", "date"], name="newsletter_one_issue_a_day"),
        ]

    def __str__(self):
        return str(self.date)


class DigestDelivery(models.Model):
    """A subscriber's copy of an issue, recorded as its email is queued: never a second one."""

    issue = models.ForeignKey(DigestIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_one_copy_of_an_issue"
            ),
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
