from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Hubs")

    def ready(self):
        from hubs.directory import forget
        from hubs.models import Hub, HubHost, ensure_default_hub

        for model in (Hub, HubHost):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"hubs-{model.__name__}-{signal}")
        post_migrate.connect(ensure_default_hub, sender=self)
