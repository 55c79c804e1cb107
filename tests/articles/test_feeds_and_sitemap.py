"""RSS/Atom feeds and sitemap.xml list published public pages only."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from tests.articles.factories import make_article, make_expert, make_topic

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_rss_feed_lists_published_articles_newest_first(client):
    topic = make_topic("Supportive care")
    make_article("Older", topics=[topic], experts=[make_expert("Dr A")])
    make_article("Newest", age=timedelta(hours=1))
    make_article("Draft", published=False)

    response = client.get("/feeds/rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Newest", "Older"]
    older = channel.findall("item")[1]
    assert older.findtext("category") == "Supportive care"
    assert older.findtext("link").startswith("http://testserver/articles/article-")


def test_atom_feed(client):
    make_article("Atom entry")

    response = client.get("/feeds/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Atom entry"]


def test_topic_feeds_cover_the_topic_and_its_subtopics(client):
    parent = make_topic("Myeloma")
    child = make_topic("CAR T", parent=parent)
    make_article("Child article", topics=[child])
    make_article("Other", topics=[make_topic()])

    rss = ET.fromstring(client.get(f"/topics/{parent.slug}/feed/rss/").content)
    atom = ET.fromstring(client.get(f"/topics/{parent.slug}/feed/atom/").content)

    assert [i.findtext("title") for i in rss.find("channel").findall("item")] == ["Child article"]
    assert rss.find("channel").findtext("title") == "Hub: Myeloma"
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["Child article"]
    assert client.get("/topics/nope/feed/rss/").status_code == 404


def test_sitemap_lists_public_pages_only(client):
    article = make_article("Public")
    draft = make_article("Draft", published=False)
    topic = make_topic()
    expert = make_expert()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = {
        loc.text
        for loc in ET.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    }
    base = "http://testserver"
    assert f"{base}{article.get_absolute_url()}" in locations
    assert f"{base}{draft.get_absolute_url()}" not in locations
    assert f"{base}{topic.get_absolute_url()}" in locations
    assert f"{base}{expert.get_absolute_url()}" in locations
    assert f"{base}/" in locations


def test_robots_txt_points_at_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
