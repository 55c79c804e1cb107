"""Articles and everything an article page carries: experts, topics, references, sponsors."""

from articles.models.article import CITED, Article, ArticleQuerySet
from articles.models.catalogue import ArticleType, DemoFlag, Expert, Sponsor, Sponsorship, Topic
from articles.models.disclosure import (
    DISCLOSURE_MONTHS,
    ContentRole,
    Disclosure,
    FinancialRelationship,
)
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
    "DISCLOSURE_MONTHS",
    "SEARCH_CONFIG",
    "Article",
    "ArticleExpert",
    "ArticleListItem",
    "ArticleQuerySet",
    "ArticleRead",
    "ArticleType",
    "ContentRole",
    "DailySalt",
    "DemoFlag",
    "Disclosure",
    "Expert",
    "FinancialRelationship",
    "KeyLearning",
    "LearningObjective",
    "Reference",
    "SearchSynonym",
    "SearchTerm",
    "Sponsor",
    "Sponsorship",
    "Topic",
]
