"""sitemap.xml entries for the site's own pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "articles:list",
            "articles:topic_list",
            "articles:steering_committee",
            "funders",
            "about",
            "privacy",
            "terms",
            "accessibility",
            "cookie_settings",
        ]

    def location(self, url_name):
        return reverse(url_name)
