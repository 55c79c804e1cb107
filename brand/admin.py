"""A brand per hub, edited in place: no delete, and straight to the brand when there is one."""

from django.contrib import admin
from django.shortcuts import redirect

from brand.forms import BrandForm
from brand.models import Brand
from common.admin import DESK_FIELDS
from common.pending_uploads import KeepsUploads
from hubs.scope import HubScopedAdmin, hubs_of


@admin.register(Brand)
class BrandAdmin(HubScopedAdmin, KeepsUploads, admin.ModelAdmin):
    form = BrandForm
    formfield_overrides = DESK_FIELDS  # the logo chosen survives a form error
    list_display = ["name", "hub", "tagline", "accent", "is_demo", "updated_at"]

    def has_add_permission(self, request):
        # One brand per hub: a new one only for a hub that has none.
        return (
            super().has_add_permission(request)
            and hubs_of(request).filter(brand__isnull=True).exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "hub":  # the editor's hubs (HubScopedAdmin) that have none
            field.queryset = field.queryset.filter(brand__isnull=True)
        return field

    def get_readonly_fields(self, request, obj=None):
        return ["hub"] if obj is not None else []

    def changelist_view(self, request, extra_context=None):
        """With one hub, straight to its brand (or to making it): a list of one says nothing."""
        if hubs_of(request).count() == 1:
            brand = self.get_queryset(request).first()
            if brand is not None:
                return redirect("admin:brand_brand_change", brand.pk)
            if self.has_add_permission(request):
                return redirect("admin:brand_brand_add")
        return super().changelist_view(request, extra_context)
