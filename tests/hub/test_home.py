"""The home page: Recommended, Featured and Latest, with no article shown twice."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.articles.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a></h3>')


def sections(html):
    """Card titles by the heading of the home section they are in."""
    found = {}
    for part in html.split('<section class="home-section"')[1:]:
        heading = re.search(r"<h2[^>]*>([^<]+)</h2>", part).group(1)
        found[heading] = TITLE.findall(part.split("</section>")[0])
    return found


def test_an_article_in_every_section_is_shown_once_and_sections_keep_their_size(client, reader):
    followed = make_topic("Multiple myeloma")
    reader.interests.add(followed)
    make_article("Everywhere", topics=[followed], featured=True, age=timedelta(hours=1))
    for n in range(3):
        make_article(f"Featured {n}", featured=True, age=timedelta(days=10 + n))
    for n in range(6):
        make_article(f"Recent {n}", age=timedelta(days=2 + n))
    client.force_login(reader)

    shown = sections(client.get(reverse("home")).content.decode())

    assert shown["Recommended for you"] == ["Everywhere"]
    assert shown["Featured"] == ["Featured 0", "Featured 1", "Featured 2"]
    assert shown["Latest"] == [f"Recent {n}" for n in range(6)]


def test_a_visitor_sees_a_featured_article_once(client):
    make_article("Featured and newest", featured=True, age=timedelta(hours=1))
    make_article("Older", age=timedelta(days=3))

    shown = sections(client.get(reverse("home")).content.decode())

    assert shown["Featured"] == ["Featured and newest"]
    assert shown["Latest"] == ["Older"]
