"""Each hub shows what it publishes, and only that: its own content and what other hubs
share with it, one record shown on each, its canonical address on its home hub."""

import json
import re

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from articles.models import Topic
from hub.models import Page
from tests.articles.factories import make_article, make_expert, make_topic
from tests.conftest import Client, declare_hcp
from tests.hubs.conftest import LYMPHOMA

pytestmark = pytest.mark.django_db


def visitor(host="testserver"):
    return declare_hcp(Client(HTTP_HOST=host))


def page(path, host="testserver"):
    response = visitor(host).get(path)
    return response.status_code, response.content.decode()


@pytest.fixture
def content(two_hubs):
    myeloma, lymphoma = two_hubs
    expert = make_expert("Dr Shared Expert", hub=myeloma)
    expert.shared_with.add(lymphoma)
    own_expert = make_expert("Dr Myeloma Only", hub=myeloma)
    topic = make_topic("Plasma cell disorders", hub=myeloma)
    return {
        "mine": make_article(
            "Quadruplet induction in myeloma", hub=myeloma, topics=[topic], experts=[own_expert]
        ),
        "shared": _shared(
            make_article("Managing CRS after CAR T", hub=myeloma, experts=[expert]), lymphoma
        ),
        "theirs": make_article("Second-line CAR T in large B-cell lymphoma", hub=lymphoma),
        "expert": expert,
        "own_expert": own_expert,
        "topic": topic,
    }


def _shared(article, *hubs):
    article.shared_with.add(*hubs)
    return article


def test_each_hub_lists_its_own_and_what_is_shared_with_it(content):
    for path in ("/", "/articles/"):
        _, myeloma = page(path)
        _, lymphoma = page(path, LYMPHOMA)
        assert "Quadruplet induction" in myeloma and "Managing CRS" in myeloma
        assert "Second-line CAR T" not in myeloma
        assert "Second-line CAR T" in lymphoma and "Managing CRS" in lymphoma
        assert "Quadruplet induction" not in lymphoma


def test_another_hubs_article_expert_and_topic_are_not_found_here(content):
    assert page(content["mine"].get_absolute_url(), LYMPHOMA)[0] == 404
    assert page(content["own_expert"].get_absolute_url(), LYMPHOMA)[0] == 404
    assert page(content["topic"].get_absolute_url(), LYMPHOMA)[0] == 404
    assert page(content["theirs"].get_absolute_url())[0] == 404
    assert page(content["shared"].get_absolute_url(), LYMPHOMA)[0] == 200
    assert page(content["expert"].get_absolute_url(), LYMPHOMA)[0] == 200
    _, topics = page("/topics/", LYMPHOMA)
    assert "Plasma cell disorders" not in topics


def test_a_shared_article_names_its_home_as_canonical(content):
    shared = content["shared"].get_absolute_url()

    _, there = page(shared, LYMPHOMA)
    _, home = page(shared)

    canonical = re.compile(r'<link rel="canonical" href="([^"]+)">')
    assert canonical.search(there).group(1) == f"http://testserver{shared}"
    assert canonical.search(home).group(1) == f"http://testserver{shared}"


def test_search_finds_only_what_the_hub_shows(content):
    _, lymphoma = page("/search/?q=myeloma", LYMPHOMA)
    _, experts = page("/search/?q=Myeloma+Only", LYMPHOMA)
    _, here = page("/search/?q=quadruplet")

    assert "Quadruplet induction" not in lymphoma
    assert "Dr Myeloma Only" not in experts
    assert "Quadruplet induction" in here


def test_each_sitemap_lists_what_has_its_home_there(content):
    _, myeloma = page("/sitemap.xml")
    _, lymphoma = page("/sitemap.xml", LYMPHOMA)

    assert content["mine"].get_absolute_url() in myeloma
    assert content["shared"].get_absolute_url() in myeloma
    assert content["shared"].get_absolute_url() not in lymphoma
    assert content["theirs"].get_absolute_url() in lymphoma
    assert f"http://{LYMPHOMA}/articles/" in lymphoma
    assert content["theirs"].get_absolute_url() not in myeloma


def test_a_draft_of_another_hub_is_no_preview_here(two_hubs, make_editor):
    myeloma, _ = two_hubs
    draft = make_article("Unpublished myeloma data", hub=myeloma, published=False)
    editor = make_editor()
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    browser = Client(HTTP_HOST=LYMPHOMA)
    browser.force_login(User.objects.get(pk=editor.pk))

    assert browser.get(draft.get_absolute_url()).status_code == 404


def test_each_hub_has_its_own_site_pages(two_hubs):
    myeloma, lymphoma = two_hubs
    for hub, name in ((myeloma, "Myeloma"), (lymphoma, "Lymphoma")):
        about = Page.objects.get(hub=hub, slug="about")  # every hub starts with one
        about.title = f"About {name} Matters"
        about.save()

    assert "About Myeloma Matters" in page("/about/")[1]
    assert "About Lymphoma Matters" in page("/about/", LYMPHOMA)[1]
    assert "About Myeloma Matters" not in page("/about/", LYMPHOMA)[1]


def test_interests_chosen_on_one_hub_are_kept_when_saved_on_another(two_hubs, reader):
    myeloma, lymphoma = two_hubs
    mm = make_topic("Myeloma", hub=myeloma)
    dlbcl = make_topic("DLBCL", hub=lymphoma)
    reader.interests.add(mm)
    browser = Client(HTTP_HOST=LYMPHOMA)
    browser.force_login(reader)

    form = browser.get("/accounts/interests/").content.decode()
    browser.post("/accounts/interests/", {"interests": [dlbcl.pk]})

    assert "DLBCL" in form and ">Myeloma<" not in form
    assert set(reader.interests.all()) == {mm, dlbcl}
    assert set(Topic.objects.on_hub(lymphoma)) == {dlbcl}


def test_the_experts_and_topics_of_a_shared_article_are_reachable_where_it_is_shown(two_hubs):
    myeloma, lymphoma = two_hubs
    expert = make_expert("Dr Home Only", hub=myeloma)
    topic = make_topic("Cytokine release syndrome", hub=myeloma)
    article = make_article("CRS grading", hub=myeloma, experts=[expert], topics=[topic])
    article.shared_with.add(lymphoma)

    _, html = page(article.get_absolute_url(), LYMPHOMA)

    assert f'href="{expert.get_absolute_url()}"' in html
    assert page(expert.get_absolute_url(), LYMPHOMA)[0] == 200
    assert page(topic.get_absolute_url(), LYMPHOMA)[0] == 200
    article.shared_with.clear()
    assert page(expert.get_absolute_url(), LYMPHOMA)[0] == 404


def test_a_hub_without_a_port_answers_on_any_port_and_links_keep_it(two_hubs):
    myeloma, lymphoma = two_hubs
    myeloma.hosts.update(host="myeloma.test")
    article = make_article("Shared across ports", hub=myeloma)
    article.shared_with.add(lymphoma)

    status, html = page(article.get_absolute_url(), f"{LYMPHOMA}:8123")

    assert status == 200
    assert f'href="http://myeloma.test:8123{article.get_absolute_url()}"' in html
    moved = visitor(f"www.{LYMPHOMA}:8123").get("/")
    assert moved["Location"] == f"http://{LYMPHOMA}:8123/"


def test_an_email_sent_from_a_hub_speaks_for_it_and_links_to_it(two_hubs):
    from django.core import mail
    from django.urls import reverse

    from tests.accounts.test_signup import signup_data

    Client(HTTP_HOST=LYMPHOMA).post(reverse("account_signup"), signup_data())

    (message,) = mail.outbox
    assert message.from_email.startswith("Lymphoma Matters <")
    assert "Welcome to Lymphoma Matters." in message.body
    assert f"http://{LYMPHOMA}/accounts/confirm-email/" in message.body
    assert "Myeloma Matters" not in message.body


def test_each_hubs_feed_carries_what_it_publishes(content, reader):
    feed = f"/feeds/{reader.feed_key}/rss/"

    there = Client(HTTP_HOST=LYMPHOMA).get(feed).content.decode()
    here = Client().get(feed).content.decode()

    assert "Second-line CAR T" in there and "Managing CRS after CAR T" in there
    assert "Quadruplet induction" not in there
    assert "Quadruplet induction" in here and "Second-line CAR T" not in here
    assert "<title>Lymphoma Matters" in there and f"http://{LYMPHOMA}/" in there


def test_each_hubs_robots_txt_names_its_own_sitemap(two_hubs):
    there = Client(HTTP_HOST=LYMPHOMA).get("/robots.txt").content.decode()
    here = Client().get("/robots.txt").content.decode()

    assert f"Sitemap: http://{LYMPHOMA}/sitemap.xml" in there
    assert "Sitemap: http://testserver/sitemap.xml" in here


def test_a_shared_article_speaks_for_the_hub_showing_it_and_points_home(content):
    shared = content["shared"].get_absolute_url()

    _, there = page(shared, LYMPHOMA)

    assert '<meta property="og:site_name" content="Lymphoma Matters">' in there
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', there, re.S)
    data = json.loads(found)
    assert data["publisher"]["name"] == "Lymphoma Matters"
    assert data["url"] == f"http://testserver{shared}"  # its canonical address, at home
