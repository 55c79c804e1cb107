"""RSS and Atom feeds of published articles: all of them, and per topic.

Readers subscribe through personal addresses: accounts.feeds puts a key in front.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Topic
from brand.models import current as current_brand

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    description = _("New articles and expert interviews for healthcare professionals.")

    def title(self):
        return _("%(site)s: latest articles") % {"site": current_brand().name}

    def link(self):
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().for_cards().prefetch_related("topics")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(expert.name for expert in item.ordered_experts) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return _("%(site)s: %(topic)s") % {"site": current_brand().name, "topic": topic.name}

    def description(self, topic):
        return topic.description or self.title(topic)

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        family = topic.family_ids(list(Topic.objects.on_hub()))
        articles = Article.objects.published().for_cards().prefetch_related("topics")
        return articles.in_topics(family)[:FEED_SIZE]


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, topic):
        return self.description(topic)
