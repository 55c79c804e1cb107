"""Search works on both databases and survives whatever a reader types.

The same tests run on SQLite and on PostgreSQL (full-text search, GIN index): CI
runs the suite on each.
"""

import re

import pytest
from django.db import connection

from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    return {
        "belantamab": make_article(
            "Ocular toxicity with belantamab mafodotin",
            summary="Monitoring the cornea during treatment.",
            body="Keratopathy is graded by an eye-care professional.",
        ),
        "car_t": make_article(
            "CAR T-cell therapy at first relapse",
            summary="Bridging and logistics.",
            body="Apheresis timing matters. Belantamab is mentioned once here.",
        ),
        "learning": make_article(
            "Infection prophylaxis",
            summary="Preventing infection.",
            body="Immunoglobulin replacement.",
            learnings=["Vaccinate household contacts"],
        ),
        "draft": make_article("Belantamab draft", published=False),
    }


def search(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_finds_titles_summaries_body_and_key_learnings(client, library):
    assert "Ocular toxicity" in search(client, "keratopathy")
    assert "CAR T-cell therapy" in search(client, "apheresis")
    assert "Ocular toxicity" in search(client, "cornea")
    assert "Infection prophylaxis" in search(client, "household contacts")


def test_title_matches_rank_first_and_drafts_never_show(client, library):
    html = search(client, "belantamab")

    assert html.index("Ocular toxicity") < html.index("CAR T-cell therapy at first relapse")
    assert "Belantamab draft" not in html
    assert "2 results for “belantamab”" in html


def test_all_words_must_match(client, library):
    html = search(client, "belantamab apheresis")

    assert "CAR T-cell therapy" in html
    assert "Ocular toxicity" not in html


def test_no_match_says_so(client, library):
    assert "0 results for “zebrafish”" in search(client, "zebrafish")


def test_empty_query_gives_a_clean_page(client, library):
    html = search(client, "   ")

    assert "Type a word or phrase" in html
    assert "results for" not in html


@pytest.mark.parametrize(
    "odd",
    [
        '"unbalanced quote',
        "100% response",
        "a_b%c\\d",
        "x" * 5000,
        "myeloma 🧬🩸",
        "'; DROP TABLE articles_article; --",
        "null\x00byte",
        "<script>alert(1)</script>",
        "!!! ((( ::: &&& |||",
        "-belantamab",
    ],
)
def test_odd_input_gives_a_clean_page(client, library, odd):
    html = search(client, odd)

    assert "<script>alert(1)</script>" not in html
    assert re.search(r"\d+ results? for “", html)


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "a%b"])
def test_like_wildcards_match_nothing_special(client, library, wildcard):
    assert re.search(r"0 results for “", search(client, wildcard))


def test_the_search_page_has_one_search_form(client, library):
    assert search(client, "cornea").count('role="search"') == 1


def test_long_query_is_trimmed_in_the_form(client, library):
    html = search(client, "x" * 5000)

    search_input = html.split('id="search-page-q"')[1].split(">")[0]
    assert 'value="' + "x" * 200 + '"' in search_input
    assert "x" * 201 not in search_input


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgresql_uses_the_stored_vector_and_stems_words(client, library):
    from articles.models import Article

    assert Article.objects.filter(search_vector__isnull=False).count() == 4
    assert "Infection prophylaxis" in search(client, "vaccinating")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_article_search_vector_gin'"
        )
        assert "gin (search_vector)" in cursor.fetchone()[0]


def test_result_pages_keep_the_query(client):
    from articles.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 1):
        make_article(f"Myeloma & more {n}")

    html = search(client, "myeloma & more")

    assert 'href="?q=myeloma+%26+more&amp;page=2" rel="next"' in html
