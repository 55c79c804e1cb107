"""The editors' desk for articles, experts, topics, sponsors and content types."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import rendering
from articles.models import (
    Article,
    ArticleExpert,
    ArticleType,
    ContentRole,
    Disclosure,
    Expert,
    FinancialRelationship,
    KeyLearning,
    LearningObjective,
    Reference,
    SearchSynonym,
    Sponsor,
    Sponsorship,
    Topic,
)
from articles.models.article import people_without_disclosure, undisclosed_message
from common.admin import DESK_FIELDS, LabelledCells, picture_sizes
from common.pending_uploads import KeepsUploads
from hubs.scope import HubScopedAdmin, hub_ids

# Addresses typed without a scheme are https://, as Django 6 will assume; times and dates
# in the browser's own controls (common.admin).
HTTPS_URLS = {**DESK_FIELDS, models.URLField: {"assume_scheme": "https"}}


class OnHubsAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Content with a home hub and hubs it is shared with, edited by the editors of its
    home hub (hubs.scope): the hubs as radio buttons and tick boxes (a few hubs, each
    visible at once)."""

    radio_fields = {"hub": admin.HORIZONTAL}


# Links other apps add to an article's admin page (e.g. its quiz), registered when
# their admin modules load; the core never names them.
_article_links = []


def register_article_link(link):
    """`link(article)` returns (text, url) for the article's change page, or None."""
    if link not in _article_links:
        _article_links.append(link)


class MarkdownEditor(forms.Textarea):
    """A Markdown textarea with a preview beside it: the server renders the text with the
    site's own sanitising renderer (ArticleAdmin.preview_view) as the editor types
    (static/js/desk.js). Without JavaScript it is the plain textarea."""

    class Media:
        js = ["js/desk.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 24, "class": "markdown-source", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        preview_id = f"{(attrs or {}).get('id', name)}_preview"
        # Hidden until the script fills it: without JavaScript there is nothing to show.
        return format_html(
            '<div class="markdown-editor">{}'
            '<section class="markdown-preview" id="{}" data-preview-url="{}" '
            'aria-label="{}" aria-live="polite" hidden></section></div>',
            textarea,
            preview_id,
            reverse("admin:articles_article_preview"),
            _("Preview"),
        )


class OrderedInline(LabelledCells, admin.TabularInline):
    # One empty row ready to fill in, on a new article as on an old one.
    extra = 1
    min_num = 0
    # An objective or key learning is a sentence or two: rows of two lines, not ten.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class PeopleFormSet(BaseInlineFormSet):
    """People in control of an article's content: each needs a disclosure on file before
    the article is published as a CME activity (the editor's choices in this save)."""

    person_field = "expert"

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get(self.person_field) and not form.cleaned_data.get("DELETE")
        ]
        if not self.instance.is_published_as_cme:
            return
        missing = set(people_without_disclosure(f.cleaned_data[self.person_field] for f in kept))
        for form in kept:
            person = form.cleaned_data[self.person_field]
            if person in missing:
                form.add_error(self.person_field, undisclosed_message([person]))


class ArticleExpertFormSet(PeopleFormSet):
    """An expert appears once per article, even if another editor added them meanwhile."""

    def clean(self):
        super().clean()
        if not self.instance.pk:
            return
        chosen = [
            form.cleaned_data["expert"]
            for form in self.forms
            if form.cleaned_data.get("expert") and not form.cleaned_data.get("DELETE")
        ]
        in_form = [form.instance.pk for form in self.forms if form.instance.pk]
        clash = ArticleExpert.objects.filter(article=self.instance, expert__in=chosen).exclude(
            pk__in=in_form
        )
        if clash.exists():
            raise ValidationError(
                _("%(expert)s is already listed on this article.")
                % {"expert": clash.first().expert}
            )


class ArticleExpertInline(OrderedInline):
    model = ArticleExpert
    formset = ArticleExpertFormSet
    fields = ["order", "expert"]


class ContentRoleFormSet(PeopleFormSet):
    person_field = "person"


class ContentRoleInline(LabelledCells, admin.TabularInline):
    model = ContentRole
    formset = ContentRoleFormSet
    extra = 0
    fields = ["person", "role"]


class LearningObjectiveInline(OrderedInline):
    model = LearningObjective
    fields = ["order", "text"]


class KeyLearningInline(OrderedInline):
    model = KeyLearning
    fields = ["order", "text"]


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 1
    formfield_overrides = HTTPS_URLS
    fields = [("order", "authors"), "title", ("source", "url"), ("published_on", "accessed_on")]


class TopicChoices(forms.ModelMultipleChoiceField):
    """Topics as a list of ticks (not the admin's two-list chooser, whose controls have
    no names), each nested topic named with the one it sits in, below it."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        parent_first = [
            Coalesce("parent__order", "order"),
            Coalesce("parent__name", "name"),
            F("parent").asc(nulls_first=True),
            "order",
            "name",
        ]
        queryset = queryset.select_related("parent").order_by(*parent_first)
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, topic):
        if topic.parent_id:
            return f"{topic.parent.name} › {topic.name}"
        return topic.name


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("live", _("Published"))]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.drafts()
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published(hub=None)  # every hub the editor sees
        return queryset


class ArticleAdminForm(forms.ModelForm):
    """Draft, Scheduled or Published, said in so many words.

    The database keeps a scheduled article as published with a future publication time
    (Article.objects.scheduled()), so pages, feeds and the page cache's timing are the
    same as ever; here the editor chooses the state, and the time must agree with it.
    """

    SCHEDULED = "scheduled"

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Article.Status.DRAFT, _("Draft: only editors can see it")),
            (SCHEDULED, _("Scheduled: it appears by itself at the publication time")),
            (Article.Status.PUBLISHED, _("Published: readers can see it now")),
        ],
        widget=AdminRadioSelect(attrs={"class": "radiolist"}),
    )

    class Meta:
        model = Article
        # ArticleAdmin's fieldsets name the rest; these are the ones set here.
        fields = ["status", "body", "transcript"]
        widgets = {"body": MarkdownEditor, "transcript": MarkdownEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance
        if article.pk and article.status == Article.Status.PUBLISHED and not article.is_visible:
            self.initial["status"] = self.SCHEDULED
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = _(
                "Scheduled: when it appears (a future time). Published: leave empty to "
                "publish now; it is filled in on save."
            )

    def clean(self):
        cleaned = super().clean()
        state, when = cleaned.get("status"), cleaned.get("published_at")
        if state == self.SCHEDULED:
            if when is None or when <= timezone.now():
                self.add_error(
                    "published_at",
                    _(
                        "To schedule the article, give a publication time in the future "
                        "(or choose Published to publish it now)."
                    ),
                )
            cleaned["status"] = Article.Status.PUBLISHED
        elif state == Article.Status.PUBLISHED and when and when > timezone.now():
            self.add_error(
                "published_at",
                _(
                    "This time is in the future: choose Scheduled to publish the article "
                    "then, or clear the time to publish it now."
                ),
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(KeepsUploads, OnHubsAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "article_type",
        "state",
        "published_at",
        "featured",
        "sponsor",
        "is_demo",
    ]
    list_filter = [
        StateFilter,
        "article_type",
        "topics",
        "sponsor",
        "featured",
        "is_demo",
    ]
    list_select_related = ["article_type", "sponsor"]
    search_fields = ["title", "summary", "body", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "related_links",
        "reading_minutes",
        "lead_image_sizes",
        "created_at",
        "updated_at",
    ]
    inlines = [
        ArticleExpertInline,
        ContentRoleInline,
        LearningObjectiveInline,
        KeyLearningInline,
        ReferenceInline,
    ]
    # The inlines (experts, people, objectives, key learnings, references) follow this
    # many fieldsets, near the top of the form, before the body and the pictures.
    fieldsets_before_inlines = 3
    formfield_overrides = HTTPS_URLS
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "article_type", "summary"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "hub",
                    "shared_with",
                    "status",
                    "published_at",
                    "last_reviewed",
                    "featured",
                    "is_demo",
                ]
            },
        ),
        (_("Topics and funding"), {"fields": ["topics", "sponsor"]}),
        (
            _("Continuing medical education"),
            {
                "fields": [
                    "is_cme",
                    "carries_credit",
                    ("credit_type", "credit_amount"),
                    "accreditation_statement",
                ],
                "description": _(
                    "Experts, planners and reviewers (below) each need a disclosure on file "
                    "before a CME activity is published."
                ),
            },
        ),
        (_("Content"), {"fields": ["body"]}),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_decorative",
                    "lead_image_sizes",
                ]
            },
        ),
        (
            _("Interview"),
            {
                "fields": [
                    "question",
                    "introduction",
                    "video_url",
                    "video_duration",
                    "transcript",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Computed"), {"fields": ["reading_minutes", "created_at", "updated_at"]}),
        (_("Related"), {"fields": ["related_links"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class PeopleCheckedInline(form):
            # The inlines check the people as the editor left them (PeopleFormSet); the
            # model's own check would see the saved ones, before this save's changes.
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance.people_checked_in_form = True

        return PeopleCheckedInline

    @admin.display(description=_("linked pages"))
    def related_links(self, article):
        links = [link(article) for link in _article_links] if article.pk else []
        links = [link for link in links if link]
        if not links:
            return "—"
        return format_html_join(" · ", '<a href="{1}">{0}</a>', links)

    @admin.display(description=_("state"))
    def state(self, article):
        return article.state_label

    @admin.display(description=_("lead image sizes"))
    def lead_image_sizes(self, article):
        return picture_sizes(article.lead_image, article.lead_image_ready)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            kwargs["form_class"] = TopicChoices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        context["fieldsets_before_inlines"] = self.fieldsets_before_inlines
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="articles_article_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The Markdown posted, as readers would get it: rendered and sanitised by the
        site's own renderer (articles.rendering), for editors who may write articles."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        references = request.POST.get("references", "")
        references = int(references) if references.isascii() and references.isdigit() else 0
        text = request.POST.get("text", "")
        html = rendering.heading_ids(rendering.markdown_to_html(text, min(references, 999)))
        return HttpResponse(html, content_type="text/html; charset=utf-8")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # References and key learnings are saved after the article: render again
        # so citations link to them and search covers the key learnings.
        form.instance.save()


class DisclosureInline(LabelledCells, admin.TabularInline):
    """The person's disclosures, newest first, each opened on its own page to edit."""

    model = Disclosure
    extra = 0
    fields = ["disclosed_on", "nothing_to_disclose", "recorded_by", "recorded_at", "edit_link"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("disclosures (newest first; readers see the newest)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("edit"))
    def edit_link(self, disclosure):
        url = reverse("admin:articles_disclosure_change", args=[disclosure.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


@admin.register(Expert)
class ExpertAdmin(KeepsUploads, OnHubsAdmin):
    list_display = [
        "name",
        "role",
        "institution",
        "country",
        "committee",
        "disclosed_on",
        "is_demo",
    ]
    list_filter = ["committees", "country", "is_demo"]
    hub_fields = ("hub", "shared_with", "committees")
    search_fields = ["name", "institution", "role"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = DESK_FIELDS
    readonly_fields = ["photo_sizes", "add_disclosure"]
    inlines = [DisclosureInline]

    def get_queryset(self, request):
        latest = Disclosure.objects.filter(person=models.OuterRef("pk")).order_by("-disclosed_on")
        return (
            super()
            .get_queryset(request)
            .annotate(latest_disclosure_on=models.Subquery(latest.values("disclosed_on")[:1]))
            .prefetch_related("committees")
        )

    @admin.display(description=_("steering committee of"))
    def committee(self, expert):
        return ", ".join(hub.name for hub in expert.committees.all()) or "–"

    @admin.display(description=_("disclosed on"), ordering="latest_disclosure_on")
    def disclosed_on(self, expert):
        return expert.latest_disclosure_on or _("No disclosure on file")

    @admin.display(description=_("photo sizes"))
    def photo_sizes(self, expert):
        return picture_sizes(expert.photo, expert.photo_ready)

    @admin.display(description=_("disclosures"))
    def add_disclosure(self, expert):
        if not expert.pk:
            return _("Save the person first, then record their disclosure.")
        url = reverse("admin:articles_disclosure_add") + f"?person={expert.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Record a new disclosure"))


class DisclosureRelationshipsFormSet(BaseInlineFormSet):
    """A disclosure lists relationships, or says there are none: never both, never neither."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.instance.nothing_to_disclose and kept:
            raise ValidationError(
                _(
                    "This disclosure says “no relevant financial relationships”: untick it, "
                    "or remove the relationships."
                )
            )
        if not self.instance.nothing_to_disclose and not kept:
            raise ValidationError(
                _(
                    "List each financial relationship with an ineligible company, or tick "
                    "“no relevant financial relationships”."
                )
            )


class FinancialRelationshipInline(LabelledCells, admin.TabularInline):
    model = FinancialRelationship
    formset = DisclosureRelationshipsFormSet
    extra = 0
    fields = ["company", "nature", "detail", "has_ended"]


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["person", "disclosed_on", "nothing_to_disclose", "recorded_by", "recorded_at"]
    list_filter = ["nothing_to_disclose", "is_demo"]
    list_select_related = ["person", "recorded_by"]
    search_fields = ["person__name", "relationships__company"]
    formfield_overrides = DESK_FIELDS
    date_hierarchy = "disclosed_on"
    fields = [
        "person",
        "disclosed_on",
        "nothing_to_disclose",
        "mitigation",
        "is_demo",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = ["recorded_by", "recorded_at"]
    inlines = [FinancialRelationshipInline]
    actions = None  # deleting goes one at a time, through the check below

    def has_delete_permission(self, request, obj=None):
        """Not the only disclosure on file of someone shaping a published CME activity."""
        if obj is not None and not obj.person.disclosures.exclude(pk=obj.pk).exists():
            shaped = Article.objects.filter(is_cme=True, status=Article.Status.PUBLISHED).filter(
                models.Q(experts=obj.person) | models.Q(content_roles__person=obj.person)
            )
            if shaped.exists():
                return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user  # who recorded it; recorded_at is the time
        super().save_model(request, obj, form, change)


@admin.register(Topic)
class TopicAdmin(OnHubsAdmin):
    list_display = ["name", "parent", "order", "colour", "is_demo"]
    list_editable = ["order"]
    list_filter = ["parent", "is_demo"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class SponsorshipInline(HubScopedAdmin, admin.TabularInline):
    """What the sponsor funds on each hub: an editor sees and changes their hubs' only."""

    model = Sponsorship
    extra = 0
    fields = ["hub", "level", "order", "is_active"]
    hub_fields = ("hub",)


@admin.register(Sponsor)
class SponsorAdmin(KeepsUploads, admin.ModelAdmin):
    """Funders, shared by the hubs they fund. An editor lists the sponsors of their hubs
    (and those funding no hub yet); one funding another hub too is theirs to rename but
    not to delete."""

    list_display = ["name", "funding", "is_demo"]
    list_filter = ["sponsorships__level", "sponsorships__is_active", "is_demo"]
    search_fields = ["name"]
    formfield_overrides = HTTPS_URLS
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SponsorshipInline]

    def get_queryset(self, request):
        ids = hub_ids(request)
        shown = Sponsorship.objects.select_related("hub")  # named in the list
        if ids is not None:
            shown = shown.filter(hub__in=ids)
        found = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("sponsorships", queryset=shown, to_attr="shown_sponsorships")
            )
        )
        if ids is None:
            return found
        funding = Sponsorship.objects.filter(sponsor=OuterRef("pk"))
        return found.filter(Exists(funding.filter(hub__in=ids)) | ~Exists(funding))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        ids = hub_ids(request)
        if not allowed or obj is None or ids is None:
            return allowed
        return not obj.sponsorships.exclude(hub__in=ids).exists()

    @admin.display(description=_("funding"))
    def funding(self, sponsor):
        """ "Haematology Hub: Gold · Lymphoma Hub: Silver (past)" for the hubs shown."""
        current, past = _("%(hub)s: %(level)s"), _("%(hub)s: %(level)s (past)")
        return " · ".join(
            (current if each.is_active else past)
            % {"hub": each.hub.name, "level": each.get_level_display()}
            for each in sponsor.shown_sponsorships
        )


@admin.register(ArticleType)
class ArticleTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "plural", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__"]
    search_fields = ["terms"]
