from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Helpers every app may use; as an app, it holds the worker and its record of sent emails."""

    name = "common"
    verbose_name = _("Background work")

    def ready(self):
        from common import memo

        # After every app's migrations: the tables whose rows name a reader get their
        # trigger (common.memo), so that servers keeping readers' values hear of changes.
        post_migrate.connect(memo.install_triggers, sender=self, dispatch_uid="memo-triggers")
