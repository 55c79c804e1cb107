from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.admin import TopicChoices
from common.exports import csv_response
from hubs.scope import HubScopedAdmin
from newsletter.models import DigestIssue, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Each hub's newsletter subscribers, for the editors of that hub."""

    list_display = ["email", "hub", "confirmed_at", "created_at", "last_digest_at"]
    list_filter = ["hub", ("confirmed_at", admin.EmptyFieldListFilter), "interests"]
    list_select_related = ["hub"]
    hub_fields = ("hub",)
    radio_fields = {"hub": admin.HORIZONTAL}
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at", "last_digest_at"]
    actions = ["export_confirmed"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "interests":
            kwargs["form_class"] = TopicChoices  # ticks, not the two-list chooser
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description=_("Export confirmed subscribers as CSV"))
    def export_confirmed(self, request, queryset):
        confirmed = queryset.filter(confirmed_at__isnull=False).prefetch_related("interests")
        rows = (
            [
                subscriber.hub.name,
                subscriber.email,
                subscriber.confirmed_at.isoformat(),
                "; ".join(topic.name for topic in subscriber.interests.all()),
            ]
            for subscriber in confirmed.order_by("hub__name", "email").select_related("hub")
        )
        return csv_response(
            "newsletter-subscribers.csv", ["hub", "email", "confirmed_at", "interests"], rows
        )


@admin.register(DigestIssue)
class DigestIssueAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Issues are made by `send_newsletter_digest`; editors see how far their hubs' have
    gone."""

    list_display = ["date", "hub", "cut_off", "delivery_count"]
    list_filter = ["hub"]
    list_select_related = ["hub"]
    fields = ["hub", "date", "cut_off", "created_at", "delivery_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(delivery_count=Count("deliveries"))

    @admin.display(description=_("copies queued"), ordering="delivery_count")
    def delivery_count(self, issue):
        return issue.delivery_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
