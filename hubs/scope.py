"""Editors work on the hubs they are given (accounts.User.hubs): the admin's lists,
forms, choices and actions reach only those hubs' rows; a superuser reaches every hub.

`HubScopedAdmin` is mixed into a ModelAdmin whose model names its hub by `hub_path`
("hub", or "article__hub" for a quiz): the queryset every admin view, action and
object lookup starts from is filtered, so a row of another hub is "not found" however
its address or a form is tampered with, and the hub choices offered are the editor's.
"""

from hubs.models import Hub


def hub_ids(user):
    """The ids of the hubs `user` edits, or None for every hub (a superuser)."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_hub_ids", None)  # our own attribute: one query per request
    if cached is None:
        cached = frozenset(Hub.objects.filter(editors=user).values_list("pk", flat=True))
        user._hub_ids = cached
    return cached


def hubs_of(user):
    ids = hub_ids(user)
    return Hub.objects.all() if ids is None else Hub.objects.filter(pk__in=ids)


class HubScopedAdmin:
    hub_path = "hub"
    hub_fields = ("hub", "shared_with")  # choices limited to the editor's hubs

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request))

    def scoped(self, request, queryset):
        """`queryset` of this admin's model, limited to the editor's hubs (for its own
        views that do not start from get_queryset)."""
        ids = hub_ids(request.user)
        return queryset if ids is None else queryset.filter(**{f"{self.hub_path}__in": ids})

    def has_add_permission(self, request, *args):
        allowed = super().has_add_permission(request, *args)
        return allowed and (hub_ids(request.user) is None or bool(hub_ids(request.user)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.hub_fields:
            kwargs["queryset"] = hubs_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.hub_fields:
            kwargs["queryset"] = hubs_of(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
