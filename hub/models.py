"""The site around the content: editable pages, consent records, newsletter, contact."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Topic
from articles.rendering import markdown_to_html

# Site pages with an address of their own (/about/); any other page lives under /pages/.
SITE_PAGES = ["about", "privacy", "terms", "accessibility"]


class Page(models.Model):
    """About Us, privacy policy, terms, accessibility statement, cookie policy…"""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="")
    is_demo = models.BooleanField(_("demo content"), default=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = markdown_to_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.slug in SITE_PAGES:
            return reverse(self.slug)
        if self.slug == "cookie-policy":
            return reverse("cookie_settings")
        return reverse("page", args=[self.slug])


class ConsentRecord(models.Model):
    """Proof of one cookie decision: which group, which version, when, and by whom."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        DECLINE = "decline", _("Declined")

    group = models.CharField(_("cookie group"), max_length=50)
    version = models.CharField(_("version"), max_length=40)
    action = models.CharField(_("decision"), max_length=7, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.get_action_display()} {self.group} ({self.version})"


class Subscriber(models.Model):
    """A newsletter subscriber: confirmed by email (double opt-in), no account needed."""

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


class ContactMessage(models.Model):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return f"{self.subject} ({self.email})"
