from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_article_page(request, article):
    return {"on_article_page": True}


def _for_topic(request, topic):
    return {"topic": topic}


def _bookmarked(request, article):
    """All a bookmark button shows of its reader: whether the article is bookmarked."""
    from accounts.context_processors import bookmarked_ids

    return article.pk in bookmarked_ids(request.user)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Readers")

    def ready(self):
        from accounts import gate
        from accounts.models import Bookmark, Session, User
        from articles import reach, slots
        from common import memo

        reach.identify_declared_readers(gate.reader_id)
        # Rows app servers keep per reader (accounts.sessions, accounts.backends, the
        # bookmark buttons): a change to one drops what is kept for its reader.
        memo.follow_rows(Session, "session_key", memo.SESSION)
        memo.follow_rows(User, "id")
        memo.follow_rows(Bookmark, "user_id")
        bookmark = "accounts/_bookmark_button.html"
        slots.register("card_actions", bookmark, order=10, personal=True, vary=_bookmarked)
        slots.register(
            "article_aside", bookmark, _on_article_page, order=10, personal=True, vary=_bookmarked
        )
        slots.register("listing_head", "accounts/_feed_alternates.html", _for_topic, personal=True)
        slots.register("listing_links", "accounts/_feed_links.html", _for_topic, personal=True)
