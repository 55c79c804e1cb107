"""Experts and their disclosures of financial relationships."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.desk import OnHubsAdmin
from articles.models import Article, Disclosure, Expert, FinancialRelationship
from common.admin import DESK_FIELDS, LabelledCells, picture_sizes
from common.pending_uploads import KeepsUploads


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
