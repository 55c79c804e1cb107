"""Reader-facing pages: articles, topics, experts and search."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles import reach, seo
from articles.models import Article, ArticleType, Expert, Topic
from articles.search import clean_query, search_articles
from common.http import shared_page

PAGE_SIZE = 12


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _filter_by_type(request, articles):
    """Apply ?type=<slug>: the filtered page of articles and what the filter shows."""
    types = list(ArticleType.objects.all())
    chosen = next((t for t in types if t.slug == request.GET.get("type")), None)
    if chosen:
        articles = articles.filter(article_type=chosen)
    return {
        "page_obj": _page(request, articles),
        "types": types,
        "chosen_type": chosen,
        # Pagination links keep the filter.
        "query_string": urlencode({"type": chosen.slug}) if chosen else "",
    }


@shared_page
@require_safe
def article_list(request):
    listing = _filter_by_type(request, Article.objects.published().for_cards())
    return render(request, "articles/article_list.html", listing)


@shared_page
@require_safe
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.for_page(), slug=slug)
    preview = not article.is_visible
    can_preview = request.user.has_perm("articles.view_article") or request.user.has_perm(
        "articles.change_article"
    )
    if preview and not can_preview:
        raise Http404("No article found.")
    if not preview:
        reach.record_request(request, article)
    url = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "preview": preview,
            "related": article.related(),
            "cited": article.cited_numbers(),
            "contents": article.contents(),
            "share": seo.share_links(article, url),
            "canonical_url": url,
            "structured_data": seo.structured_data(article, url, request),
        },
    )


@shared_page
@require_safe
def topic_list(request):
    topics = list(Topic.objects.all())
    return render(request, "articles/topic_list.html", {"topic_tree": Topic.tree(topics)})


@shared_page
@require_safe
def topic_detail(request, slug):
    topics = list(Topic.objects.select_related("parent"))
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
    members = Expert.objects.filter(is_committee_member=True)
    return render(request, "articles/steering_committee.html", {"members": members})


@shared_page
@require_safe
def expert_detail(request, slug):
    expert = get_object_or_404(Expert, slug=slug)
    articles = Article.objects.published().for_cards().filter(experts=expert)
    return render(
        request,
        "articles/expert_detail.html",
        {"expert": expert, "page_obj": _page(request, articles)},
    )


@shared_page  # the same results for every reader; the query is part of the cache key
@require_safe
def search(request):
    query = clean_query(request.GET.get("q"))
    results = search_articles(query).for_cards() if query else Article.objects.none()
    return render(
        request,
        "articles/search.html",
        {
            "search_query": query,
            "page_obj": _page(request, results) if query else None,
            "query_string": urlencode({"q": query}),
            # The page has its own search form; one is enough.
            "hide_header_search": True,
        },
    )
