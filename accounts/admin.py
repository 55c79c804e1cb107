from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from accounts.models import Bookmark, PatientOrganisation, User
from articles.admin import HTTPS_URLS, TopicChoices


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class PasswordSummary(ReadOnlyPasswordHashWidget):
    """Django's summary of the password hash, without the `disabled` its field gives
    the <div> it renders (not an attribute a <div> may have: the Nu checker's error)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordSummary()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "profession", "country", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "profession", "country")
    search_fields = ("email", "full_name", "institution", "specialty")
    readonly_fields = ("last_login", "date_joined", "hcp_declared_at")
    # Interests as ticks; groups and permissions as plain lists: the admin's two-list
    # chooser has controls without names (pages in the desk pass axe and the Nu checker).
    filter_horizontal = ()
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
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "hubs",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "interests":
            kwargs["form_class"] = TopicChoices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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

    # A bookmark is the reader's own: editors see them and may remove one, not make or
    # change one for a reader.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
