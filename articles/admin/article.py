"""The article editor: its state, people, learning objectives, key learnings and
references, the Markdown preview, and the actions on articles."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import rendering
from articles.admin.desk import HTTPS_URLS, OnHubsAdmin, TopicChoices, article_links
from articles.models import (
    Article,
    ArticleExpert,
    ContentRole,
    KeyLearning,
    LearningObjective,
    Reference,
)
from articles.models.article import people_without_disclosure, undisclosed_message
from common.admin import LabelledCells, picture_sizes
from common.pending_uploads import KeepsUploads


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
        links = article_links(article) if article.pk else []
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
