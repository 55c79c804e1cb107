from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from accounts import personal_data
        from newsletter.personal_data import erase_subscriptions, subscriptions

        personal_data.register("newsletter", subscriptions, erase=erase_subscriptions)
