"""Search over published articles.

PostgreSQL: full-text search on a stored, weighted tsvector (GIN-indexed), ranked.
Other databases (SQLite locally): every word must appear in the title, summary or
text, title matches first.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from articles.models import SEARCH_CONFIG, Article

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10


def clean_query(raw):
    """Readers type anything: keep a short, single-spaced query without NUL bytes."""
    text = (raw or "").replace("\x00", " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_articles(query):
    articles = Article.objects.published()
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            articles.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-published_at")
        )
    terms = query.split()[:MAX_TERMS]
    for term in terms:
        articles = articles.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(search_document__icontains=term)
        )
    title_hits = sum(
        (Case(When(title__icontains=term, then=Value(1)), default=Value(0)) for term in terms),
        Value(0, output_field=IntegerField()),
    )
    return articles.annotate(rank=title_hits).order_by("-rank", "-published_at")
