"""The article page's parts and their order: header, tools, contents, sections."""

import re

import pytest

from articles.rendering import heading_ids, headings, markdown_to_html
from tests.articles.factories import make_article, make_expert, make_sponsor, make_topic
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

BODY = """## Why now [1]

Text.

### Who benefits

More text.

## Why now

## Contents

## Objective 3
"""


@pytest.fixture
def article():
    return make_article(
        "Targeted therapy at first relapse",
        body=BODY,
        question="Why now?",
        sponsor=make_sponsor("Northwind Therapeutics"),
        topics=[make_topic("Myeloma")],
        experts=[make_expert("Dr Amelia Hart")],
        objectives=["Explain why early relapse matters"],
        learnings=["Fitter patients tolerate more"],
        references=[{"authors": "Hungria V, et al.", "title": "DREAMM-7"}],
    )


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def column_contents(html):
    """[(href, label)] of the side column's contents, in order."""
    nav = re.search(r'<nav class="contents contents--column".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)


def test_contents_link_to_every_section_in_page_order(client, article):
    html = page(client, article)

    contents = column_contents(html)

    assert [label for _, label in contents] == [
        "Learning objectives",
        "The interview",
        "Why now",
        "Who benefits",
        "Why now",
        "Contents",
        "Objective 3",
        "Key learnings",
        "References",
        "Funding",
        "About the expert",
    ]
    positions = []
    for anchor, _ in contents:
        assert html.count(f'id="{anchor}"') == 1, anchor
        positions.append(html.index(f'id="{anchor}"'))
    assert positions == sorted(positions)


def test_body_headings_get_stable_ids_that_take_no_page_id(client, article):
    html = page(client, article)

    assert '<h2 id="why-now">Why now <sup class="citation">' in html
    assert '<h3 id="who-benefits">Who benefits</h3>' in html
    assert '<h2 id="why-now-2">Why now</h2>' in html
    assert '<h2 id="section-contents">Contents</h2>' in html
    assert '<h2 id="section-objective-3">Objective 3</h2>' in html
    before = article.body_html
    article.save()
    assert article.body_html == before


def test_subheadings_nest_under_their_heading(client, article):
    html = page(client, article)

    nav = re.search(r'<nav class="contents contents--column".*?</nav>', html, re.S).group(0)
    assert re.search(r'href="#why-now">Why now</a>\s*<ol><li><a href="#who-benefits">', nav)


def test_stored_bodies_without_ids_get_them_and_ids_are_kept():
    html = markdown_to_html("## One\n\n## Two")

    with_ids = heading_ids(html)

    assert with_ids == '<h2 id="one">One</h2>\n<h2 id="two">Two</h2>\n'
    assert heading_ids(with_ids) == with_ids
    assert headings(with_ids) == [(2, "one", "One"), (2, "two", "Two")]


def test_contents_fold_into_a_disclosure_for_small_screens(client, article):
    html = page(client, article)

    disclosure = re.search(
        r'<details class="contents contents--disclosure">.*?</details>', html, re.S
    )
    assert "<summary>Contents</summary>" in disclosure.group(0)
    assert re.findall(r'href="#([^"]+)"', disclosure.group(0)) == [
        a for a, _ in column_contents(html)
    ]


def test_every_id_on_the_page_is_unique(client, article, reader):
    make_quiz(article)
    client.force_login(reader)

    html = page(client, article)

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_top_follows_the_seed_order(client, article, reader):
    make_quiz(article)
    client.force_login(reader)
    html = page(client, article)

    parts = [
        'class="article__type"',
        'id="article-title"',
        'class="article__summary',
        "Published <time",
        "1 min read",
        "Independently supported by Northwind Therapeutics",
        "Bookmark this article",
        'class="share__title"',
        "Test your knowledge!",
        'id="objectives-title"',
    ]
    positions = [html.index(part) for part in parts]
    assert positions == sorted(positions)


def test_sponsor_statement_is_in_the_header_and_the_side_column(client, article):
    html = page(client, article)

    header = re.search(r'<header class="article__header">.*?</header>', html, re.S).group(0)
    assert "Independently supported by Northwind Therapeutics" in header
    aside = re.search(
        r'<aside class="article-aside">.*?</aside>\s*<div class="article__main">', html, re.S
    )
    assert "independently supported by Northwind Therapeutics" in aside.group(0)
    assert 'href="#funding-title"' in aside.group(0)


def test_no_sponsor_no_statement(client):
    html = page(client, make_article(body="## Only heading"))

    assert "Independently supported" not in html
    assert [label for _, label in column_contents(html)] == ["Only heading"]


def test_an_article_without_sections_has_no_contents(client):
    html = page(client, make_article(body="Just a paragraph."))

    assert "contents--column" not in html and "contents--disclosure" not in html
