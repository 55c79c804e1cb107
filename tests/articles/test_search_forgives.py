"""Search forgives: typos get a "did you mean", experts are found by name, a medicine's
names find each other, and the words found are marked. On SQLite and PostgreSQL alike."""

import re

import pytest
from django.urls import reverse

from articles.models import SearchTerm
from articles.search import correction, refresh_search_terms, similarity
from tests.articles.factories import make_article, make_expert, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    marin = make_expert("Sofia Marín")
    articles = {
        "myeloma": make_article(
            "Treating early relapsed myeloma",
            summary="Triplets at first relapse.",
            topics=[make_topic("Multiple myeloma")],
        ),
        "belantamab": make_article(
            "Ocular care with belantamab mafodotin",
            summary="Keratopathy, graded and managed.",
        ),
        "bispecific": make_article(
            "Bispecific antibodies in practice",
            summary="Step-up dosing and infections.",
            experts=[marin],
        ),
        "cilta": make_article(
            "Cilta-cel after two prior lines",
            summary="What CARTITUDE-4 showed.",
        ),
        "draft": make_article("Zanubrutinib secrets", published=False),
    }
    refresh_search_terms.call()
    return articles


def search(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return [
        re.sub(r"</?mark>", "", title)
        for title in re.findall(r'class="search-result__title"><a [^>]+>(.*?)</a>', html)
    ]


@pytest.mark.parametrize(
    "typo, meant, title",
    [
        ("myelma", "myeloma", "Treating early relapsed myeloma"),
        ("belantamb", "belantamab", "Ocular care with belantamab mafodotin"),
        ("bispecfic", "bispecific", "Bispecific antibodies in practice"),
        ("relapsed myelma", "relapsed myeloma", "Treating early relapsed myeloma"),
    ],
)
def test_a_typo_gets_did_you_mean_and_the_right_results(client, library, typo, meant, title):
    html = search(client, typo)

    assert re.search(rf'Did you mean <a href="\?q={meant.replace(" ", "[+]")}">{meant}</a>\?', html)
    assert f"Nothing matches “{typo}”: here is 1 result for “{meant}”." in html
    assert titles(html) == [title]


def test_the_suggestion_links_to_its_own_search(client, library):
    html = search(client, "myelma")
    link = re.search(r'Did you mean <a href="([^"]+)"', html).group(1)

    assert titles(search(client, link.split("=", 1)[1])) == ["Treating early relapsed myeloma"]


def test_words_search_knows_are_not_corrected(client, library):
    html = search(client, "myeloma")

    assert "Did you mean" not in html
    assert titles(html) == ["Treating early relapsed myeloma"]
    assert correction("myeloma") is None


def test_nothing_close_suggests_nothing(client, library):
    html = search(client, "xylophone")

    assert "Did you mean" not in html
    assert "0 results for “xylophone”" in html and "Try fewer or different words." in html


def test_a_draft_title_is_never_offered(client, library):
    html = search(client, "zanubrutinb")

    assert "Did you mean" not in html and "Zanubrutinib" not in html


def test_experts_are_found_by_name_with_their_articles(client, library):
    html = search(client, "Sofia Marin")

    experts = re.search(r'<section class="search-experts".*?</section>', html, re.S).group(0)
    marin = library["bispecific"].experts.get()
    assert f'href="{marin.get_absolute_url()}"' in experts
    assert "Sofia Marín" in experts
    assert titles(html) == ["Bispecific antibodies in practice"]
    assert "<mark>Sofia</mark> <mark>Marín</mark>" in html


def test_an_experts_misspelt_name_is_corrected(client, library):
    html = search(client, "Sofia Marn")

    assert "Did you mean" in html and titles(html) == ["Bispecific antibodies in practice"]


def test_renaming_an_expert_renames_what_finds_their_articles(client, library):
    expert = library["bispecific"].experts.get()
    expert.name = "Sofia Marin-Ortega"
    expert.save()

    assert titles(search(client, "Ortega")) == ["Bispecific antibodies in practice"]


@pytest.mark.parametrize("q", ["cilta-cel", "ciltacel", "ciltacabtagene", "Carvykti"])
def test_a_medicines_names_find_each_other(client, library, q):
    assert titles(search(client, q)) == ["Cilta-cel after two prior lines"]


def test_matches_are_marked_in_titles_and_summaries(client, library):
    html = search(client, "keratopathy belantamab")

    # "belantamab" is "belantamab mafodotin" (a synonym): both words are marked.
    assert "Ocular care with <mark>belantamab</mark> <mark>mafodotin</mark>" in html
    assert "<mark>Keratopathy</mark>, graded and managed." in html


def test_marks_never_unescape_what_editors_wrote(client):
    make_article("Myeloma <script>alert(1)</script> & more", summary="<b>bold</b> myeloma")

    html = search(client, "myeloma")

    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "<mark>Myeloma</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;b&gt;bold&lt;/b&gt; <mark>myeloma</mark>" in html


def test_a_query_never_reaches_the_page_unescaped(client, library):
    html = search(client, '"><img src=x onerror=alert(1)> myelma')

    assert "<img src=x" not in html


def test_the_vocabulary_follows_what_editors_publish(
    client, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Teclistamab dosing", summary="Step-up.")

    assert SearchTerm.objects.filter(term="teclistamab").exists()
    assert "Did you mean" in search(client, "teclistamb")


def test_pg_trgm_and_python_measure_alike():
    assert similarity("myelma", "myeloma") == pytest.approx(0.5)
    assert similarity("belantamb", "belantamab") == pytest.approx(8 / 13)


@pytest.mark.parametrize("q", ["myeloma", "myelma", "Sofia Marin", "cilta-cel"])
def test_a_search_runs_a_fixed_number_of_queries(client, library, q, django_assert_max_num_queries):
    for n in range(5):
        make_article(f"Myeloma note {n}", experts=[make_expert(f"Sofia Marin {n}")])
    # The page's own six (hubs, brand, sponsors, cookie groups, the next publication), at most
    # seven for the search: synonyms, count, vocabulary, the corrected count, experts,
    # articles and their experts; and, on a database that cannot tell app servers of
    # changes (SQLite), the content version, read before and after the page around the
    # results is made (pagecache.frames).
    with django_assert_max_num_queries(15):
        search(client, q)
