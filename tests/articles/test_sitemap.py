"""sitemap.xml lists published public pages only.

The article feeds are served at personal addresses: tests/accounts/test_personal_feeds.py.
"""

import xml.etree.ElementTree as ET

import pytest

from tests.articles.factories import make_article, make_expert, make_topic

pytestmark = pytest.mark.django_db


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
