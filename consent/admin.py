"""Consent records are what readers decided: staff read them, nobody edits them."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from consent.models import ConsentRecord, ConsentTally


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "group", "action", "version", "user"]
    list_filter = ["group", "action"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"


@admin.register(ConsentTally)
class ConsentTallyAdmin(ReadOnlyAdmin):
    list_display = ["day", "group", "action", "count"]
    list_filter = ["group", "action"]
    date_hierarchy = "day"
