"""Articles and everything an article page carries: experts, topics, references, sponsors."""

from articles.models.article import (
    CITED,
    SEARCH_CONFIG,
    Article,
    ArticleExpert,
    ArticleListItem,
    ArticleQuerySet,
    KeyLearning,
    LearningObjective,
    Reference,
)
from articles.models.catalogue import ArticleType, DemoFlag, Expert, Sponsor, Topic
from articles.models.reach import ArticleRead, DailySalt

__all__ = [
    "CITED",
    "SEARCH_CONFIG",
    "Article",
    "ArticleExpert",
    "ArticleListItem",
    "ArticleQuerySet",
    "ArticleRead",
    "ArticleType",
    "DailySalt",
    "DemoFlag",
    "Expert",
    "KeyLearning",
    "LearningObjective",
    "Reference",
    "Sponsor",
    "Topic",
]
