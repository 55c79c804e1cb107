"""Every shared view gives the same answer kept or not: status, headers and body (CSRF
tokens aside), for a reader who is not logged in and for one who is."""

import re

import pytest

from hub.models import Page
from pagecache.middleware import CACHE_HEADER
from tests.articles.factories import make_article, make_expert, make_sponsor, make_topic
from tests.conftest import Client
from tests.pagecache.through_wsgi import Browser
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PER_REQUEST = {"x-cache", "age", "x-request-id", "date", "set-cookie"}


@pytest.fixture
def site():
    topic = make_topic("Myeloma")
    expert = make_expert("Dr Ana Reyes", committee=True)
    article = make_article(
        "Early relapse",
        topics=[topic],
        experts=[expert],
        objectives=["Recognise early relapse."],
        learnings=["Act early."],
        references=[{"title": "A trial", "authors": "Reyes A"}],
        sponsor=make_sponsor("Kind Pharma"),
    )
    make_article("Another", topics=[topic])
    make_quiz(article=article)
    Page.objects.update_or_create(
        slug="about", defaults={"title": "About us", "body": "Who we are."}
    )
    return {
        "home": "/",
        "list": "/articles/",
        "list, filtered": "/articles/?type=article&page=1",
        "article": article.get_absolute_url(),
        "topics": "/topics/",
        "topic": topic.get_absolute_url(),
        "expert": expert.get_absolute_url(),
        "committee": "/steering-committee/",
        "search": "/search/?q=relapse",
        "funders": "/funders/",
        "newsletter": "/newsletter/",
        "about": "/about/",
    }


def comparable(headers):
    return {n.lower(): v for n, v in headers if n.lower() not in PER_REQUEST}


@pytest.mark.parametrize(
    "page", ["home", "list", "list, filtered", "article", "topics", "topic", "expert",
             "committee", "search", "funders", "newsletter", "about"],
)  # fmt: skip
@pytest.mark.parametrize("declared", [True, False])
def test_a_readers_page_is_the_same_kept_or_not(site, page, declared, settings):
    path = site[page]
    settings.HUB_LOCAL_CACHE = False
    made = Browser(declared=declared).get(path)  # straight from Django
    settings.HUB_LOCAL_CACHE = True
    miss = Browser(declared=declared).get(path)
    hit = Browser(declared=declared).get(path)

    assert (miss[CACHE_HEADER], hit[CACHE_HEADER]) == ("miss", "hit"), page
    assert made.status_code == miss.status_code == hit.status_code == 200
    assert made.body == miss.body == hit.body
    # Django's own answer carries what a proxy needs; this server's cache takes it off.
    for_a_proxy = comparable(made.header_list)
    assert for_a_proxy.pop("x-hub-variant") and for_a_proxy.pop("surrogate-key")
    assert for_a_proxy == comparable(miss.header_list)
    assert comparable(miss.header_list) == comparable(hit.header_list)
    assert "csrfmiddlewaretoken" not in hit.text()


@pytest.mark.parametrize(
    "page", ["home", "list", "article", "topics", "topic", "expert", "committee", "search",
             "funders", "newsletter", "about"],
)  # fmt: skip
def test_a_logged_in_readers_page_is_the_same_from_a_shell_or_not(site, page, reader, settings):
    path = site[page]
    member = Client()
    member.force_login(reader)
    settings.HUB_PAGE_CACHE = False
    made = member.get(path)
    settings.HUB_PAGE_CACHE = True
    first, second = member.get(path), member.get(path)

    assert made.status_code == first.status_code == second.status_code == 200
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("member-miss", "member-hit")
    bodies = {TOKEN.sub(r"\1…\2", r.content.decode()) for r in (made, first, second)}
    assert len(bodies) == 1
    headers = [comparable(r.items()) for r in (made, first, second)]
    assert headers[0] == headers[1] == headers[2]
