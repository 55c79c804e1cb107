"""The editors' desk for articles, experts, topics, sponsors and content types: one
module per part of the desk, each registering its admins when imported here."""

from articles.admin import article, catalogue, people
from articles.admin.desk import HTTPS_URLS, OnHubsAdmin, TopicChoices, register_article_link

__all__ = [
    "HTTPS_URLS",
    "OnHubsAdmin",
    "TopicChoices",
    "article",
    "catalogue",
    "people",
    "register_article_link",
]
