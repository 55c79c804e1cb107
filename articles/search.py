"""Search over published articles, the same on PostgreSQL and SQLite.

A query becomes terms that must all match. A term is what the reader typed ("CAR-T",
"car t", "myelom") and, if editors listed it among a medicine's names
(SearchSynonym), every other name of that medicine. A term matches at the start of a
word ("myelom" finds "myeloma", "yeloma" finds nothing); a word of one letter only
as that whole word, and together with the word before it ("car t", "vitamin d").

PostgreSQL matches the stored, weighted tsvector with a tsquery built here from
words of [a-z0-9] only (nothing a reader types reaches the tsquery syntax), ranked;
other databases (SQLite locally) match " word" in the stored folded text, title
matches first.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from articles.models import SEARCH_CONFIG, Article, SearchSynonym
from articles.search_text import MAX_PHRASE_WORDS, words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10


def clean_query(raw):
    """Readers type anything: keep a short, single-spaced query without NUL bytes."""
    text = (raw or "").replace("\x00", " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Phrase:
    """Words in a row; the last may be the beginning of a longer word."""

    words: tuple
    prefix: bool

    @classmethod
    def spellings(cls, words):
        """ "cilta cel…" as typed, and written solid: "ciltacel" (an exact word)."""
        yield cls(words, prefix=len(words[-1]) > 1)
        if len(words) > 1:
            yield cls(("".join(words),), prefix=False)

    @property
    def like(self):
        """For SQLite's LIKE on the stored text, which has a space before every word."""
        return " " + " ".join(self.words) + ("" if self.prefix else " ")

    @property
    def tsquery(self):
        operands = [f"'{word}'" for word in self.words]
        if self.prefix:
            operands[-1] += ":*"
        return "(" + " <-> ".join(operands) + ")"


def synonym_index():
    """{spelling: every spelling of the same thing} from the editors' synonyms (one query)."""
    index = {}
    for synonym in SearchSynonym.objects.all():
        spellings = synonym.spellings()
        for spelling in spellings:
            for key in {spelling, ("".join(spelling),)}:
                index.setdefault(key, set()).update(spellings)
    return index


def _plain_term_length(tokens, start):
    """The words of one typed word ("CAR-T"), and one-letter words next to it ("car t")."""
    end = start + 1
    while end < len(tokens) and end - start < MAX_PHRASE_WORDS:
        word, typed = tokens[end]
        same_typed_word = typed == tokens[end - 1][1]
        only_letters_so_far = all(len(w) == 1 for w, _ in tokens[start:end])
        if not (same_typed_word or len(word) == 1 or only_letters_so_far):
            break
        end += 1
    return end - start


def parse(query, synonyms):
    """The query's terms, each a set of phrases any of which may match."""
    tokens = [(word, n) for n, typed in enumerate(query.split()) for word in words(typed)]
    terms, start = [], 0
    while start < len(tokens) and len(terms) < MAX_TERMS:
        ahead = tuple(word for word, _ in tokens[start : start + MAX_PHRASE_WORDS])
        length = next(
            (n for n in range(len(ahead), 0, -1) if ahead[:n] in synonyms),
            _plain_term_length(tokens, start),
        )
        typed = ahead[:length]
        spellings = {typed} | synonyms.get(typed, set())
        terms.append({phrase for words in spellings for phrase in Phrase.spellings(words)})
        start += length
    return terms


def _found_in(term, fields):
    """Any of the term's phrases in any of the stored folded fields (not PostgreSQL)."""
    return Q(
        *[Q(**{f"{field}__contains": phrase.like}) for phrase in term for field in fields],
        _connector=Q.OR,
    )


def search_articles(query):
    articles = Article.objects.published()
    terms = parse(query, synonym_index()) if query else []
    if not terms:
        return articles.none()
    if connection.vendor == "postgresql":
        raw = " & ".join("(" + " | ".join(sorted(p.tsquery for p in term)) + ")" for term in terms)
        search = SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)
        return (
            articles.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-published_at")
        )
    for term in terms:
        articles = articles.filter(_found_in(term, ["search_title", "search_text"]))
    title_hits = sum(
        (
            Case(When(_found_in(term, ["search_title"]), then=Value(1)), default=Value(0))
            for term in terms
        ),
        Value(0, output_field=IntegerField()),
    )
    return articles.annotate(rank=title_hits).order_by("-rank", "-published_at")
