"""Newsletter subscribers: confirmed by email (double opt-in), no account needed."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from articles.models import Topic


class Subscriber(models.Model):
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
            models.UniqueConstraint(Lower("email"), name="hub_subscriber_email_ci_unique"),
        ]

    def __str__(self):
        return self.email


class DigestIssue(models.Model):
    """One digest: the articles published up to its cut-off, sent once to each subscriber."""

    date = models.DateField(_("date"), unique=True)
    cut_off = models.DateTimeField(
        _("articles published until"),
        help_text=_("Articles published after this wait for the next issue."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("digest issue")
        verbose_name_plural = _("digest issues")

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
