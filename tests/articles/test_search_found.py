"""articles.search.Found, the search's own SQL on PostgreSQL, finds what the ORM's
query (search_articles) finds, in the same order, counted and sliced alike."""

from datetime import timedelta

import pytest

from articles.models import SearchSynonym
from articles.search import Found, search_articles
from tests.articles.factories import make_article, make_expert

pytestmark = pytest.mark.django_db

QUERIES = [
    "myeloma",
    "relapsed myeloma",
    "myelom",
    "car t",
    "CAR-T cell",
    "ciltacabtagene",
    "marin",
    "myeloma lymphoma",
    "nothing like this",
    "x",
]


@pytest.fixture
def articles():
    marin = make_expert("Sofia Marín")
    SearchSynonym.objects.create(terms="cilta-cel\nciltacabtagene autoleucel")
    for n in range(15):  # more than a page of one query
        make_article(f"Relapsed myeloma note {n}", age=timedelta(hours=n + 1))
    make_article("Cilta-cel after two prior lines", experts=[marin], age=timedelta(days=3))
    make_article(
        "CAR T-cell therapy in myeloma", summary="Myeloma, myeloma.", age=timedelta(days=4)
    )
    make_article("Lymphoma basics", age=timedelta(days=5))
    make_article("Myeloma draft", published=False)
    make_article("Myeloma next week", age=-timedelta(days=7))  # scheduled, not yet out


@pytest.mark.parametrize("query", QUERIES)
def test_found_is_what_the_orm_finds(articles, query):
    expected = list(search_articles(query).values_list("pk", flat=True))
    found = Found(query)

    assert found.count() == len(expected)
    assert found[0:100] == expected
    assert found[2:5] == expected[2:5]
    assert found[12:] == expected[12:]


def test_found_leaves_out_drafts_and_what_is_not_out_yet(articles):
    titles = {a.title for a in search_articles("myeloma")}

    assert "Myeloma draft" not in titles
    assert "Myeloma next week" not in titles
    assert Found("myeloma").count() == 16  # 15 notes and the CAR T article


def test_found_takes_only_plain_slices():
    with pytest.raises(TypeError):
        Found("myeloma")[3]
    with pytest.raises(TypeError):
        Found("myeloma")[0:10:2]
