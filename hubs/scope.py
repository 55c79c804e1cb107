"""Editors work on the hubs they are given (accounts.User.hubs): the admin's lists,
forms, choices and actions reach only those hubs' rows; a superuser reaches every hub.

`HubScopedAdmin` is mixed into a ModelAdmin whose model names its hub by `hub_path`
("hub", or "article__hub" for a quiz): the queryset every admin view, action and
object lookup starts from is filtered, so a row of another hub is "not found" however
its address or a form is tampered with, and the hub choices offered are the editor's.
"""

from django import forms

from hubs.models import Hub


def hub_ids(request):
    """The ids of the hubs the request's user edits, or None for every hub (a
    superuser): read once per request and kept on it, as `request.hub` is."""
    if request.user.is_superuser:
        return None
    if not hasattr(request, "editor_hub_ids"):
        editors = Hub.objects.filter(editors=request.user)
        request.editor_hub_ids = frozenset(editors.values_list("pk", flat=True))
    return request.editor_hub_ids


def hubs_of(request):
    ids = hub_ids(request)
    return Hub.objects.all() if ids is None else Hub.objects.filter(pk__in=ids)


class HubScopedAdmin:
    hub_path = "hub"
    hub_fields = ("hub", "shared_with")  # choices limited to the editor's hubs

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request))

    def scoped(self, request, queryset):
        """`queryset` of this admin's model, limited to the editor's hubs (for its own
        views that do not start from get_queryset)."""
        ids = hub_ids(request)
        return queryset if ids is None else queryset.filter(**{f"{self.hub_path}__in": ids})

    def has_add_permission(self, request, *args):
        allowed = super().has_add_permission(request, *args)
        return allowed and (hub_ids(request) is None or bool(hub_ids(request)))

    def save_related(self, request, form, formsets, change):
        """Hubs the editor does not edit stay as they were: the form offers only the
        editor's, so without this, saving would take a row off every other hub."""
        ids = hub_ids(request)
        kept = {}
        if change and ids is not None:
            for name in self.hub_fields:
                field = form.instance._meta.get_field(name)
                if field.many_to_many and name in form.fields:
                    kept[name] = list(getattr(form.instance, name).exclude(pk__in=ids))
        super().save_related(request, form, formsets, change)
        for name, others in kept.items():
            getattr(form.instance, name).add(*others)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Hubs as tick boxes (a few, each visible at once), without the links to add or
        change a hub: hubs are made under Settings, not from another row's form."""
        if db_field.many_to_many and db_field.name in self.hub_fields:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.hub_fields:
            field.widget = getattr(field.widget, "widget", field.widget)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.hub_fields:
            kwargs["queryset"] = hubs_of(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.hub_fields:
            kwargs["queryset"] = hubs_of(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
