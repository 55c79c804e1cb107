"""What articles are filed under and made by: topics, content types, experts, sponsors."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from articles import images
from articles.models.hubs import CURRENT, OnHubs, OnHubsQuerySet, hub_id_of
from articles.search_text import searchable
from common.image_files import PictureField

TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame", "pr", "md", "phd"}


class DemoFlag(models.Model):
    is_demo = models.BooleanField(
        _("demo content"),
        default=False,
        help_text=_("Written by the Hub team to show the site; not real clinical content."),
    )

    class Meta:
        abstract = True


class Topic(OnHubs, DemoFlag):
    """An area of interest; topics may nest ("Relapsed/refractory" > "CAR T-cell therapy")."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Colour(models.TextChoices):
        # Each maps to a custom property in hub.css (--topic-blue…), so themes can adapt it.
        BLUE = "blue", _("Blue")
        TEAL = "teal", _("Teal")
        GREEN = "green", _("Green")
        AMBER = "amber", _("Amber")
        ROSE = "rose", _("Rose")
        VIOLET = "violet", _("Violet")

    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    colour = models.CharField(
        _("colour"),
        max_length=10,
        choices=Colour.choices,
        default=Colour.BLUE,
        help_text=_("The pattern on cards of this topic's articles that have no image."),
    )

    objects = OnHubsQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="articles_topic_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic_detail", args=[self.slug])

    def family_ids(self, topics):
        """This topic's id and those of all topics nested under it, from a list of all topics."""
        children = {}
        for topic in topics:
            children.setdefault(topic.parent_id, []).append(topic.pk)
        family, frontier = [], [self.pk]
        while frontier:
            family.extend(frontier)
            frontier = [child for pk in frontier for child in children.get(pk, [])]
        return family

    @staticmethod
    def tree(topics):
        """Nest a flat list of topics as [{"topic": t, "children": [...]}, ...]."""
        nodes = {topic.pk: {"topic": topic, "children": []} for topic in topics}
        roots = []
        for topic in topics:
            parent = nodes.get(topic.parent_id)
            (parent["children"] if parent else roots).append(nodes[topic.pk])
        return roots

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A topic cannot sit inside itself.")})
            ancestor = ancestor.parent


class ArticleType(models.Model):
    """What kind of content an article is: article, expert interview, video, podcast…"""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    plural = models.CharField(_("plural name"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("content type")
        verbose_name_plural = _("content types")

    def __str__(self):
        return self.name


class Expert(OnHubs, DemoFlag):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    role = models.CharField(_("role"), max_length=160, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    photo = PictureField(
        _("photo"),
        upload_to=images.photo_name,
        blank=True,
        help_text=_("Cropped to a square around the centre. At least 320 × 320 pixels."),
    )
    photo_ready = models.BooleanField(
        _("photo sizes made"),
        default=False,
        db_default=False,  # rows an older release inserts during a deploy
        editable=False,
        help_text=_("Its sizes are made by the worker after a save; until then initials show."),
    )
    photo_alt = models.CharField(
        _("photo description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_(
            "For example “Portrait of Dr Jane Doe”. Required unless the photo is decorative."
        ),
    )
    photo_decorative = models.BooleanField(
        _("the photo is decorative"),
        default=False,
        help_text=_("Tick when the photo sits next to the name and adds nothing a reader needs."),
    )
    bio = models.TextField(_("short biography"), blank=True)
    # The folded name search compares (articles.search_text), " sofia marin | ".
    search_name = models.TextField(editable=False, default="")
    committees = models.ManyToManyField(
        "hubs.Hub",
        verbose_name=_("steering committee of"),
        related_name="+",
        blank=True,
        help_text=_("The hubs whose steering committee they sit on."),
    )
    order = models.PositiveIntegerField(_("order on the committee page"), default=0)

    objects = OnHubsQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [*images.description_constraints("articles_expert", "photo")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        renamed = self.search_name != searchable(self.name)
        self.search_name = searchable(self.name)
        super().save(*args, **kwargs)
        if renamed:  # their articles are found by the expert's name too
            for article in self.articles.all():
                article.save()

    def get_absolute_url(self):
        return reverse("articles:expert_detail", args=[self.slug])

    def clean(self):
        images.require_description(self.photo, self.photo_alt, self.photo_decorative, "photo_alt")

    @property
    def portrait(self):
        """The photo's renditions (images.Picture), or None: then initials stand in."""
        if not self.photo_ready:
            return None  # its sizes are being made: initials stand in meanwhile
        alt = "" if self.photo_decorative else self.photo_alt
        return images.Picture.of(self.photo, images.PORTRAIT, alt)

    def latest_disclosure(self):
        """The person's current disclosure, with its relationships, or None."""
        return self.disclosures.prefetch_related("relationships").first()

    @property
    def initials(self):
        """ "Dr Amelia Hart" → "AH": titles are not initials."""
        words = [w for w in self.name.replace(".", " ").split() if w.lower() not in TITLES]
        if not words:
            return self.name[:1].upper()
        return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()

    @property
    def location(self):
        return ", ".join(part for part in (self.city, self.country.name) if part)


class Sponsor(DemoFlag):
    """A funder (a company or foundation): what it funds on each hub, and at which level,
    is a Sponsorship."""

    class Level(models.IntegerChoices):
        # Lower sorts first: the footer lists the largest funders first.
        PLATINUM = 1, _("Platinum")
        GOLD = 2, _("Gold")
        SILVER = 3, _("Silver")
        BRONZE = 4, _("Bronze")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    logo = PictureField(
        _("logo"), upload_to="sponsors/", blank=True, help_text=_("PNG, JPEG or WebP.")
    )
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self):
        return self.name


class SponsorshipQuerySet(models.QuerySet):
    def listed(self, hub=CURRENT):
        """The current funders of a hub (the hub being served by default), largest first."""
        hub_id = hub_id_of(hub)
        return self.filter(hub_id=hub_id, is_active=True).select_related("sponsor")


class Sponsorship(models.Model):
    """A sponsor's funding of one hub: each hub lists its own funders, by level."""

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hub"), on_delete=models.CASCADE, related_name="+"
    )
    sponsor = models.ForeignKey(
        Sponsor, verbose_name=_("sponsor"), on_delete=models.CASCADE, related_name="sponsorships"
    )
    level = models.PositiveSmallIntegerField(_("funding level"), choices=Sponsor.Level.choices)
    order = models.PositiveIntegerField(_("order within its level"), default=0)
    is_active = models.BooleanField(_("currently a funder"), default=True)

    objects = SponsorshipQuerySet.as_manager()

    class Meta:
        ordering = ["level", "order", "sponsor__name"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        constraints = [
            models.UniqueConstraint(fields=["hub", "sponsor"], name="one_sponsorship_per_hub")
        ]

    def __str__(self):
        return f"{self.sponsor} ({self.get_level_display()})"
