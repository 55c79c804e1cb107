"""Hubs: the disease hubs one install serves, each on its own host names.

A hub is a row: a slug, the name editors know it by, and its hosts. One host is the
hub's own address (its canonical URLs and emails use it); the others answer with a
permanent redirect to it. Every host names one hub (a database constraint).

The request's host picks the hub (hubs.middleware). An install with one hub serves it
on every host Django allows (ALLOWED_HOSTS is the guard), as a single-hub install always
did; once there are two, a host that no hub names is a 404 and never another hub's pages.

Django's sites framework is not used for this: its lookup by host raises on an unknown
host, and its SITE_CACHE lives in each process, cleared only in the process that saved
the change, so a second app server would go on answering with an old host.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# A host name as a browser sends it, lower case, with an optional port.
LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST_PATTERN = rf"(?=[^:]{{1,253}}(:|$)){LABEL}(\.{LABEL})*(:[0-9]{{1,5}})?"


def validate_host(value):
    if not re.fullmatch(HOST_PATTERN, value):
        raise ValidationError(
            _("Enter a host name such as myeloma.example.org (a port may follow: :8000)."),
            code="invalid",
        )


def base_host():
    """The host name of DJANGO_BASE_URL: the first hub's address on a new install (no
    port: a host stored without one answers on any port)."""
    return (urlsplit(settings.HUB_BASE_URL).hostname or "127.0.0.1").lower()


def addresses(text):
    """The email addresses of a text with one per line (blank lines and spaces aside)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_addresses(text):
    check = EmailValidator()
    for address in addresses(text):
        try:
            check(address)
        except ValidationError as error:
            raise ValidationError(
                _("“%(address)s” is not an email address."), params={"address": address}
            ) from error


def language_codes(text):
    """The language codes of a hub's `languages` ("en,es"), in order."""
    return [code.strip() for code in text.split(",") if code.strip()]


def validate_languages(text):
    known = {code for code, _name in settings.LANGUAGES}
    for code in language_codes(text):
        if code not in known:
            raise ValidationError(
                _("“%(code)s” is not a language of this install."), params={"code": code}
            )


class Hub(models.Model):
    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, help_text=_("A short name for the hub’s own use.")
    )
    name = models.CharField(
        _("name"),
        max_length=80,
        help_text=_("How editors know the hub; readers see the brand’s name."),
    )
    is_default = models.BooleanField(
        _("default hub"),
        default=False,
        editable=False,
        help_text=_("The first hub: what emails sent outside a request speak for."),
    )
    contact_emails = models.TextField(
        _("contact form recipients"),
        blank=True,
        validators=[validate_addresses],
        help_text=_(
            "Who receives this hub’s contact form messages: one address per line. "
            "Left empty, the install’s contact addresses (DJANGO_CONTACT_EMAILS) do."
        ),
    )
    languages = models.CharField(
        _("languages offered"),
        max_length=100,
        blank=True,
        validators=[validate_languages],
        help_text=_(
            "The languages readers may choose on this hub; none ticked: every language. "
            "A reader who asks for another is served the first of them."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="hubs_one_default"
            ),
        ]

    def __str__(self):
        return self.name

    def contact_recipients(self):
        return addresses(self.contact_emails)


class HubHost(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(
        _("host"),
        max_length=260,
        unique=True,
        validators=[validate_host],
        help_text=_(
            "As readers type it: myeloma.example.org. Without a port it answers on any port."
        ),
    )
    is_primary = models.BooleanField(
        _("the hub’s address"),
        default=False,
        help_text=_("Canonical links and emails use it; the hub’s other hosts redirect to it."),
    )

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["-is_primary", "host"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub"], condition=Q(is_primary=True), name="hubs_one_address_per_hub"
            ),
            models.CheckConstraint(condition=Q(host=Lower("host")), name="hubs_host_lower_case"),
        ]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)


def ensure_default_hub(using="default", **kwargs):
    """After migrate (and after a test's flush): the first hub, on DJANGO_BASE_URL's host,
    when there is none, so a new install serves its pages at once."""
    if Hub.objects.using(using).exists():
        return
    hub = Hub.objects.using(using).create(slug="hub", name=settings.HUB_SITE_NAME, is_default=True)
    HubHost.objects.using(using).create(hub=hub, host=base_host(), is_primary=True)
