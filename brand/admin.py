"""One brand, edited in place: no "add another" once it exists, and no delete."""

from django.contrib import admin
from django.shortcuts import redirect

from brand.forms import BrandForm
from brand.models import ONLY_ID, Brand
from common.admin import DESK_FIELDS
from common.pending_uploads import KeepsUploads


@admin.register(Brand)
class BrandAdmin(KeepsUploads, admin.ModelAdmin):
    form = BrandForm
    formfield_overrides = DESK_FIELDS  # the logo chosen survives a form error
    list_display = ["name", "tagline", "accent", "is_demo", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Brand.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """Straight to the brand (or to making it): a list of one says nothing."""
        if Brand.objects.filter(id=ONLY_ID).exists():
            return redirect("admin:brand_brand_change", ONLY_ID)
        if self.has_add_permission(request):
            return redirect("admin:brand_brand_add")
        return super().changelist_view(request, extra_context)
