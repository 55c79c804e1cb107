"""What a reader finds on an article page, and what they must not find."""

import json
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import (
    make_article,
    make_expert,
    make_sponsor,
    make_topic,
    make_type,
)
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db

REFS = [
    {
        "authors": "Hungria V, et al.",
        "title": "Belantamab mafodotin, bortezomib and dexamethasone",
        "source": "N Engl J Med. 2024;391:393-407",
        "url": "https://doi.org/10.1056/NEJMoa2405090",
        "published_on": date(2024, 8, 1),
        "accessed_on": date(2026, 9, 1),
    },
    {"authors": "Dimopoulos MA, et al.", "title": "DREAMM-8"},
]


@pytest.fixture
def interview():
    topic = make_topic("CAR T-cell therapy")
    return make_article(
        "What is the rationale for treating early relapsed myeloma with targeted therapies?",
        article_type=make_type("Expert interview", "interview"),
        summary="Why targeted therapies move into early relapse.",
        body="## Why now\n\nDREAMM-7 (NCT04246047) showed longer PFS [1]; so did DREAMM-8 [1,2].",
        question="Why use targeted therapies at first relapse?",
        introduction="Our expert discusses the evidence.",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        transcript="**Interviewer:** Why now?\n\n**Dr Hart:** Because patients are fitter [2].",
        last_reviewed=date(2026, 10, 1),
        sponsor=make_sponsor("Northwind Therapeutics"),
        topics=[topic],
        experts=[
            make_expert(
                "Dr Amelia Hart",
                role="Consultant Haematologist",
                institution="Riverside University Hospital",
                city="Leeds",
                country="GB",
            )
        ],
        objectives=["Explain why early relapse matters"],
        learnings=["Fitter patients tolerate active agents better"],
        references=REFS,
    )


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_header_shows_title_type_dates_and_reading_time(client, interview):
    html = page(client, interview)

    assert '<h1 id="article-title">What is the rationale for treating early relapsed' in html
    assert "Expert interview" in html
    assert f'<time datetime="{interview.published_at.isoformat(timespec="seconds")}">' in html
    assert '<time datetime="2026-10-01">1 October 2026</time>' in html
    assert "1 min read" in html
    assert "0 min" not in html


def test_learning_objectives_and_key_learnings(client, interview):
    html = page(client, interview)

    assert "After reading, you'll be able to:" in html
    objective = interview.learning_objectives.get(text="Explain why early relapse matters")
    assert f'<li id="objective-{objective.pk}">Explain why early relapse matters</li>' in html
    assert "Key learnings" in html
    assert "<li>Fitter patients tolerate active agents better</li>" in html


def test_experts_with_role_institution_place_and_link(client, interview):
    expert = interview.ordered_experts[0]

    html = page(client, interview)

    assert f'<a href="/experts/{expert.slug}/">Dr Amelia Hart</a>' in html
    assert "Consultant Haematologist" in html
    assert "Riverside University Hospital, Leeds, United Kingdom" in html


def test_interview_question_introduction_video_and_transcript(client, interview):
    html = page(client, interview)

    assert "Why use targeted therapies at first relapse?" in html
    assert "Our expert discusses the evidence." in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in html
    assert "<iframe" not in html, "the player loads only after the reader asks"
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert "Read the transcript" in html
    assert "<strong>Dr Hart:</strong> Because patients are fitter" in html


def test_numbered_references_with_citations_both_ways(client, interview):
    html = page(client, interview)

    assert '<li id="ref-1">' in html and '<li id="ref-2">' in html
    assert 'href="https://doi.org/10.1056/NEJMoa2405090"' in html
    assert "<cite>N Engl J Med. 2024;391:393-407</cite>" in html
    assert 'Published <time datetime="2024-08-01">1 Aug 2024</time>' in html
    assert 'Accessed <time datetime="2026-09-01">1 Sep 2026</time>' in html
    assert '<a href="#ref-1" id="cite-1">1</a>' in html
    assert 'class="backlink" href="#cite-1"' in html
    assert 'class="backlink" href="#cite-2"' in html


def test_trial_ids_link_to_clinicaltrials_gov(client, interview):
    html = page(client, interview)

    assert 'href="https://clinicaltrials.gov/study/NCT04246047">NCT04246047</a>' in html


def test_funding_statement_names_the_sponsor(client, interview):
    html = page(client, interview)

    assert (
        "This educational resource is independently supported by Northwind Therapeutics. "
        "All content was developed by the Hub in collaboration with an expert steering "
        "committee. Funders were allowed no influence on the content."
    ) in html


def test_topics_and_plain_share_links(client, interview):
    topic = interview.topics.get()

    html = page(client, interview)

    assert f'<a href="/topics/{topic.slug}/">CAR T-cell therapy</a>' in html
    url = f"http://testserver/articles/{interview.slug}/"
    assert "mailto:?subject=What%20is%20the%20rationale" in html
    assert "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver" in html
    assert "https://x.com/intent/post?url=http%3A%2F%2Ftestserver" in html
    assert f'data-url="{url}"' in html
    assert not re.search(r"<script[^>]+src=\"https?://", html), "no third-party scripts"


def test_open_graph_and_json_ld(client, interview):
    html = page(client, interview)

    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{interview.title}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == interview.title
    assert data["author"][0]["name"] == "Dr Amelia Hart"
    assert data["funder"]["name"] == "Northwind Therapeutics"
    assert data["lastReviewed"] == "2026-10-01"
    assert len(data["citation"]) == 2


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article("</script><script>alert(1)</script>")

    html = page(client, article)

    assert "<script>alert(1)</script>" not in html
    assert "\\u003C/script\\u003E" in html


def test_related_articles_share_a_topic_newest_first(client):
    topic, other = make_topic(), make_topic()
    article = make_article(topics=[topic])
    older = make_article("Older related", topics=[topic], age=timedelta(days=10))
    newer = make_article("Newer related", topics=[topic], age=timedelta(days=2))
    make_article("Unrelated", topics=[other])
    make_article("Draft related", topics=[topic], published=False)

    html = page(client, article)
    related = html.split('id="related-title"')[1]

    assert related.index(newer.title) < related.index(older.title)
    assert "Unrelated" not in related
    assert "Draft related" not in related


def test_draft_is_a_404_for_readers(client, reader):
    draft = make_article(published=False)

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_editors_preview_drafts_with_a_banner(client, make_editor):
    editor = make_editor()
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    draft = make_article("Work in progress", published=False)
    client.force_login(editor)

    html = page(client, draft)

    assert "Preview" in html
    assert "This article is not visible to readers (Draft)." in html
    assert '<meta name="robots" content="noindex">' in html


def test_scheduled_article_appears_by_itself_at_its_time(client):
    article = make_article("Tomorrow's news", age=-timedelta(hours=1))

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Tomorrow&#x27;s news" not in client.get("/").content.decode()

    # Time passing sends no signal: the page cache kept "/" only until the article was
    # due (tests/pagecache/test_shared_pages.py), which this update stands in for.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    clear_cache()

    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Tomorrow&#x27;s news" in client.get("/").content.decode()


def test_article_page_query_count_is_constant(client, django_assert_max_num_queries):
    topics = [make_topic() for _ in range(6)]
    article = make_article(
        topics=topics,
        experts=[make_expert() for _ in range(4)],
        references=[{"authors": f"Author {n}", "title": f"Paper {n}"} for n in range(12)],
        objectives=[f"Objective {n}" for n in range(5)],
        learnings=[f"Learning {n}" for n in range(5)],
        sponsor=make_sponsor(),
        body=" ".join(f"Claim [{n}]." for n in range(1, 13)),
    )
    for _ in range(8):
        make_article(topics=topics[:2], experts=[make_expert()])

    page(client, article)  # warm the caches (cookie groups, funders), as in production

    # 10, and the planners/reviewers and the people's disclosures (articles.disclosure).
    with django_assert_max_num_queries(12):
        html = page(client, article)

    assert html.count('class="citation"') == 12


def test_trial_ids_are_linked_in_objectives_learnings_and_introduction(client):
    article = make_article(
        introduction="We discuss NCT04246047.",
        question="What did NCT04484623 show?",
        objectives=["Describe NCT03651128"],
        learnings=["NCT04181827 changed practice"],
    )

    html = page(client, article)

    for nct in ("NCT04246047", "NCT04484623", "NCT03651128", "NCT04181827"):
        assert f'href="https://clinicaltrials.gov/study/{nct}">{nct}</a>' in html


def test_expert_photo_is_shown(client):
    from tests.articles.factories import image_upload

    expert = make_expert("Dr Photo", photo=image_upload("face.png", (4, 4)), photo_decorative=True)
    article = make_article(experts=[expert])

    html = page(client, article)

    # A small original is enlarged to the renditions' sizes rather than refused.
    stem = expert.photo.name.removesuffix(".png")
    assert f'srcset="/media/renditions/{stem}/portrait-64w-v1.webp 64w' in html


def test_staff_who_can_change_articles_preview_too(client, make_editor):
    editor = make_editor()
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)

    assert client.get(make_article(published=False).get_absolute_url()).status_code == 200


def test_staff_without_article_permissions_get_a_404(client, make_editor):
    client.force_login(make_editor())

    assert client.get(make_article(published=False).get_absolute_url()).status_code == 404


def test_the_meta_line_gives_the_publication_date_without_a_clock_time(client):
    article = make_article("Dated")
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now().replace(year=2026, month=3, day=9, hour=9, minute=0)
    )

    html = client.get(article.get_absolute_url()).content.decode()

    meta = re.search(r'<p class="article__meta">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"Published <time datetime=\"2026-03-09T[^\"]+\">9 March 2026</time>", meta)
    assert "UTC" not in meta and not re.search(r"\d\d:\d\d", meta.split('">', 1)[-1])
    assert "·" not in meta, "the dots between items are drawn by CSS, none dangles at the end"
