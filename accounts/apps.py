from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_article_page(request, article):
    return {"on_article_page": True}


def _for_topic(request, topic):
    return {"topic": topic}


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Readers")

    def ready(self):
        from accounts import gate
        from articles import reach, slots

        reach.identify_declared_readers(gate.reader_id)
        bookmark = "accounts/_bookmark_button.html"
        slots.register("card_actions", bookmark, order=10, personal=True)
        slots.register("article_aside", bookmark, _on_article_page, order=10, personal=True)
        slots.register("listing_head", "accounts/_feed_alternates.html", _for_topic, personal=True)
        slots.register("listing_links", "accounts/_feed_links.html", _for_topic, personal=True)
