"""An article: its text, publication, pictures, funding and the queries that find it
(the parts it is made of are in articles/models/parts.py)."""

import re
from decimal import Decimal

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import images, rendering
from articles.models.catalogue import ArticleType, DemoFlag, Expert, Sponsor, Topic
from articles.models.hubs import CURRENT, OnHubs, OnHubsQuerySet
from articles.search_text import searchable, weighted_vector
from articles.video import video_embed
from common.image_files import PictureField

CITED = re.compile(r'id="cite-(\d+)"')
# The sections the article template titles itself; the body's h3s nest under its h2s only.
FIXED_SECTIONS = {"objectives-title", "disclosures-title", "interview-title"}


def people_without_disclosure(people):
    """Those of `people` (experts) with no disclosure on file, by name."""
    from articles.models.disclosure import Disclosure

    people = [person for person in people if person is not None]
    disclosed = set(
        Disclosure.objects.filter(person__in=[p.pk for p in people]).values_list(
            "person_id", flat=True
        )
    )
    return sorted((p for p in people if p.pk not in disclosed), key=lambda p: p.name)


def undisclosed_message(missing):
    names = ", ".join(person.name for person in missing)
    return _(
        "A CME activity cannot be published while someone in control of its content has "
        "no disclosure on file: %(names)s. Record their disclosure (Experts › Disclosures) "
        "or save the article as a draft."
    ) % {"names": names}


class ArticleQuerySet(OnHubsQuerySet):
    def published(self, hub=CURRENT):
        """What readers of `hub` may see (by default the hub being served; None: every
        hub): published, and its publication time has come."""
        return self.on_hub(hub).filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def scheduled(self):
        """Published by an editor, waiting for its publication time."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def for_cards(self):
        """Everything an article card shows, in a fixed number of queries."""
        first_topic = Topic.objects.filter(articles=models.OuterRef("pk")).order_by("order", "pk")
        roles = self.model._meta.get_field("article_experts").related_model  # ArticleExpert
        return (
            self.select_related("article_type")
            .prefetch_related(
                models.Prefetch("article_experts", queryset=roles.objects.select_related("expert"))
            )
            # The colour of a card without an image, and the topic its line names, in
            # the same query as the card.
            .annotate(
                card_colour=models.Subquery(first_topic.values("colour")[:1]),
                card_topic=models.Subquery(first_topic.values("name")[:1]),
            )
        )

    def for_page(self):
        """Everything the article page shows, in a fixed number of queries."""
        return (
            self.for_cards()
            .select_related("sponsor")
            .prefetch_related(
                "topics",
                "learning_objectives",
                "key_learnings",
                "references",
                models.Prefetch(
                    "content_roles",
                    queryset=self.model._meta.get_field(
                        "content_roles"
                    ).related_model.objects.select_related("person"),
                ),
            )
        )

    def in_topics(self, topic_ids):
        return self.filter(topics__in=topic_ids).distinct()


class Article(OnHubs, DemoFlag):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published (at the publication time)")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    article_type = models.ForeignKey(
        ArticleType, verbose_name=_("content type"), on_delete=models.PROTECT
    )
    summary = models.TextField(
        _("summary"), help_text=_("One or two sentences for cards, search results and sharing.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: set when the article is published. A future time schedules it: it "
            "appears by itself at that time."
        ),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    sponsor = models.ForeignKey(
        Sponsor,
        verbose_name=_("supported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="articles")
    experts = models.ManyToManyField(
        Expert, verbose_name=_("experts"), through="ArticleExpert", related_name="articles"
    )

    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown. Cite references as [1] or [1,2]; trial ids such as NCT04246047 "
            "become links to ClinicalTrials.gov."
        ),
    )
    question = models.CharField(
        _("interview question"),
        max_length=255,
        blank=True,
        help_text=_("For interviews: the question the expert was asked."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    lead_image = PictureField(
        _("lead image"),
        upload_to=images.lead_image_name,
        blank=True,
        help_text=_(
            "Shown at the top of the article, on its cards and as the video poster, cropped "
            "to 16:9 around the centre. At least 1280 × 720 pixels; JPEG, PNG or WebP."
        ),
    )
    lead_image_ready = models.BooleanField(
        _("lead image sizes made"),
        default=False,
        db_default=False,  # rows an older release inserts during a deploy
        editable=False,
        help_text=_(
            "Its sizes are made by the worker after a save; until then cards show a pattern."
        ),
    )
    lead_image_alt = models.CharField(
        _("lead image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the image shows, for readers who cannot see it. Required unless the image "
            "is decorative."
        ),
    )
    lead_image_decorative = models.BooleanField(
        _("the lead image is decorative"),
        default=False,
        help_text=_(
            "Tick when the image adds nothing a reader needs (an abstract illustration): "
            "screen readers then skip it."
        ),
    )
    video_url = models.URLField(
        _("video URL"),
        blank=True,
        help_text=_(
            "A video file (.mp4, .webm) or a YouTube/Vimeo address. Embeds load only "
            "after the reader asks for them."
        ),
    )
    video_duration = models.DurationField(
        _("video duration"),
        null=True,
        blank=True,
        help_text=_("Shown on the video poster: minutes:seconds (12:34) or hours:minutes:seconds."),
    )
    transcript = models.TextField(_("transcript"), blank=True, help_text=_("Markdown."))

    # Continuing medical education: disclosures before publishing, and the credit, if
    # any, that the certificate after the quiz states.
    is_cme = models.BooleanField(
        _("CME activity"),
        default=False,
        help_text=_(
            "A continuing medical education activity: it cannot be published until every "
            "expert, planner and reviewer has a disclosure on file, and readers see the "
            "disclosures before they start."
        ),
    )
    carries_credit = models.BooleanField(
        _("certified for credit"),
        default=False,
        help_text=_(
            "Untick for “not certified for credit”: the certificate then records completion only."
        ),
    )
    credit_type = models.CharField(
        _("type of credit"),
        max_length=120,
        blank=True,
        help_text=_("e.g. “AMA PRA Category 1 Credit™” or “CPD credits”."),
    )
    credit_amount = models.DecimalField(
        _("credit amount"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    accreditation_statement = models.TextField(
        _("accreditation statement"),
        blank=True,
        help_text=_(
            "The accreditor's statement and credit designation, shown before the activity."
        ),
    )

    # Computed on save from the fields above and the article's references.
    body_html = models.TextField(editable=False, default="")
    transcript_html = models.TextField(editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    search_document = models.TextField(editable=False, default="")
    # Folded copies that search compares on both databases (articles.search_text).
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_last=True), "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="articles_published_idx")]
        constraints = [
            # Pages, feeds and the admin compare the publication time: it must be there.
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="articles_published_has_time",
                violation_error_message=_("A published article needs a publication time."),
            ),
            *images.description_constraints("articles", "lead_image"),
            models.CheckConstraint(
                condition=models.Q(carries_credit=False)
                | (
                    models.Q(is_cme=True, credit_amount__gt=0)
                    & ~models.Q(credit_type="")
                    & ~models.Q(accreditation_statement="")
                ),
                name="articles_credit_is_complete",
                violation_error_message=_(
                    "Credit needs a CME activity, its type, an amount above zero and the "
                    "accreditation statement."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Forms validate the constraint before save(): publishing now is not an error.
        self.fill_publication_time()
        images.require_description(
            self.lead_image, self.lead_image_alt, self.lead_image_decorative, "lead_image_alt"
        )
        # The admin checks the people in its inlines, as the editor left them; anywhere
        # else the saved ones are the article's people.
        if self.pk and not self.people_checked_in_form:
            self.require_disclosures(self.people_in_control())

    # Set by a form that checks the people it edits itself (the article admin's inlines).
    people_checked_in_form = False

    @property
    def credit_amount_display(self):
        """0.5, 1 or 1.25: the amount without trailing zeros, in the reader's locale."""
        if self.credit_amount is None:
            return ""
        amount = Decimal(str(self.credit_amount))
        return number_format(
            amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()
        )

    @property
    def is_published_as_cme(self):
        return self.is_cme and self.status == self.Status.PUBLISHED

    def people_in_control(self):
        """Everyone in control of the content: its experts, planners and reviewers."""
        people = {role.expert for role in self.article_experts.select_related("expert")}
        people |= {role.person for role in self.content_roles.select_related("person")}
        return people

    def require_disclosures(self, people):
        """A published CME activity needs a disclosure on file for each of `people`."""
        if not self.is_published_as_cme:
            return
        missing = people_without_disclosure(people)
        if missing:
            raise ValidationError(undisclosed_message(missing))

    def disclosures(self):
        """[(person, [role labels], latest disclosure or None)] for the article page, from
        what for_page() prefetched and one query for the disclosures (with relationships)."""
        from articles.models.disclosure import Disclosure

        roles = {}
        for role in self.article_experts.all():
            roles.setdefault(role.expert, []).append(_("Expert"))
        for role in self.content_roles.all():
            roles.setdefault(role.person, []).append(role.get_role_display())
        if not roles:
            return []
        latest = {
            d.person_id: d
            for d in Disclosure.objects.current()
            .filter(person__in=[p.pk for p in roles])
            .prefetch_related("relationships")
        }
        return [(person, labels, latest.get(person.pk)) for person, labels in roles.items()]

    def save(self, *args, **kwargs):
        self.fill_publication_time()
        self.render()
        super().save(*args, **kwargs)
        self.update_search_vector()

    def fill_publication_time(self):
        """Published without a time means published now."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def ordered_experts(self):
        return [role.expert for role in self.article_experts.all()]

    @property
    def is_interview(self):
        return bool(self.question or self.introduction or self.video_url or self.transcript)

    def cited_numbers(self):
        """Reference numbers cited in the text, so a reference can link back to its citation."""
        return {int(n) for n in CITED.findall(self.body_html + self.transcript_html)}

    def contents(self, disclosures=False):
        """The page's sections for its on-page contents: [(id, label, [(id, label)])].

        From what for_page() prefetched and the stored body, without a query; the ids are
        those the article template and heading_ids() give the headings.
        """
        sections = []
        if self.learning_objectives.all():
            sections.append(("objectives-title", _("Learning objectives"), []))
        if disclosures:
            label = _("Accreditation and disclosures") if self.is_cme else _("Disclosures")
            sections.append(("disclosures-title", label, []))
        if self.is_interview:
            sections.append(("interview-title", _("The interview"), []))
        for level, anchor, text in rendering.headings(self.body_html):
            if level == 3 and sections and sections[-1][0] not in FIXED_SECTIONS:
                sections[-1][2].append((anchor, text))
            else:
                sections.append((anchor, text, []))
        if self.key_learnings.all():
            sections.append(("key-learnings-title", _("Key learnings"), []))
        if self.references.all():
            sections.append(("references-title", _("References"), []))
        if self.sponsor_id:
            sections.append(("funding-title", _("Funding"), []))
        experts = self.ordered_experts
        if experts:
            label = ngettext("About the expert", "About the experts", len(experts))
            sections.append(("experts-title", label, []))
        return sections

    @property
    def video(self):
        return video_embed(self.video_url) if self.video_url else None

    @property
    def lead_picture(self):
        """The lead image's renditions (images.Picture), or None."""
        if not self.lead_image_ready:
            return None  # its sizes are being made: the pattern stands in meanwhile
        alt = "" if self.lead_image_decorative else self.lead_image_alt
        return images.Picture.of(self.lead_image, images.LEAD, alt)

    @property
    def art_variant(self):
        """Which of the patterns a card without an image shows, so neighbours differ."""
        return (self.pk or 0) % 3

    @property
    def share_image_url(self):
        """The largest JPEG/PNG rendition, for link previews (og:image)."""
        if not self.lead_image or not self.lead_image_ready:
            return ""
        return images.rendition_url(self.lead_image, images.LEAD, images.LEAD.widths[-1])

    @property
    def is_visible(self):
        """The instance-level twin of ArticleQuerySet.published()."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def state_label(self):
        if self.status == self.Status.DRAFT:
            return _("Draft")
        return _("Published") if self.is_visible else _("Scheduled")

    def render(self):
        """Compute the stored HTML, reading time and search text (run on every save)."""
        reference_count = self.references.count() if self.pk else 0
        seen = {}  # one set of citation anchors for the body and the transcript
        self.body_html = rendering.heading_ids(
            rendering.markdown_to_html(self.body, reference_count, seen)
        )
        self.transcript_html = rendering.markdown_to_html(self.transcript, reference_count, seen)
        body_text = rendering.plain_text(self.body_html)
        transcript_text = rendering.plain_text(self.transcript_html)
        self.reading_minutes = rendering.reading_minutes(
            self.introduction, body_text, transcript_text
        )
        key_learnings = (
            " ".join(self.key_learnings.values_list("text", flat=True)) if self.pk else ""
        )
        # Readers search for the experts by name too ("Sofia Marin").
        experts = (
            " ".join(self.article_experts.values_list("expert__name", flat=True)) if self.pk else ""
        )
        self.search_document = " ".join(
            part
            for part in (self.summary, key_learnings, body_text, transcript_text, experts)
            if part
        )
        self.search_title = searchable(self.title)
        self.search_text = searchable(self.search_document)

    def update_search_vector(self):
        """PostgreSQL keeps a weighted tsvector: title, then summary, then the rest."""
        if connection.vendor != "postgresql":
            return
        Article.objects.filter(pk=self.pk).update(search_vector=weighted_vector(self.summary))

    def related(self, limit=3):
        """Other published articles sharing a topic, newest first."""
        topic_ids = [topic.pk for topic in self.topics.all()]
        return (
            Article.objects.published().in_topics(topic_ids).exclude(pk=self.pk).for_cards()[:limit]
        )
