"""The editors' side of the site pages, consent records, newsletter and contact messages."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from hub.models import ConsentRecord, ContactMessage, Page, Subscriber


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at", "is_demo"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "is_demo"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what visitors did: staff read them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "group", "action", "version", "user"]
    list_filter = ["group", "action"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"


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
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="newsletter-subscribers.csv"'
        writer = csv.writer(response)
        writer.writerow(["email", "confirmed_at", "interests"])
        confirmed = queryset.filter(confirmed_at__isnull=False).prefetch_related("interests")
        for subscriber in confirmed.order_by("email"):
            interests = "; ".join(topic.name for topic in subscriber.interests.all())
            writer.writerow([subscriber.email, subscriber.confirmed_at.isoformat(), interests])
        return response


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "name", "email", "handled"]
    list_filter = ["handled"]
    list_editable = ["handled"]
    search_fields = ["subject", "message", "email", "name"]
    readonly_fields = ["name", "email", "subject", "message", "created_at"]

    def has_add_permission(self, request):
        return False
