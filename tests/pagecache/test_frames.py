"""Searches for readers who are not logged in: the page around the results is rendered
once per variant (pagecache.frames) and each result row once per language
(articles.search_page), and every page is what Django renders whole."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from articles import search_page
from articles.models import Article
from articles.search import parse, result_articles
from brand.models import Brand
from common import holes
from tests.articles.factories import make_article, make_expert
from tests.conftest import Client, declare_hcp

pytestmark = pytest.mark.django_db

QUERIES = [
    "myeloma",
    "relapse",
    "Marín",
    '<script>alert("x")</script> myeloma',
    "myeloma \"quoted\" & 'apostrophe'",
    "relapse " + "é" * 150,  # a long query: the return address falls back to the path
]


@pytest.fixture
def articles():
    marin = make_expert("Sofia Marín")
    make_article("Early relapse in myeloma", experts=[marin], summary="When myeloma returns.")
    make_article("Myeloma & the kidney", summary="Kidney <care> in myeloma.")
    make_article("Lymphoma basics")


def search(client, query, **extra):
    response = client.get("/search/", {"q": query}, **extra)
    assert response.status_code == 200
    return response


def whole(query, settings, language=None):
    """The page rendered by Django from top to bottom: no frame kept or used."""
    settings.HUB_PAGE_CACHE = False
    try:
        client = declare_hcp(Client())
        extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        return search(client, query, **extra).content.decode()
    finally:
        settings.HUB_PAGE_CACHE = True


def rendered(response):
    return [template.name for template in response.templates]


def test_a_search_of_a_shape_seen_before_is_made_from_the_kept_frame(articles, client):
    first = search(client, "lymphoma")  # one article, no experts, no suggestion
    other = search(client, "kidney")  # the same shape

    assert "articles/search.html" in rendered(first)
    assert "articles/search.html" not in rendered(other)
    assert "base.html" not in rendered(other)
    assert "Myeloma &amp; the kidney" in other.content.decode()
    assert "Lymphoma basics" not in other.content.decode()


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_from_the_frame_is_the_page_rendered_whole(articles, client, settings, query):
    made, again = search(client, query), search(client, query)

    assert "articles/search.html" not in rendered(again)
    assert made.content.decode() == again.content.decode() == whole(query, settings)


def test_the_query_is_escaped_wherever_the_frame_shows_it(articles, client):
    search(client, "lymphoma")
    html = search(client, '<script>alert("x")</script> myeloma').content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; myeloma" in html
    assert "<title>Search: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; myeloma" in html
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; myeloma"' in html
    assert "\x00" not in html


def test_each_language_has_its_own_frame(articles, client, settings):
    search(client, "lymphoma", HTTP_ACCEPT_LANGUAGE="es")
    spanish = search(client, "myeloma", HTTP_ACCEPT_LANGUAGE="es")
    english = search(client, "myeloma", HTTP_ACCEPT_LANGUAGE="en")

    assert "articles/search.html" not in rendered(spanish)
    assert 'lang="es"' in spanish.content.decode()
    assert "2 resultados para «myeloma»" in spanish.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert spanish.content.decode() == whole("myeloma", settings, language="es")


def test_a_change_to_the_site_drops_the_frame(articles, client, django_capture_on_commit_callbacks):
    brand = Brand.objects.create(name="Blood Matters")
    search(client, "lymphoma")
    brand.name = "Myeloma Forum"
    with django_capture_on_commit_callbacks(execute=True):  # as the change commits
        brand.save()

    response = search(client, "myeloma")

    assert "articles/search.html" in rendered(response)
    assert "Myeloma Forum" in response.content.decode()


def test_a_logged_in_reader_gets_their_own_page(articles, reader, client):
    search(client, "lymphoma")
    member = Client()
    member.force_login(reader)

    html = search(member, "myeloma").content.decode()

    assert "My account" in html
    assert 'class="bookmark-form"' in html
    assert "Log in to bookmark" not in html


def test_rows_from_kept_parts_are_the_rows_rendered_whole(articles, rf_anonymous):
    highlight = search_page.highlighter(parse("myeloma", {}))
    kept = search_page.kept(rf_anonymous)
    ids = list(Article.objects.published().values_list("pk", flat=True))
    found = search_page.results(rf_anonymous, result_articles(ids), "h2", highlight, kept)

    assert found and all("html" in result for result in found)
    for result in found:
        context = {**result, "heading": "h2"}
        assert result["html"] == render_to_string(search_page.TEMPLATE, context, rf_anonymous)
    assert any("<mark>myeloma</mark>" in result["html"] for result in found)


@pytest.fixture
def rf_anonymous():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/search/?q=myeloma")
    request.user = AnonymousUser()
    translation.activate("en")
    return request


def test_markers_that_did_not_come_out_whole_are_refused():
    one, two = holes.marker(0), holes.marker(1)

    assert holes.split(f"<p>{one}</p><i>{two}</i>", 2) == ("<p>", 0, "</p><i>", 1, "</i>")
    assert holes.split(f"<p>{one}</p>", 2) == ("<p>", 0, "</p>")  # a branch not taken
    assert holes.split(f"<p>{holes.marker(2)}</p>", 2) is None  # no such hole
    assert holes.split(f"<p>{one[:-1]}</p>{two}", 2) is None  # cut short by a filter
    assert holes.split(f"<p>{one}</p>{two}".replace("\x00", "\\u0000"), 2) is None  # escaped
    assert holes.split(f"<p>{one}</p>{two}".replace("\x00", ""), 2) is None  # stripped


def test_values_are_escaped_unless_safe():
    parts = holes.split(f"<b>{holes.marker(0)}</b>", 1)

    assert holes.fill(parts, ["<i>&</i>"]) == "<b>&lt;i&gt;&amp;&lt;/i&gt;</b>"
    assert holes.fill(parts, [holes.fill(("<i>", 0, "</i>"), ["x"])]) == "<b><i>x</i></b>"
