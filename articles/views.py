"""Reader-facing pages: articles, topics, experts and search."""

import functools
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles import reach, search_page, seo
from articles.models import Article, ArticleType, Expert, Topic
from articles.search import (
    LISTS,  # what every page listing articles shows (cards name their experts and topics)
    clean_query,
    result_articles,
)
from common.http import gate_exempt, shared_page, tag_page
from hubs import directory as hubs

# A transparent 1×1 GIF: the article page's reach beacon.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)

PAGE_SIZE = 12


class Elsewhere(Exception):
    """The listing asked for is at another address (see redirects_elsewhere)."""

    def __init__(self, request, **changes):
        query = {k: v for k, v in {**request.GET.dict(), **changes}.items() if v is not None}
        self.url = request.path + (f"?{urlencode(query)}" if query else "")


def redirects_elsewhere(view):
    """A listing asked with a page or content type it does not have goes to the one it
    has (the last page, all types): one address per page, so no cache keeps copies of
    the same list under made-up addresses."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Elsewhere as elsewhere:
            response = HttpResponseRedirect(elsewhere.url)
            patch_cache_control(response, no_store=True)
            return response

    return answer


def shown_here(queryset, via, also=None):
    """Experts or topics this hub shows: its own and those shared with it, those of the
    articles it publishes (a shared article's expert is reachable from its page), and
    those `also` names (its steering committee)."""
    published = Article.objects.published().values(via)
    shown = Q(pk__in=queryset.on_hub().values("pk")) | Q(pk__in=published)
    return queryset.filter(shown | also if also else shown)


def _page(request, queryset):
    """The page ?page= asks for."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", "1"))
    except PageNotAnInteger as error:
        raise Elsewhere(request, page=None) from error
    except EmptyPage as error:
        last = paginator.num_pages
        raise Elsewhere(request, page=str(last) if last > 1 else None) from error


def _search_page(request, ids):
    """As _page, for search results: the matching articles' ids from the database
    (articles.search.Found), their rows from articles.search.result_articles, and no
    count when the first page holds every result (most searches): one query."""
    if request.GET.get("page", "1") == "1":
        first = list(ids[: PAGE_SIZE + 1])
        if len(first) <= PAGE_SIZE:
            page = Paginator(first, PAGE_SIZE).page(1)
            page.object_list = result_articles(first)
            return page
    page = _page(request, ids)
    page.object_list = result_articles(list(page.object_list))
    return page


def _filter_by_type(request, articles):
    """Apply ?type=<slug>: the filtered page of articles and what the filter shows."""
    types = list(ArticleType.objects.all())
    asked = request.GET.get("type")
    chosen = next((t for t in types if t.slug == asked), None)
    if asked is not None and chosen is None:
        raise Elsewhere(request, type=None, page=None)
    if chosen:
        articles = articles.filter(article_type=chosen)
    return {
        "page_obj": _page(request, articles),
        "types": types,
        "chosen_type": chosen,
        # Pagination links keep the filter.
        "query_string": urlencode({"type": chosen.slug}) if chosen else "",
    }


@shared_page(query=("type", "page"))
@require_safe
@redirects_elsewhere
def article_list(request):
    tag_page(request, LISTS)
    listing = _filter_by_type(request, Article.objects.published().for_cards())
    return render(request, "articles/article_list.html", listing)


@shared_page
@require_safe
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.on_hub().for_page(), slug=slug)
    preview = not article.is_visible
    # Only a draft asks about permissions: a page that did is never shared (pagecache).
    if preview and not (
        request.user.has_perm("articles.view_article")
        or request.user.has_perm("articles.change_article")
    ):
        raise Http404("No article found.")
    tag_page(request, f"article-{article.pk}", LISTS)  # LISTS: the related articles
    # Its canonical address is on its home hub, whichever hub shows it.
    url = request.build_absolute_uri(article.get_absolute_url())
    if article.hub_id != hubs.current().id:
        home = hubs.address_for(article.home_hub(), request)
        url = f"{request.scheme}://{home}{article.get_absolute_url()}"
    disclosures = article.disclosures()
    # A CME activity always shows them; another article once someone has disclosed.
    show_disclosures = bool(disclosures) and (
        article.is_cme or any(disclosure for _person, _roles, disclosure in disclosures)
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "preview": preview,
            "related": article.related(),
            "cited": article.cited_numbers(),
            "disclosures": disclosures,
            "show_disclosures": show_disclosures,
            "contents": article.contents(disclosures=show_disclosures),
            "share": seo.share_links(article, url),
            "canonical_url": url,
            "structured_data": seo.structured_data(article, url, request),
        },
    )


@shared_page
@require_safe
def topic_list(request):
    tag_page(request, LISTS)
    topics = list(shown_here(Topic.objects, "topics"))
    return render(request, "articles/topic_list.html", {"topic_tree": Topic.tree(topics)})


@shared_page(query=("type", "page"))
@require_safe
@redirects_elsewhere
def topic_detail(request, slug):
    tag_page(request, LISTS)
    topics = list(shown_here(Topic.objects, "topics").select_related("parent"))
    topic = next((t for t in topics if t.slug == slug), None)
    if topic is None:
        raise Http404("No topic found.")
    articles = Article.objects.published().for_cards().in_topics(topic.family_ids(topics))
    return render(
        request,
        "articles/topic_detail.html",
        {
            "topic": topic,
            "subtopics": [t for t in topics if t.parent_id == topic.pk],
            **_filter_by_type(request, articles),
        },
    )


@shared_page
@require_safe
def steering_committee(request):
    tag_page(request, LISTS)
    members = Expert.objects.filter(committees=hubs.current().id)
    return render(request, "articles/steering_committee.html", {"members": members})


@shared_page(query=("page",))
@require_safe
@redirects_elsewhere
def expert_detail(request, slug):
    seats = Expert.committees.through.objects.filter(hub_id=hubs.current().id)
    committee = Q(Exists(seats.filter(expert=OuterRef("pk"))))
    experts = shown_here(Expert.objects, "experts", committee).annotate(on_committee=committee)
    expert = get_object_or_404(experts, slug=slug)
    tag_page(request, f"expert-{expert.pk}", LISTS)
    articles = Article.objects.published().for_cards().filter(experts=expert)
    return render(
        request,
        "articles/expert_detail.html",
        {
            "expert": expert,
            "disclosure": expert.latest_disclosure(),
            "page_obj": _page(request, articles),
        },
    )


# The same results for every reader; between two searches of the same shape only the
# query (where the page prints it) and what it found differ: pagecache.frames keeps the
# rest of the page for readers who are not logged in.
@shared_page(query=("q", "page"), holes=search_page.HOLES, shape=search_page.SHAPE)
@require_safe
@redirects_elsewhere
def search(request):
    tag_page(request, LISTS)
    query = clean_query(request.GET.get("q"))
    context = search_page.context(request, query, functools.partial(_search_page, request))
    # The page has its own search form; one is enough.
    context["hide_header_search"] = True
    return TemplateResponse(request, "articles/search.html", context)


@gate_exempt  # counts only declared readers and readers who are logged in
@never_cache
@require_safe
def article_seen(request, pk):
    """The reach beacon an article page loads: the page itself may come from a cache
    that Django never hears of, this image never does."""
    if Article.objects.published().filter(pk=pk).exists():
        reach.record_read(pk, reach.reader_key(request))
    return HttpResponse(PIXEL, content_type="image/gif")
