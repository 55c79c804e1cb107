from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Cookie consent")

    def ready(self):
        from accounts import personal_data
        from consent.personal_data import cookie_decisions

        personal_data.register("cookie_decisions", cookie_decisions)
