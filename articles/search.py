"""Search over published articles, the same on PostgreSQL and SQLite.

A query becomes terms that must all match. A term is what the reader typed ("CAR-T",
"car t", "myelom") and, if editors listed it among a medicine's names
(SearchSynonym), every other name of that medicine. A term matches at the start of a
word ("myelom" finds "myeloma", "yeloma" finds nothing); a word of one letter only
as that whole word, and together with the word before it ("car t", "vitamin d").

PostgreSQL matches the stored, weighted tsvector with a tsquery built here from
words of [a-z0-9] only (nothing a reader types reaches the tsquery syntax), ranked;
other databases (SQLite locally) match " word" in the stored folded text, title
matches first. Experts' names are part of their articles' text, and experts are found
by name themselves.

A search that finds nothing is checked for typos: each word is compared with the words
search knows (SearchTerm: titles, topics, synonyms, experts' names) by trigram
similarity, as PostgreSQL's pg_trgm measures it, and the closest is offered ("did you
mean") when the corrected query finds something. PostgreSQL's trigram index picks the
candidates; SQLite reads the words of about the right length; the choice among them is
the same Python on both.
"""

import functools
import itertools
from dataclasses import dataclass
from types import MappingProxyType

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from articles.models import SEARCH_CONFIG, Article, Expert, SearchSynonym, SearchTerm, Topic
from articles.search_text import MAX_PHRASE_WORDS, MIN_TERM_LENGTH, vocabulary, words
from common import memo
from common.tasks import task
from hubs import directory as hubs

# The surrogate key every change to an article, expert or synonym purges (hub/apps.py).
LISTS = "articles"

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


# A name's first word stands for the whole name when it is at least this long:
# "ciltacabtagene" for "ciltacabtagene autoleucel", but not "immune" for ICANS.
DISTINCT_FIRST_WORD = 8


def synonym_index():
    """{spelling: every spelling of the same thing} from the editors' synonyms, kept by
    each app server until a synonym, article or expert changes (common.memo)."""
    return memo.content("search-synonyms", {LISTS}, _synonym_index)


def _synonym_index():
    index, first_words = {}, {}
    for synonym in SearchSynonym.objects.all():
        spellings = synonym.spellings()
        for spelling in spellings:
            for key in {spelling, ("".join(spelling),)}:
                index.setdefault(key, set()).update(spellings)
            if len(spelling) > 1 and len(spelling[0]) >= DISTINCT_FIRST_WORD:
                first_words.setdefault((spelling[0],), []).append(frozenset(spellings))
    for key, groups in first_words.items():
        if key not in index and len(set(groups)) == 1:  # names one thing only
            index[key] = set(groups[0])
    return MappingProxyType({key: frozenset(spellings) for key, spellings in index.items()})


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


def search_articles(query, synonyms=None):
    articles = Article.objects.published()
    if synonyms is None:
        synonyms = synonym_index()
    terms = parse(query, synonyms) if query else []
    if not terms:
        return articles.none()
    if connection.vendor == "postgresql":
        search = SearchQuery(_tsquery(terms), search_type="raw", config=SEARCH_CONFIG)
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


def _tsquery(terms):
    """PostgreSQL's tsquery text for the terms: words of [a-z0-9] only (Phrase)."""
    return " & ".join("(" + " | ".join(sorted(p.tsquery for p in term)) + ")" for term in terms)


class Found:
    """The ids of the published articles a query finds, best first: what a Paginator
    counts and slices (each a query), and nothing more.

    On PostgreSQL each is one statement written here, as search_articles() would have
    the ORM write it (tests/articles/test_search_found.py holds them to the same
    answers): a search is the most asked page that no cache can keep, and building the
    ORM's full-text expressions cost more than PostgreSQL's answer. Elsewhere it is
    search_articles()'s ids."""

    def __init__(self, query, synonyms=None):
        self.terms = (
            parse(query, synonym_index() if synonyms is None else synonyms) if query else []
        )
        self.query, self.synonyms = query, synonyms
        self.raw = connection.vendor == "postgresql"

    def _sql(self, select, tail="", params=()):
        table = Article._meta.db_table
        # On this hub: its own, or shared with it (ArticleQuerySet.on_hub).
        shared = Article._meta.get_field("shared_with").remote_field.through._meta
        article = shared.get_field("article").column
        hub = shared.get_field("hub").column
        sql = (
            f"SELECT {select} FROM {table}, to_tsquery(%s::regconfig, %s) AS found "  # noqa: S608
            f"WHERE {table}.status = %s AND {table}.published_at <= %s "
            f"AND ({table}.hub_id = %s OR EXISTS (SELECT 1 FROM {shared.db_table} s "
            f"WHERE s.{article} = {table}.id AND s.{hub} = %s)) "
            f"AND {table}.search_vector @@ found {tail}"
        )
        here = hubs.current().id
        args = [
            SEARCH_CONFIG,
            _tsquery(self.terms),
            Article.Status.PUBLISHED,
            timezone.now(),
            here,
            here,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*args, *params])
            return cursor.fetchall()

    def count(self):
        if not self.terms:
            return 0
        if not self.raw:
            return search_articles(self.query, self.synonyms).count()
        return self._sql("count(*)")[0][0]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Found takes slices without a step")
        start, stop = index.start or 0, index.stop
        if not self.terms or (stop is not None and stop <= start):
            return []
        if not self.raw:
            ids = search_articles(self.query, self.synonyms).values_list("pk", flat=True)
            return list(ids[index])
        table = Article._meta.db_table
        order = (
            f"ORDER BY ts_rank({table}.search_vector, found) DESC, {table}.published_at DESC "
            "LIMIT %s OFFSET %s"
        )
        rows = self._sql(f"{table}.id", order, [None if stop is None else stop - start, start])
        return [pk for (pk,) in rows]


# Below this trigram similarity a known word is no correction (pg_trgm's default).
SIMILARITY_THRESHOLD = 0.3


def trigrams(word):
    """pg_trgm's trigrams of one folded word: padded with two spaces before, one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _known_words_like(typed):
    """Words of the vocabulary that may be what `typed` (folded words) meant: one query.
    On PostgreSQL written here, as the ORM writes `term__trigram_similar` (pg_trgm's
    `%`, which its trigram index answers), for the cost of building it (Found)."""
    if connection.vendor == "postgresql":
        similar = " OR ".join(["term %% %s"] * len(typed))
        sql = f"SELECT term FROM {SearchTerm._meta.db_table} WHERE {similar} LIMIT 5000"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, list(typed))
            return {term for (term,) in cursor.fetchall()}
    else:
        shortest, longest = min(map(len, typed)), max(map(len, typed))
        found = SearchTerm.objects.annotate(length=Length("term")).filter(
            length__gte=shortest - 3, length__lte=longest + 3
        )
    return set(found.order_by().values_list("term", flat=True)[:5000])


def correction(query):
    """The query with each unknown word replaced by the closest known word, or None."""
    typed = words(query)
    candidates = [w for w in dict.fromkeys(typed) if len(w) >= MIN_TERM_LENGTH]
    if not candidates or len(typed) > MAX_TERMS:
        return None
    known = _known_words_like(candidates)
    if not known:
        return None
    better = {}
    for word in candidates:
        if word in known:
            continue
        scored = [
            (similarity(word, term), -abs(len(term) - len(word)), term) for term in sorted(known)
        ]
        score, _closeness, best = max(scored)
        if score >= SIMILARITY_THRESHOLD:
            better[word] = best
    if not better:
        return None
    return " ".join(better.get(word, word) for word in typed)


def find_experts(query, limit=6):
    """Experts whose name has every word of the query, at a word's start. The experts'
    folded names are kept by each app server until an expert changes (common.memo)."""
    typed = [word for word in words(query) if len(word) > 1]
    if not typed:
        return []
    if not memo.keeps():
        experts = Expert.objects.on_hub()
        for word in typed:
            experts = experts.filter(search_name__contains=f" {word}")
        return list(experts[:limit])
    hub = hubs.current()
    experts_here = functools.partial(_experts_by_name, hub)
    found = (
        expert
        for name, expert in memo.content(f"experts-by-name-{hub.id}", {LISTS}, experts_here)
        if all(f" {word}" in name for word in typed)
    )
    return list(itertools.islice(found, limit))


def _experts_by_name(hub):
    return tuple((expert.search_name, expert) for expert in Expert.objects.on_hub(hub))


ROW_FIELDS = (
    "slug",
    "title",
    "summary",
    "published_at",
    "status",
    "is_demo",
    "reading_minutes",
    "article_type__name",
)


def result_articles(ids):
    """The articles `ids` names, in that order, with what a search result shows (type,
    experts): kept by each app server until an article, expert or synonym changes. An
    article that went live since they were read (no row changed) is read at once."""
    kept = memo.content("search-rows", {LISTS}, _published_rows) if memo.keeps() else {}
    missing = [pk for pk in ids if pk not in kept]
    if missing:
        kept = {**kept, **_rows(Article.objects.filter(pk__in=missing))}
    return [kept[pk] for pk in ids if pk in kept]


def _rows(articles):
    roles = Article._meta.get_field("article_experts").related_model  # ArticleExpert
    articles = (
        articles.select_related("article_type")
        .only(*ROW_FIELDS)
        .prefetch_related(Prefetch("article_experts", roles.objects.select_related("expert")))
    )
    return {article.pk: article for article in articles}


def _published_rows():
    """Every article published or scheduled (the search itself says which are live)."""
    return MappingProxyType(_rows(Article.objects.filter(status=Article.Status.PUBLISHED)))


@task()
def refresh_search_terms():
    """Make the vocabulary match titles, topics, synonyms and experts' names again.

    Scheduled articles' titles are in it: a word is offered only when the corrected
    search finds published articles, so none of theirs shows before they are out."""
    wanted = vocabulary(
        *Article.objects.exclude(status=Article.Status.DRAFT).values_list("title", flat=True),
        *Topic.objects.values_list("name", flat=True),
        *SearchSynonym.objects.values_list("terms", flat=True),
        *Expert.objects.values_list("name", flat=True),
    )
    stored = set(SearchTerm.objects.values_list("term", flat=True))
    SearchTerm.objects.filter(term__in=stored - wanted).delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=word) for word in sorted(wanted - stored)], ignore_conflicts=True
    )
    return len(wanted)


def refresh_search_terms_after_commit(**kwargs):
    """Connected to the saves and deletions that change the vocabulary."""
    transaction.on_commit(refresh_search_terms.enqueue)
