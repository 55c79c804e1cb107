"""Admin pieces every app may use."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what readers did (consent decisions, quiz attempts): staff read them,
    nobody adds, edits or deletes them here, not even a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def picture_sizes(picture, ready):
    """An upload's renditions in words, for the admin (not a ⊗ that reads as an error)."""
    if not picture:
        return _("No picture uploaded.")
    if ready:
        return _("Ready: every size has been made.")
    return _(
        "Being made by the background worker, usually within a minute of saving; until "
        "then pages show a pattern or initials instead."
    )


class UploadNotice:
    """A form error cannot keep a file the browser sent (no page can put it back in a
    file input): tell the editor which ones to choose again, by name, at the top of the
    form. Files saved before stay, as Django's clearable file inputs show."""

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST" and request.FILES and context.get("errors"):
            names = ", ".join(upload.name for upload in request.FILES.values())
            messages.warning(
                request,
                _(
                    "The form has errors, so the file you chose was not saved: %(names)s. "
                    "Choose it again before you save."
                )
                % {"names": names},
            )
        return super().render_change_form(request, context, *args, **kwargs)
