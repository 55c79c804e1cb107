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
