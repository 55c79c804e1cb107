"""The site around the content: editable pages and contact messages."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.rendering import markdown_to_html
from hubs import directory as hubs

# Site pages with an address of their own (/about/); any other page lives under /pages/.
SITE_PAGES = ["about", "privacy", "terms", "accessibility"]


def current_hub():
    return hubs.current().id


class Page(models.Model):
    """About Us, privacy policy, terms, accessibility statement, cookie policy… each hub's own."""

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="pages",
        default=current_hub,
    )
    slug = models.SlugField(_("address"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="")
    is_demo = models.BooleanField(_("demo content"), default=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "slug"], name="hub_page_address_once_per_hub")
        ]
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


class ContactMessage(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="+",
        default=current_hub,
        help_text=_("The hub whose contact form it was sent from."),
    )
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
