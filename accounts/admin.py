from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Bookmark, PatientOrganisation, User
from articles.admin import HTTPS_URLS


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "profession", "country", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "profession", "country")
    search_fields = ("email", "full_name", "institution", "specialty")
    readonly_fields = ("last_login", "date_joined", "hcp_declared_at")
    filter_horizontal = ("interests", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Healthcare professional"),
            {
                "fields": (
                    "full_name",
                    "profession",
                    "specialty",
                    "country",
                    "institution",
                    "hcp_declared_at",
                    "interests",
                )
            },
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(PatientOrganisation)
class PatientOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "order", "is_active")
    list_editable = ("order", "is_active")
    formfield_overrides = HTTPS_URLS
    search_fields = ("name",)


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ("article", "user", "created_at")
    list_select_related = ("article", "user")
    search_fields = ("article__title", "user__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("article", "user")
