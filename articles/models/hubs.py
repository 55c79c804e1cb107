"""Content on hubs: each article, expert and topic has a home hub, where its canonical
address is, and may be shared with others (one record, shown on each).

`on_hub()` is what a hub's pages may show. By default it is the hub being served
(hubs.current(): the request's host, or a task's hub), so a query that forgets the hub
shows the current hub's content, never everyone's; `on_hub(None)` is every hub (the
admin, reports across hubs).
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hubs import directory

CURRENT = object()  # the hub being served


def default_hub():
    """New content's home: the hub being served (the first hub outside a request)."""
    return directory.current().id


def hub_id_of(hub):
    """The id of `hub`: a Hub, its values, an id, or CURRENT (the hub being served)."""
    hub = directory.current() if hub is CURRENT else hub
    return hub if isinstance(hub, int) else hub.id


class OnHubsQuerySet(models.QuerySet):
    def on_hubs(self, hub_ids):
        """On any of these hubs (ids): at home there, or shared with one of them."""
        through = self.model._meta.get_field("shared_with").remote_field.through
        shared = through.objects.filter(
            **{self.model._meta.model_name: OuterRef("pk")}, hub_id__in=hub_ids
        )
        return self.filter(Q(hub_id__in=hub_ids) | Exists(shared))

    def on_hub(self, hub=CURRENT):
        """On `hub` (the hub being served by default); every hub for None."""
        return self if hub is None else self.on_hubs([hub_id_of(hub)])


class OnHubs(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("home hub"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_hub,
        help_text=_("Its canonical address is on this hub."),
    )
    shared_with = models.ManyToManyField(
        "hubs.Hub",
        verbose_name=_("also on"),
        related_name="+",
        blank=True,
        help_text=_("Other hubs that show it too, as the same record."),
    )

    class Meta:
        abstract = True

    def home_hub(self):
        """Its home hub (hubs.directory.HubValues): where its canonical URL is."""
        return directory.directory().by_id(self.hub_id)
