from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# What the shared pages show: saving or deleting any of these refreshes them all.
CONTENT_MODELS = [
    "articles.Article",
    "articles.ArticleExpert",
    "articles.ArticleType",
    "articles.Expert",
    "articles.KeyLearning",
    "articles.LearningObjective",
    "articles.Reference",
    "articles.Sponsor",
    "articles.Topic",
    "hub.Page",
    "brand.Brand",
    "accounts.PatientOrganisation",
    "quizzes.Quiz",
    "quizzes.Question",
    "quizzes.Choice",
    "cookie_consent.CookieGroup",
    "cookie_consent.Cookie",
]


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
        from hub.page_cache import forget_all_pages
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
        for label in CONTENT_MODELS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_all_pages, sender=model, dispatch_uid=f"pages-{label}-{signal}"
                )
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    forget_all_pages,
                    sender=field.remote_field.through,
                    dispatch_uid=f"pages-{field}",
                )
