from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub"

    def ready(self):
        # The project wires the apps together: accounts' data export includes the
        # quiz attempts without accounts knowing about quizzes.
        from accounts import personal_data
        from articles.models import Sponsor
        from hub import personal_data as site_data
        from hub.context_processors import forget_footer_funders
        from quizzes.personal_data import quiz_attempts

        personal_data.register("quiz_attempts", quiz_attempts)
        personal_data.register("cookie_decisions", site_data.cookie_decisions)
        personal_data.register(
            "newsletter", site_data.newsletter, erase=site_data.erase_newsletter_and_messages
        )
        personal_data.register("contact_messages", site_data.contact_messages)
        for signal in (post_save, post_delete):
            signal.connect(forget_footer_funders, sender=Sponsor, dispatch_uid=f"funders-{signal}")
