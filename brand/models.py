"""Each hub's brand: name, tagline, logo, accent colour and social image, set in the admin.

A hub has one brand (a database constraint keeps it to one row per hub). Pages, emails
and feeds read the brand of the hub they speak for (hubs.current()) through `current()`,
which the shared cache answers in steady state; a hub with no brand row is shown under
the hub's own name in the stylesheet's own look.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brand import logos
from brand.colours import darker, validate_accent
from common import memo
from hubs import directory as hubs

# The accent static/css/hub.css has on its own; a brand with it needs no stylesheet.
DEFAULT_ACCENT = "#0b4f8a"
CACHE_KEY = "brand:{}".format  # per hub
# Saving the brand clears it at once; the timeout covers updates that send no signal.
CACHE_SECONDS = 600
NO_ROW = "none"


@dataclass(frozen=True)
class BrandValues:
    """What pages and emails show: plain values, cheap to cache and to pickle."""

    name: str
    tagline: str = ""
    accent: str = DEFAULT_ACCENT
    logo_url: str = ""
    logo_width: int | None = None
    logo_height: int | None = None
    social_image_url: str = ""

    @property
    def accent_dark(self):
        return darker(self.accent)

    @property
    def stylesheet_url(self):
        """The accent's stylesheet, its address changing with the colour (cached for long),
        or "" when the accent is the stylesheet's own."""
        if self.accent == DEFAULT_ACCENT:
            return ""
        version = hashlib.sha256(self.accent.encode()).hexdigest()[:12]
        return f"{reverse('brand:stylesheet')}?v={version}"


def default_hub():
    from hubs.directory import default

    return default().id


class Brand(models.Model):
    hub = models.OneToOneField(
        "hubs.Hub",
        on_delete=models.CASCADE,
        related_name="brand",
        verbose_name=_("hub"),
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_("Shown in the header, page titles and emails.")
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=160,
        blank=True,
        help_text=_("A short line under the name: in the footer and the home page's title."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="brand/",
        blank=True,
        validators=[logos.validate_logo],
        help_text=_(
            "SVG or PNG, shown next to the name in the header (about 40 pixels high). "
            "SVG files may contain shapes and text only: no scripts, links or styles."
        ),
    )
    logo_width = models.PositiveIntegerField(null=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, editable=False)
    accent = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_accent],
        help_text=_(
            "#rrggbb, for links, buttons and the name. It needs a contrast of at least "
            "4.5:1 against white; a darker shade for hover is worked out from it."
        ),
    )
    social_image = models.FileField(
        _("social image"),
        upload_to="brand/",
        blank=True,
        validators=[logos.validate_social_image],
        help_text=_(
            "PNG or JPEG, 1200 × 630 pixels: shown when a page is shared on social media "
            "and the page has no image of its own."
        ),
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brand")
        constraints = [
            models.CheckConstraint(
                condition=Q(accent__regex=r"^#[0-9a-f]{6}$"), name="brand_accent_is_hex"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.hub_id is None:
            self.hub_id = default_hub()
        self.accent = self.accent.lower()
        self._measure_logo()
        super().save(*args, **kwargs)

    def _measure_logo(self):
        """The logo's width and height (for the header's img), read when it is new."""
        if not self.logo:
            self.logo_width = self.logo_height = None
            return
        if getattr(self.logo, "_committed", True) and self.logo_width is not None:
            return  # the stored logo, measured when it was uploaded
        try:
            self.logo.open("rb")
            data = self.logo.read()
        except OSError:
            self.logo_width = self.logo_height = None
            return
        if getattr(self.logo, "_committed", True):
            self.logo.close()
        else:
            self.logo.seek(0)  # an upload, read again when it is stored
        measure = logos.svg_size if logos.is_svg(self.logo.name) else logos.raster_size
        self.logo_width, self.logo_height = measure(data)

    def values(self):
        return BrandValues(
            name=self.name,
            tagline=self.tagline,
            accent=self.accent,
            logo_url=self.logo.url if self.logo else "",
            logo_width=self.logo_width,
            logo_height=self.logo_height,
            social_image_url=self.social_image.url if self.social_image else "",
        )


def default_values(hub):
    """A hub with no brand row: its name (the first hub's: settings.HUB_SITE_NAME, as ever)."""
    return BrandValues(name=settings.HUB_SITE_NAME if hub.is_default else hub.name)


def current(hub=None):
    """The brand of `hub`, by default the hub being served (hubs.current()): kept by each
    app server while no change to the site is heard (common.memo); otherwise one cache
    read in steady state, the database on a miss.

    With no brand row the miss is cached too, so a hub that never set a brand does not
    ask the database on every page either. With Redis down and no memo it is one query
    by key per page, as for the footer's funders."""
    hub = hub or hubs.current()
    keys = {hubs.surrogate_key(hub.id)}
    cached = memo.content(f"brand-{hub.id}", keys, lambda: _stored_values(hub.id))
    return default_values(hub) if cached == NO_ROW else cached


def _stored_values(hub_id):
    cached = cache.get(CACHE_KEY(hub_id))
    if cached is None:
        row = Brand.objects.filter(hub_id=hub_id).first() if hub_id is not None else None
        cached = row.values() if row else NO_ROW
        cache.set(CACHE_KEY(hub_id), cached, timeout=CACHE_SECONDS)
    return cached


def forget_current(instance=None, **kwargs):
    """A signal receiver: a brand changed. Cleared now and again after the commit, so a
    page rendered meanwhile cannot cache the old brand for long."""
    key = CACHE_KEY(instance.hub_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
