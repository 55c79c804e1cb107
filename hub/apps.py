from django.apps import AppConfig, apps
from django.conf import settings
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
        from hub import checks  # noqa: F401  (registers the system checks)
        from hub import personal_data as site_data
        from hub.context_processors import forget_footer_funders
        from hub.member_pages import forget_reader
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
        # The home page's personal sections: holes in the page logged-in readers share.
        from hub import home

        for order, (template, context) in enumerate(
            [
                ("hub/_home_bookmarks.html", home.continue_reading),
                ("hub/_home_next_quiz.html", home.next_quiz_step),
                ("hub/_home_recommendations.html", home.recommended),
            ]
        ):
            slots.register("home_reader", template, context, order=order, personal=True)
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

        # A logged-in reader's stored holes (hub/member_pages.py) end when anything of
        # theirs is saved or deleted: the account, a bookmark, a quiz attempt…
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        for model in apps.get_models():
            if model is user_model:
                owner = "pk"
            else:
                owner = next(
                    (
                        field.attname
                        for field in model._meta.concrete_fields
                        if (field.many_to_one or field.one_to_one)
                        and field.related_model is user_model
                    ),
                    None,
                )
            if owner is None:
                continue
            for signal in (post_save, post_delete):
                signal.connect(
                    _reader_changed(owner, forget_reader),
                    sender=model,
                    dispatch_uid=f"reader-{model._meta.label}-{signal}",
                    weak=False,
                )
        for field in user_model._meta.local_many_to_many:  # interests
            m2m_changed.connect(
                _readers_changed(forget_reader),
                sender=field.remote_field.through,
                dispatch_uid=f"reader-{field}",
                weak=False,
            )


def _reader_changed(owner, forget_reader):
    def receiver(sender, instance, **kwargs):
        forget_reader(getattr(instance, owner))

    return receiver


def _readers_changed(forget_reader):
    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action.startswith("post_"):
            for user_id in (pk_set or ()) if reverse else [instance.pk]:
                forget_reader(user_id)

    return receiver
