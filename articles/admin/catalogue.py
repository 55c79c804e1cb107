"""What articles are filed under and who funds them: topics, sponsors (with their
funding of each hub), content types and search synonyms."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from articles.admin.desk import HTTPS_URLS, OnHubsAdmin
from articles.models import ArticleType, SearchSynonym, Sponsor, Sponsorship, Topic
from common.pending_uploads import KeepsUploads
from hubs.scope import HubScopedAdmin, hub_ids


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


def _funding_of(request):
    """The sponsorships of the sponsor in the outer query on the hubs the request's user
    edits (every hub for a superuser): what a sponsor list filters on."""
    funding = Sponsorship.objects.filter(sponsor=OuterRef("pk"))
    ids = hub_ids(request)
    return funding if ids is None else funding.filter(hub__in=ids)


class FundingLevelFilter(admin.SimpleListFilter):
    """Sponsors funding the editor's hubs at a level (not another hub's level)."""

    title = _("funding level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Sponsor.Level.choices

    def queryset(self, request, queryset):
        if self.value() not in {str(value) for value in Sponsor.Level.values}:
            return queryset
        return queryset.filter(Exists(_funding_of(request).filter(level=self.value())))


class CurrentFunderFilter(admin.SimpleListFilter):
    """Sponsors currently funding one of the editor's hubs, or none of them."""

    title = _("funding status")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current funder")), ("no", _("Not a current funder"))]

    def queryset(self, request, queryset):
        current = Exists(_funding_of(request).filter(is_active=True))
        if self.value() == "yes":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.filter(~current)
        return queryset


@admin.register(Sponsor)
class SponsorAdmin(KeepsUploads, admin.ModelAdmin):
    """Funders, shared by the hubs they fund. An editor lists the sponsors of their hubs
    (and those funding no hub yet); one funding another hub too is theirs to rename but
    not to delete."""

    list_display = ["name", "funding", "is_demo"]
    # By the funding of the editor's hubs: another hub's level is not theirs to see.
    list_filter = [FundingLevelFilter, CurrentFunderFilter, "is_demo"]
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
        return found.filter(Exists(_funding_of(request)) | ~Exists(funding))

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
