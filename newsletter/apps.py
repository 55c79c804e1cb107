from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from accounts import personal_data
        from newsletter.personal_data import erase_subscription, subscription

        personal_data.register("newsletter", subscription, erase=erase_subscription)
