"""The search page's parts: what it found, its rows, the query's words marked.

The page itself (articles/search.html) is kept by pagecache.frames for readers who are
not logged in, once per variant and shape (searched or not, a suggestion or not, how
many experts, rows or none): everything that differs between two searches of the same
shape is a hole the view fills with what `context()` gives, rendered here.

A result row differs from one search to the next only in where the query's words are
marked: the title, the summary and the experts' names. For a reader who is not logged
in, a row is otherwise the same for every search in the same language (its actions
under the row, `card_actions` guests, show such a reader the same for every search:
a log-in link), so it is rendered once with holes for those three texts
(common.holes) and kept by each app server until an article, expert or synonym changes
(common.memo, under the surrogate key every such change purges). A logged-in reader's
rows are rendered each time: their actions are theirs (pagecache.members fills them).
"""

import functools
import re
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from articles.search import (
    LISTS,
    Found,
    correction,
    find_experts,
    synonym_index,
)
from articles.search_text import words
from common import holes, memo
from common.http import return_path

TEMPLATE = "articles/_search_result.html"
ROWS = "articles/_search_results.html"  # rows rendered whole, for a logged-in reader
EXPERT_CARDS = "articles/_expert_cards.html"
PAGES = "_pagination.html"
TITLE, SUMMARY, EXPERTS = range(3)
MAX_KEPT = 10000  # rows kept per language (each article at both heading levels)


# The page's holes (printed, never tested) and its shape (what its branches test).
HOLES = (
    "search_query",
    "page_url",
    "return_path",
    "status",
    "suggestion",
    "suggestion_url",
    "expert_cards",
    "rows",
    "pagination",
)
SHAPE = ("searched", "suggested", "experts_shown", "rows_shown")


def context(request, query, page):
    """Everything articles/search.html shows for `query`: `page(ids)` gives the page of
    matching ids the request asks for (the view's pagination)."""
    values = dict.fromkeys(HOLES, "")
    values |= dict.fromkeys(SHAPE, False)
    values |= {
        "search_query": query,
        "searched": bool(query),
        "page_url": request.build_absolute_uri(),
        "return_path": return_path(request),
        "experts_shown": 0,
    }
    if query:
        values |= _found(request, query, page)
    return values


def _found(request, query, page):
    """What a query found: the page of results, or of the corrected query's when the
    query finds nothing."""
    kept_rows = kept(request)
    synonyms = synonym_index()
    found = Found(query, synonyms)
    page_obj = page(found)
    shown, suggestion = query, None
    if not page_obj.paginator.count and (corrected := correction(query)):
        corrected_found = Found(corrected, synonyms)
        corrected_page = page(corrected_found)
        if corrected_page.paginator.count:
            page_obj, shown, suggestion = corrected_page, corrected, corrected
            found = corrected_found
    count = page_obj.paginator.count
    if suggestion:
        status = ngettext(
            "Nothing matches “%(q)s”: here is %(counter)s result for “%(shown)s”.",
            "Nothing matches “%(q)s”: here are %(counter)s results for “%(shown)s”.",
            count,
        )
    else:
        status = ngettext(
            "%(counter)s result for “%(q)s”", "%(counter)s results for “%(q)s”", count
        )
    experts = find_experts(shown) if page_obj.number == 1 else []
    heading = "h3" if experts else "h2"  # under the experts' "Articles"
    highlight = highlighter(found.terms)
    listed = results(request, page_obj.object_list, heading, highlight, kept_rows)
    rows = [result.get("html") for result in listed]
    if not all(rows):  # a reader's own actions (their bookmarks) need the whole context
        rows = [render_to_string(ROWS, {"results": listed, "heading": heading}, request)]
    query_string = urlencode({"q": query})
    return {
        "status": mark_safe(  # noqa: S308 (the translation, its values escaped)
            status % {"q": escape(query), "shown": escape(shown), "counter": localize(count)}
        ),
        "suggested": bool(suggestion),
        "suggestion": suggestion or "",
        "suggestion_url": "?" + urlencode({"q": suggestion}) if suggestion else "",
        "experts_shown": len(experts),
        "expert_cards": render_to_string(EXPERT_CARDS, {"experts": experts}) if experts else "",
        "rows_shown": bool(listed),
        "rows": mark_safe("".join(rows)),  # noqa: S308 (rendered rows)
        "pagination": (
            render_to_string(PAGES, {"page_obj": page_obj, "query_string": query_string})
            if page_obj.paginator.num_pages > 1
            else ""
        ),
    }


def kept(request):
    """The rows kept for this reader's language (filled by results(), row by row), or
    None for a logged-in reader. Ask before reading the articles: rows read after a
    change may go into rows kept from before it (dropped by it), never the other way."""
    if request.user.is_authenticated:
        return None
    return memo.content(f"search-rows-{translation.get_language()}", {LISTS}, dict)


def results(request, articles, heading, highlight, kept):
    """The page's results: each a dict with the article and its marked texts, and, with
    `kept` (a reader who is not logged in), the row's HTML."""
    found = []
    for article in articles:
        experts = ", ".join(expert.name for expert in article.ordered_experts)
        texts = (highlight(article.title), highlight(article.summary), highlight(experts))
        result = {"article": article, "title": texts[TITLE], "summary": texts[SUMMARY]}
        result["experts"] = texts[EXPERTS]
        if kept is not None:
            key = (article.pk, heading)
            parts = kept.get(key)
            if parts is None:
                parts = _row(request, article, heading, bool(experts))
                if parts is not None and len(kept) < MAX_KEPT:
                    kept[key] = parts
            if parts is not None:
                result["html"] = holes.fill(parts, texts)
        found.append(result)
    return found


def _row(request, article, heading, has_experts):
    context = {
        "article": article,
        "heading": heading,
        "title": holes.marker(TITLE),
        "summary": holes.marker(SUMMARY),
        "experts": holes.marker(EXPERTS) if has_experts else "",
    }
    return holes.split(render_to_string(TEMPLATE, context, request), 3 if has_experts else 2)


def highlighter(terms):
    """A function marking the words of a query's terms (articles.search.parse: what was
    typed and its synonyms) in a text: safe HTML."""
    prefixes, exact = set(), set()
    for term in terms:
        for phrase in term:
            for n, word in enumerate(phrase.words):
                if len(word) < 2:
                    continue  # the "t" of "car t" would light up every lone letter
                last = n == len(phrase.words) - 1
                (prefixes if last and phrase.prefix else exact).add(word)
    starts = tuple(prefixes)

    def marked(folded):
        return folded in exact or folded.startswith(starts)

    def highlight(text):
        pieces, plain, distinct = _pieces(text or "")
        if not any(marked(folded) for folded in distinct):
            return plain
        parts = []
        for escaped, folded in pieces:
            if folded and marked(folded):
                parts.append(f"<mark>{escaped}</mark>")
            else:
                parts.append(escaped)
        return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped)

    return highlight


@functools.lru_cache(maxsize=4096)
def _pieces(text):
    """A text as search marks it: (the piece escaped, its folded word or "") for each
    word and each run between words, the whole text escaped, and its distinct folded
    words. Titles, summaries and names recur in every search that finds them, so each
    is taken apart once."""
    pieces = []
    for piece in re.split(r"(\w+)", text):
        folded = "".join(words(piece)) if piece and piece[0].isalnum() else ""
        pieces.append((str(escape(piece)), folded))
    plain = escape(text)
    return tuple(pieces), plain, frozenset(folded for _, folded in pieces if folded)
