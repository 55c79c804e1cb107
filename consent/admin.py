"""Consent records are what readers decided: staff read them, nobody edits them."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from consent.models import ConsentRecord, ConsentTally
from hubs.scope import HubScopedAdmin


@admin.register(ConsentRecord)
class ConsentRecordAdmin(HubScopedAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "hub", "group", "action", "version", "user"]
    list_filter = ["hub", "group", "action"]
    list_select_related = ["user", "hub"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"


@admin.register(ConsentTally)
class ConsentTallyAdmin(HubScopedAdmin, ReadOnlyAdmin):
    list_display = ["day", "hub", "group", "action", "count"]
    list_filter = ["hub", "group", "action"]
    list_select_related = ["hub"]
    date_hierarchy = "day"
