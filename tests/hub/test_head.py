"""HEAD answers every read-only page as GET does, without the body: link checkers,
monitors and caches ask with HEAD (RFC 9110 requires it wherever GET works)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from hub.models import Page
from tests.articles.factories import make_article, make_expert, make_topic
from tests.brand.conftest import png_bytes
from tests.conftest import declare_hcp

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    expert = make_expert("Dr Ada Lee", committee=True)
    topic = make_topic("Myeloma")
    article = make_article("Early relapse", topics=[topic], experts=[expert])
    Page.objects.update_or_create(slug="about", defaults={"title": "About", "body": "Us."})
    return {"article": article, "topic": topic, "expert": expert}


def assert_head_like_get(client, url):
    got = client.get(url)
    head = client.head(url)

    assert (head.status_code, got.status_code) == (200, 200), url
    assert head.content == b"", url
    assert head["Content-Type"] == got["Content-Type"], url


def test_shared_pages_answer_head(content):
    reader = declare_hcp(Client())
    urls = [
        reverse("home"),
        content["article"].get_absolute_url(),
        reverse("articles:list"),
        reverse("articles:list") + "?type=article",
        reverse("articles:search") + "?q=relapse",
        reverse("articles:topic_list"),
        reverse("articles:topic_detail", args=[content["topic"].slug]),
        reverse("articles:expert_detail", args=[content["expert"].slug]),
        reverse("articles:steering_committee"),
        reverse("funders"),
        reverse("about"),
        reverse("cookie_settings"),
        reverse("newsletter:subscribe"),
        reverse("newsletter:check_email"),
        reverse("contact"),
        reverse("contact_thanks"),
        reverse("robots_txt"),
        reverse("brand:stylesheet"),
    ]

    for url in urls:
        assert_head_like_get(reader, url)


def test_the_gate_answers_head_for_an_undeclared_visitor(content):
    visitor = Client()
    url = content["article"].get_absolute_url()

    head = visitor.head(url)

    assert head.status_code == 200
    assert head.content == b""
    assert head["X-Robots-Tag"] == "noindex", "the gate page, not the article"
    assert "Early relapse" not in visitor.get(url).content.decode()


def test_a_readers_own_pages_answer_head(content, reader):
    client = Client()
    client.force_login(reader)

    for url in [
        reverse("home"),
        content["article"].get_absolute_url(),
        reverse("accounts:my_account"),
        reverse("accounts:bookmarks"),
        reverse("accounts:recommended"),
        reverse("quizzes:history"),
    ]:
        assert_head_like_get(client, url)


def test_uploads_answer_head(client):
    url = "/media/" + default_storage.save("brand/mark.png", ContentFile(png_bytes()))

    head = client.head(url)

    assert head.status_code == 200
    assert head["Content-Type"] == "image/png"
    assert head["X-Content-Type-Options"] == "nosniff"
