from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from hubs.directory import surrogate_key

# What shared pages show, and the surrogate keys a change to each touches
# (pagecache/CONTRACT.md): an article's own page is "article-<id>", anything that lists
# articles (cards name their experts) carries "articles", a quiz's article page
# "quiz-<id>", an expert's page "expert-<id>"; every page of a hub "hub-<id>"; the rest
# is on every page ("site").
ARTICLE = "article-{}".format
HUB = surrogate_key
CONTENT_KEYS = {
    "articles.Article": lambda a: {ARTICLE(a.pk), "articles"},
    "articles.ArticleExpert": lambda x: {ARTICLE(x.article_id), "articles"},
    "articles.LearningObjective": lambda x: {ARTICLE(x.article_id)},
    "articles.KeyLearning": lambda x: {ARTICLE(x.article_id)},
    "articles.Reference": lambda x: {ARTICLE(x.article_id)},
    "articles.Expert": lambda e: {f"expert-{e.pk}", "articles"},
    # Disclosures show on the person's page and on the pages of the articles they shape.
    "articles.ContentRole": lambda x: {ARTICLE(x.article_id)},
    "articles.Disclosure": lambda d: {f"expert-{d.person_id}", "articles"},
    "articles.FinancialRelationship": lambda r: {"articles"},
    # "quizzes": what asks which quizzes are offered (an article's invitation).
    "quizzes.Quiz": lambda q: {f"quiz-{q.pk}", ARTICLE(q.article_id), "quizzes"},
    "quizzes.Question": lambda q: {f"quiz-{q.quiz_id}", "quizzes"},
    # A medicine's other names change what a search finds.
    "articles.SearchSynonym": lambda x: {"articles"},
    "articles.ArticleType": lambda x: {"site"},
    "articles.Sponsor": lambda x: {"site"},
    # One hub's funders, pages and brand are on its pages only (hubs.middleware).
    "articles.Sponsorship": lambda s: {HUB(s.hub_id)},
    "articles.Topic": lambda x: {"site"},
    "hub.Page": lambda p: {HUB(p.hub_id)},
    "brand.Brand": lambda b: {HUB(b.hub_id)},
    "hubs.Hub": lambda x: {"site"},
    "hubs.HubHost": lambda x: {"site"},
    "accounts.PatientOrganisation": lambda x: {"site"},
    "cookie_consent.CookieGroup": lambda x: {"site"},
    "cookie_consent.Cookie": lambda x: {"site"},
}


def _new_hub_pages(instance, created, raw=False, **kwargs):
    from hub.models import Page
    from hub.site_content import install_pages

    if created and not raw:
        install_pages(Page, hub=instance)


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub"

    def ready(self):
        # The project wires the apps together: accounts' data export includes the
        # quiz attempts without accounts knowing about quizzes.
        from accounts import overview, personal_data
        from articles import slots
        from articles.models import Sponsor, Sponsorship
        from hub import checks  # noqa: F401  (registers the system checks)
        from hub import personal_data as site_data
        from hub.context_processors import forget_footer_funders
        from hub.variant import consent_part, gate_part, panel_part
        from pagecache import purge
        from pagecache import variant as pagecache_variant
        from quizzes.personal_data import cme_records, erase_cme_records, quiz_attempts

        personal_data.register("quiz_attempts", quiz_attempts)
        personal_data.register("continuing_education", cme_records, erase=erase_cme_records)
        personal_data.register(
            "contact_messages", site_data.contact_messages, erase=site_data.erase_contact_messages
        )
        personal_data.register("emails", site_data.emails, erase=site_data.erase_emails)
        overview.register(
            "quizzes:history",
            _("Quiz history"),
            _("every quiz you have taken, with your scores before and after reading."),
        )
        slots.register("article_actions", "hub/_translation.html", order=20)
        # The home page's sections: "For you", then the stories less what it shows; both
        # holes in the page logged-in readers share, the stories whole for visitors.
        from hub import home

        slots.register("home_reader", "hub/_home_for_you.html", home.for_you, personal=True)
        slots.register("home_stories", "hub/_home_stories.html", home.stories, personal=True)
        for signal in (post_save, post_delete):
            for model in (Sponsor, Sponsorship):
                uid = f"funders-{model.__name__}-{signal}"
                signal.connect(forget_footer_funders, sender=model, dispatch_uid=uid)
        # A new hub starts with the site pages every hub needs (About, privacy…).
        post_save.connect(
            _new_hub_pages, sender=apps.get_model("hubs.Hub"), dispatch_uid="hub-pages"
        )
        for label, keys_of in CONTENT_KEYS.items():
            purge.watch_model(apps.get_model(label), keys_of)

        # What makes readers' copies of a shared page differ, besides the language: the
        # gate's declaration, the sign-up panel closed, and the consent cookie as sent.
        pagecache_variant.register("d", gate_part)
        pagecache_variant.register("p", panel_part)
        pagecache_variant.register("c", consent_part)
