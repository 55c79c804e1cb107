from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.exports import csv_response
from newsletter.models import Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "created_at", "last_digest_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "interests"]
    search_fields = ["email"]
    filter_horizontal = ["interests"]
    readonly_fields = ["created_at", "confirmed_at", "last_digest_at"]
    actions = ["export_confirmed"]

    @admin.action(description=_("Export confirmed subscribers as CSV"))
    def export_confirmed(self, request, queryset):
        confirmed = queryset.filter(confirmed_at__isnull=False).prefetch_related("interests")
        rows = (
            [
                subscriber.email,
                subscriber.confirmed_at.isoformat(),
                "; ".join(topic.name for topic in subscriber.interests.all()),
            ]
            for subscriber in confirmed.order_by("email")
        )
        return csv_response(
            "newsletter-subscribers.csv", ["email", "confirmed_at", "interests"], rows
        )
