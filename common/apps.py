from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Helpers every app may use; as an app, it holds the worker and its record of sent emails."""

    name = "common"
    verbose_name = _("Background work")
