"""The editors' side of the site pages and contact messages."""

from django.contrib import admin

from hub.models import ContactMessage, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at", "is_demo"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "is_demo"]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "name", "email", "handled"]
    list_filter = ["handled"]
    list_editable = ["handled"]
    search_fields = ["subject", "message", "email", "name"]
    readonly_fields = ["name", "email", "subject", "message", "created_at"]

    def has_add_permission(self, request):
        return False
