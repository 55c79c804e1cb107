"""'Recommended for you': articles from the reader's interests and bookmarked topics."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Bookmark
from articles.models import Article


@dataclass
class Recommendation:
    article: Article
    reason: str


def recommend(user, limit=6):
    """Unbookmarked articles in the reader's topics, best match then newest, with a reason.

    A constant number of queries, however many interests and bookmarks there are.
    """
    interest_ids = set(user.interests.values_list("pk", flat=True))
    bookmarked = list(
        Bookmark.objects.filter(user=user).values_list("article_id", "article__topics")
    )
    bookmarked_ids = {article_id for article_id, _topic in bookmarked}
    bookmark_topic_ids = {topic_id for _article, topic_id in bookmarked if topic_id} - interest_ids
    topic_ids = interest_ids | bookmark_topic_ids
    if not topic_ids:
        return _fallback(bookmarked_ids, limit)

    articles = (
        Article.objects.published()
        .filter(topics__in=topic_ids)
        .exclude(pk__in=bookmarked_ids)
        .annotate(matches=Count("topics", filter=Q(topics__in=topic_ids), distinct=True))
        .order_by("-matches", "-published_at")
        .for_cards()
        .prefetch_related("topics")[:limit]
    )
    return [Recommendation(a, _reason(a, interest_ids, bookmark_topic_ids)) for a in articles]


def _reason(article, interest_ids, bookmark_topic_ids):
    topics = list(article.topics.all())
    followed = next((t for t in topics if t.pk in interest_ids), None)
    if followed:
        return _("Because you follow %(topic)s") % {"topic": followed.name}
    saved = next(t for t in topics if t.pk in bookmark_topic_ids)
    return _("Because you bookmarked articles on %(topic)s") % {"topic": saved.name}


def _fallback(bookmarked_ids, limit):
    """No interests or bookmarks yet: what the editors feature, then the newest."""
    articles = (
        Article.objects.published()
        .exclude(pk__in=bookmarked_ids)
        .order_by("-featured", "-published_at")
        .for_cards()[:limit]
    )
    return [
        Recommendation(
            article, _("Featured by our editors") if article.featured else _("Recently published")
        )
        for article in articles
    ]
