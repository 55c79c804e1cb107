from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub"

    def ready(self):
        # The project wires the apps together: accounts' data export includes the
        # quiz attempts without accounts knowing about quizzes.
        from accounts import overview, personal_data
        from articles import slots
        from articles.models import Sponsor
        from hub import personal_data as site_data
        from hub.context_processors import forget_footer_funders
        from quizzes.personal_data import quiz_attempts

        personal_data.register("quiz_attempts", quiz_attempts)
        personal_data.register(
            "contact_messages", site_data.contact_messages, erase=site_data.erase_contact_messages
        )
        overview.register(
            "quizzes:history",
            _("Quiz history"),
            _("every quiz you have taken, with your scores before and after reading."),
        )
        slots.register("article_actions", "hub/_translation.html", order=20)
        for signal in (post_save, post_delete):
            signal.connect(forget_footer_funders, sender=Sponsor, dispatch_uid=f"funders-{signal}")
