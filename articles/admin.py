"""The editors' desk for articles, experts, topics, sponsors and content types."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Article,
    ArticleExpert,
    ArticleType,
    Expert,
    KeyLearning,
    LearningObjective,
    Reference,
    SearchSynonym,
    Sponsor,
    Topic,
)

# Addresses typed without a scheme are https://, as Django 6 will assume.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# Links other apps add to an article's admin page (e.g. its quiz), registered when
# their admin modules load; the core never names them.
_article_links = []


def register_article_link(link):
    """`link(article)` returns (text, url) for the article's change page, or None."""
    if link not in _article_links:
        _article_links.append(link)


class OrderedInline(admin.TabularInline):
    extra = 0
    min_num = 0


class ArticleExpertFormSet(BaseInlineFormSet):
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
    autocomplete_fields = ["expert"]
    fields = ["order", "expert"]


class LearningObjectiveInline(OrderedInline):
    model = LearningObjective
    fields = ["order", "text"]


class KeyLearningInline(OrderedInline):
    model = KeyLearning
    fields = ["order", "text"]


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 0
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
                return queryset.published()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    filter_horizontal = ["topics"]
    autocomplete_fields = ["sponsor"]
    readonly_fields = [
        "related_links",
        "reading_minutes",
        "lead_image_ready",
        "created_at",
        "updated_at",
    ]
    inlines = [ArticleExpertInline, LearningObjectiveInline, KeyLearningInline, ReferenceInline]
    formfield_overrides = HTTPS_URLS
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "article_type", "summary"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "last_reviewed", "featured", "is_demo"]},
        ),
        (_("Topics and funding"), {"fields": ["topics", "sponsor"]}),
        (_("Content"), {"fields": ["body"]}),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_decorative",
                    "lead_image_ready",
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # References and key learnings are saved after the article: render again
        # so citations link to them and search covers the key learnings.
        form.instance.save()


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "institution", "country", "is_committee_member", "is_demo"]
    list_filter = ["is_committee_member", "country", "is_demo"]
    list_editable = ["is_committee_member"]
    search_fields = ["name", "institution", "role"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_ready"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "order", "colour", "is_demo"]
    list_editable = ["order"]
    list_filter = ["parent", "is_demo"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "order", "is_active", "is_demo"]
    list_editable = ["level", "order", "is_active"]
    list_filter = ["level", "is_active", "is_demo"]
    search_fields = ["name"]
    formfield_overrides = HTTPS_URLS
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ArticleType)
class ArticleTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "plural", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__"]
    search_fields = ["terms"]
