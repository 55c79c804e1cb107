"""Admin pieces every app may use."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.pending_uploads import KeptFileInput


class DateTimeLocalInput(forms.DateTimeInput):
    """One native date-and-time control instead of the admin's split pair of text boxes
    and their calendar pop-ups (unlabelled halves). Seconds are kept (step 1), as the
    split widget kept them, so saving a form never shifts a publication time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


class DateInput(forms.DateInput):
    """The browser's own date control (its calendar is keyboard- and screen-reader-ready)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# For a ModelAdmin's or inline's formfield_overrides: native controls for times and dates.
# Django's defaults name the split field class for DateTimeField, so ours names its own.
# A chosen file survives a form error (common.pending_uploads).
DESK_FIELDS = {
    models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeLocalInput},
    models.DateField: {"widget": DateInput},
    models.ImageField: {"widget": KeptFileInput},
    models.FileField: {"widget": KeptFileInput},
}


class LabelledCells:
    """For tabular inlines: a table cell has a column heading but no <label>, so every
    control in a row (the delete box too) is named by its field's label, and a choice of
    rows (a select listing experts, say) is read from the database once per formset,
    not once per row."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                shared = self.__dict__.setdefault("shared_choices", {})
                for name, field in form.fields.items():
                    # The control itself, inside the admin's related-object wrapper if any.
                    widget = getattr(field.widget, "widget", field.widget)
                    if not widget.is_hidden:
                        widget.attrs.setdefault("aria-label", field.label or name)
                    if isinstance(field, forms.ModelChoiceField):
                        if name not in shared:
                            shared[name] = list(field.choices)
                        field.choices = shared[name]

        Labelled.__name__ = formset.__name__
        return Labelled


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
