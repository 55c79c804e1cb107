"""Editor Markdown becomes safe HTML with citations and trial links, once, on save."""

import pytest

from articles.rendering import markdown_to_html, reading_minutes
from tests.articles.factories import make_article


def test_markdown_becomes_html():
    html = markdown_to_html("## Heading\n\nSome *emphasis* and a list:\n\n- one\n- two")

    assert "<h2>Heading</h2>" in html
    assert "<em>emphasis</em>" in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">styled</p>',
        "[click](javascript:alert(1))",
    ],
)
def test_editor_html_is_sanitised(evil):
    html = markdown_to_html(f"Before\n\n{evil}\n\nAfter")

    assert "<script" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html
    assert "<iframe" not in html
    assert "style=" not in html
    assert "After" in html


def test_citations_link_to_references_and_back():
    html = markdown_to_html("Shown in a trial [1] and again [1,2].", reference_count=2)

    assert '<sup class="citation">[<a href="#ref-1" id="cite-1">1</a>]</sup>' in html
    assert '<a href="#ref-1" id="cite-1-2">1</a>,<a href="#ref-2" id="cite-2">2</a>' in html


def test_citation_ranges_expand():
    html = markdown_to_html("Several trials [1-3].", reference_count=3)

    assert html.count('class="citation"') == 1
    for n in (1, 2, 3):
        assert f'href="#ref-{n}"' in html


def test_citations_without_a_reference_stay_plain_text():
    html = markdown_to_html("An array index [3] is not a citation.", reference_count=2)

    assert "[3]" in html
    assert "#ref-3" not in html


def test_trial_ids_link_to_clinicaltrials_gov():
    html = markdown_to_html("DREAMM-7 (NCT04246047) and DREAMM-8 (NCT04484623).")

    assert (
        '<a class="trial-link" href="https://clinicaltrials.gov/study/NCT04246047">'
        "NCT04246047</a>" in html
    )
    assert "https://clinicaltrials.gov/study/NCT04484623" in html


def test_text_inside_links_and_code_is_left_alone():
    html = markdown_to_html(
        "[NCT04246047 trial](https://example.org/x) and `NCT04484623 [1]`", reference_count=1
    )

    assert html.count("clinicaltrials.gov") == 0
    assert "#ref-1" not in html


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (800, 4), (801, 5)]
)
def test_reading_time_is_never_zero(words, minutes):
    assert reading_minutes("word " * words) == minutes


@pytest.mark.django_db
def test_article_renders_once_on_save_with_its_references():
    article = make_article(
        body="Progression-free survival improved [1] in NCT04246047. " + "word " * 900,
        references=[{"authors": "Hungria V, et al.", "title": "DREAMM-7"}],
        learnings=["Belantamab triplets prolonged PFS."],
    )

    assert 'href="#ref-1"' in article.body_html
    assert "clinicaltrials.gov/study/NCT04246047" in article.body_html
    assert article.reading_minutes == 5
    assert "Belantamab triplets prolonged PFS." in article.search_document
    assert article.cited_numbers() == {1}


def test_top_level_headings_become_h2_because_the_title_is_the_h1():
    html = markdown_to_html("# Background\n\ntext\n\n<h1 class='x'>Raw</h1>")

    assert "<h1" not in html
    assert "<h2>Background</h2>" in html
    assert "<h2>Raw</h2>" in html


def test_only_same_site_images_are_kept():
    html = markdown_to_html(
        "![ours](/media/figure.png) ![theirs](https://tracker.example/p.gif) "
        "![sneaky](//tracker.example/p.gif)"
    )

    assert 'src="/media/figure.png"' in html
    assert "tracker.example" not in html


@pytest.mark.django_db
def test_citation_ids_are_unique_across_body_and_transcript():
    article = make_article(
        body="First [1].",
        transcript="Again [1].",
        references=[{"authors": "A", "title": "T"}],
    )

    assert 'id="cite-1"' in article.body_html
    assert 'id="cite-1-2"' in article.transcript_html
    assert 'id="cite-1"' not in article.transcript_html
