"""sitemap.xml sections for public article, topic and expert pages."""

from django.contrib.sitemaps import Sitemap

from articles.models import Article, Expert, Topic
from hubs import directory as hubs


def at_home(queryset):
    """What has its canonical address on this hub (shared content is listed by its home)."""
    return queryset.filter(hub_id=hubs.current().id)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return at_home(Article.objects.published()).only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return at_home(Topic.objects).only("slug").order_by("pk")


class ExpertSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return at_home(Expert.objects).only("slug").order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "experts": ExpertSitemap}
