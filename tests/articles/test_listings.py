"""Finding content: home, article list, content-type filter, topics, experts, pagination."""

import re
from datetime import timedelta

import pytest

from articles.views import PAGE_SIZE
from tests.articles.factories import make_article, make_expert, make_topic, make_type

pytestmark = pytest.mark.django_db


def test_home_shows_featured_latest_and_topics(client):
    topic = make_topic("Multiple myeloma", description="Plasma-cell cancer.")
    make_topic("CAR T-cell therapy", parent=topic)
    make_article("Featured piece", featured=True, topics=[topic])
    make_article("Ordinary piece")
    make_article("Hidden draft", published=False, featured=True)

    html = client.get("/").content.decode()

    featured = html.split('id="featured-title"')[1].split('id="latest-title"')[0]
    assert "Featured piece" in featured and "Ordinary piece" not in featured
    latest = html.split('id="latest-title"')[1].split('id="topics-title"')[0]
    # Shown once: already featured, so not repeated under Latest (issue 14).
    assert "Ordinary piece" in latest and "Featured piece" not in latest
    assert "CAR T-cell therapy" in html
    assert "Hidden draft" not in html


def test_home_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    topics = [make_topic() for _ in range(10)]
    for n in range(20):
        make_article(featured=n < 5, topics=topics[:3], experts=[make_expert(), make_expert()])

    client.get("/")  # warm the caches (cookie groups, funders), as in production

    with django_assert_max_num_queries(6):
        response = client.get("/")

    assert len(re.findall(r'<article class="card[ "]', response.content.decode())) == 3 + 6


def test_article_list_filters_by_content_type(client):
    interview = make_type("Expert interview", "interview")
    make_article("An interview", article_type=interview)
    make_article("A plain article")

    html = client.get("/articles/?type=interview").content.decode()

    assert "An interview" in html
    assert "A plain article" not in html
    assert '<a href="?type=interview" aria-current="true">' in html


def test_unknown_content_type_shows_everything(client):
    make_article("A plain article")

    response = client.get("/articles/?type=nonsense", follow=True)

    assert response.redirect_chain == [("/articles/", 302)]
    assert "A plain article" in response.content.decode()


def test_article_list_paginates(client):
    for n in range(PAGE_SIZE + 2):
        make_article(f"Numbered {n:02d}", age=timedelta(days=n + 1))

    first = client.get("/articles/").content.decode()
    second = client.get("/articles/?page=2").content.decode()
    beyond = client.get("/articles/?page=999", follow=True)
    garbage = client.get("/articles/?page=abc", follow=True)

    assert "Numbered 00" in first and "Numbered 13" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Numbered 13" in second and "Numbered 00" not in second
    assert beyond.redirect_chain == [("/articles/?page=2", 302)]
    assert "Numbered 13" in beyond.content.decode()
    assert (
        garbage.redirect_chain == [("/articles/", 302)]
        and "Numbered 00" in garbage.content.decode()
    )


def test_topic_page_includes_articles_of_its_subtopics(client):
    parent = make_topic("Relapsed/refractory")
    child = make_topic("CAR T-cell therapy", parent=parent)
    make_article("About CAR T", topics=[child])
    make_article("About the parent", topics=[parent])
    make_article("Elsewhere", topics=[make_topic()])

    parent_html = client.get(parent.get_absolute_url()).content.decode()
    child_html = client.get(child.get_absolute_url()).content.decode()

    assert "About CAR T" in parent_html and "About the parent" in parent_html
    assert "Elsewhere" not in parent_html
    assert f'<a href="{child.get_absolute_url()}">CAR T-cell therapy</a>' in parent_html
    assert "About CAR T" in child_html and "About the parent" not in child_html
    assert f'<a href="{parent.get_absolute_url()}">Relapsed/refractory</a>' in child_html


def test_topic_list_nests_topics(client):
    parent = make_topic("Multiple myeloma")
    make_topic("Supportive care", parent=parent)

    html = client.get("/topics/").content.decode()

    outer = html.index("Multiple myeloma")
    assert html.index('<ul class="topic-tree">', outer) < html.index("Supportive care")


def test_unknown_topic_and_expert_are_404(client):
    assert client.get("/topics/nope/").status_code == 404
    assert client.get("/experts/nope/").status_code == 404
    assert client.get("/articles/nope/").status_code == 404


def test_expert_page_lists_everything_they_appear_in(client):
    expert = make_expert(
        "Dr Amelia Hart", role="Consultant Haematologist", bio="Leads a myeloma service."
    )
    make_article("Her interview", experts=[expert])
    make_article("Her article", experts=[expert, make_expert()])
    make_article("Not hers", experts=[make_expert()])
    make_article("Her draft", experts=[expert], published=False)

    html = client.get(expert.get_absolute_url()).content.decode()

    assert "<h1>Dr Amelia Hart</h1>" in html
    assert "Consultant Haematologist" in html and "Leads a myeloma service." in html
    assert "Her interview" in html and "Her article" in html
    assert "Not hers" not in html and "Her draft" not in html


def test_steering_committee_lists_flagged_experts_with_links(client):
    chair = make_expert(
        "Dr Amelia Hart",
        committee=True,
        role="Consultant Haematologist",
        institution="Riverside University Hospital",
        bio="Chairs the committee.",
    )
    make_expert("Dr Not Member")

    html = client.get("/steering-committee/").content.decode()

    assert "Dr Amelia Hart" in html and "Dr Not Member" not in html
    assert "Riverside University Hospital" in html and "Chairs the committee." in html
    assert f'href="{chair.get_absolute_url()}"' in html
    assert '<a href="/steering-committee/" aria-current="page">Steering Committee</a>' in html


def test_pagination_keeps_the_content_type_filter(client):
    interview = make_type("Expert interview", "interview")
    for n in range(PAGE_SIZE + 1):
        make_article(f"Interview {n:02d}", article_type=interview, age=timedelta(days=n + 1))

    html = client.get("/articles/?type=interview").content.decode()

    assert 'href="?type=interview&amp;page=2" rel="next"' in html
