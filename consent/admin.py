"""Consent records are what readers decided: staff read them, nobody edits them."""

from django.contrib import admin

from consent.models import ConsentRecord, ConsentTally


class ReadOnlyAdmin(admin.ModelAdmin):
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


@admin.register(ConsentTally)
class ConsentTallyAdmin(ReadOnlyAdmin):
    list_display = ["day", "group", "action", "count"]
    list_filter = ["group", "action"]
    date_hierarchy = "day"
