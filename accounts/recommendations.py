"""'Recommended for you': articles from the reader's interests and bookmarked topics."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Bookmark
from articles.models import Article, Topic


@dataclass
class Recommendation:
    article: Article
    reason: str
    # From the reader's own interests or bookmarks; not the editors' picks every new
    # reader gets.
    personal: bool = True


def recommend(user, limit=6):
    """Unbookmarked articles in the reader's topics, best match then newest, with a reason.

    Following a topic includes its subtopics. A constant number of queries, however
    many interests and bookmarks there are.
    """
    interest_ids = set(user.interests.values_list("pk", flat=True))
    bookmarked = list(
        Bookmark.objects.filter(user=user).values_list("article_id", "article__topics")
    )
    bookmarked_ids = {article_id for article_id, _topic in bookmarked}
    bookmark_topic_ids = {topic_id for _article, topic_id in bookmarked if topic_id}
    if not (interest_ids or bookmark_topic_ids):
        return _fallback(bookmarked_ids, limit)

    topics = list(Topic.objects.on_hub())
    by_id = {topic.pk: topic for topic in topics}
    # Each matching topic id -> why it matches: a followed topic first, then a bookmarked one.
    reasons = {}
    for template, origins in (
        (_("Because you follow %(topic)s"), interest_ids),
        (_("Because you bookmarked articles on %(topic)s"), bookmark_topic_ids),
    ):
        for origin in origins:
            for topic_id in by_id[origin].family_ids(topics):
                reasons.setdefault(topic_id, template % {"topic": by_id[origin].name})

    articles = (
        Article.objects.published()
        .filter(topics__in=reasons)
        .exclude(pk__in=bookmarked_ids)
        .annotate(matches=Count("topics", filter=Q(topics__in=reasons), distinct=True))
        .order_by("-matches", "-published_at")
        .for_cards()
        .prefetch_related("topics")[:limit]
    )
    return [
        Recommendation(a, next(reasons[t.pk] for t in a.topics.all() if t.pk in reasons))
        for a in articles
    ]


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
            article,
            _("Featured by our editors") if article.featured else _("Recently published"),
            personal=False,
        )
        for article in articles
    ]
