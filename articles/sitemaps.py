"""sitemap.xml sections for public article, topic and expert pages."""

from django.contrib.sitemaps import Sitemap

from articles.models import Article, Expert, Topic


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Topic.objects.only("slug").order_by("pk")


class ExpertSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Expert.objects.only("slug").order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "experts": ExpertSitemap}
