"""Articles and everything an article page carries: experts, topics, references, sponsors."""

from articles.models.article import CITED, Article, ArticleQuerySet
from articles.models.catalogue import ArticleType, DemoFlag, Expert, Sponsor, Topic
from articles.models.parts import (
    ArticleExpert,
    ArticleListItem,
    KeyLearning,
    LearningObjective,
    Reference,
)
from articles.models.reach import ArticleRead, DailySalt
from articles.models.search import SearchSynonym, SearchTerm
from articles.search_text import SEARCH_CONFIG

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
    "SearchSynonym",
    "SearchTerm",
    "Sponsor",
    "Topic",
]
