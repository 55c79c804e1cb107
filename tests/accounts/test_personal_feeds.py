"""Personal feeds: a reader's feed reader fetches RSS/Atom through a secret address.

Feed readers carry no cookie, so they cannot pass the HCP gate; the content is for
healthcare professionals only, so the feeds cannot be public either. Each reader has
a key of their own in the address, can reset it, and loses it with their account.
"""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.articles.factories import make_article, make_expert, make_topic

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def library():
    parent = make_topic("Myeloma")
    child = make_topic("CAR T", parent=parent)
    older = make_article(
        "Older",
        summary="Summary of the older one.",
        body="Confidential body text of the older one.",
        transcript="Confidential transcript.",
        topics=[child],
        experts=[make_expert("Dr A")],
    )
    newest = make_article("Newest", age=timedelta(hours=1), topics=[make_topic("Lymphoma")])
    make_article("Draft", published=False)
    make_article("Scheduled", age=-timedelta(days=1))
    return {"parent": parent, "older": older, "newest": newest}


def rss_url(user):
    return f"/feeds/{user.feed_key}/rss/"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def test_a_feed_reader_without_cookies_gets_the_rss_feed(visitor, reader, library):
    response = visitor.get(rss_url(reader))

    items = rss_items(response)
    assert [item.findtext("title") for item in items] == ["Newest", "Older"]
    older = items[1]
    assert older.findtext("description") == "Summary of the older one."
    assert older.findtext("link") == f"http://testserver{library['older'].get_absolute_url()}"
    assert older.findtext("category") == "CAR T"
    assert older.findtext("pubDate")
    assert "Dr A" in ET.tostring(older, encoding="unicode")
    assert response["X-Robots-Tag"] == "noindex"


def test_a_feed_reader_gets_the_atom_feed(visitor, reader, library):
    response = visitor.get(f"/feeds/{reader.feed_key}/atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newest", "Older"]
    assert entries[1].findtext(f"{ATOM}summary") == "Summary of the older one."
    assert entries[1].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Dr A"


def test_topic_feeds_cover_the_topic_and_its_subtopics(visitor, reader, library):
    slug = library["parent"].slug

    rss = visitor.get(f"/feeds/{reader.feed_key}/topics/{slug}/rss/")
    atom = visitor.get(f"/feeds/{reader.feed_key}/topics/{slug}/atom/")

    assert [item.findtext("title") for item in rss_items(rss)] == ["Older"]
    assert ET.fromstring(rss.content).find("channel").findtext("title") == "Hub: Myeloma"
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Older"]
    assert visitor.get(f"/feeds/{reader.feed_key}/topics/nope/rss/").status_code == 404


def test_no_article_text_beyond_the_summary_reaches_the_feed(visitor, reader, library):
    for path in ["rss", "atom", f"topics/{library['parent'].slug}/rss"]:
        body = visitor.get(f"/feeds/{reader.feed_key}/{path}/").content.decode()

        assert "Summary of the older one." in body
        assert "Confidential" not in body


@pytest.mark.parametrize("key", ["wrong", "x" * 43, "", "%00"])
def test_a_wrong_key_is_not_found(visitor, reader, library, key):
    response = visitor.get(f"/feeds/{key}/rss/")

    assert response.status_code == 404
    assert "Older" not in response.content.decode()


def test_every_reader_has_a_long_key_of_their_own(reader, make_user):
    other = make_user("other@example.com")

    assert len(reader.feed_key) >= 40
    assert reader.feed_key != other.feed_key


def test_resetting_the_address_revokes_the_old_one(reader_client, visitor, reader, library):
    old = rss_url(reader)

    response = reader_client.post(reverse("accounts:reset_feed_key"))

    reader.refresh_from_db()
    assert response.status_code == 302
    assert visitor.get(old).status_code == 404
    assert rss_items(visitor.get(rss_url(reader)))
    page = reader_client.get(response["Location"]).content.decode()
    assert "The old addresses no longer work" in page
    assert f"http://testserver{rss_url(reader)}" in page


def test_resetting_needs_a_post_and_a_login(reader_client, visitor):
    assert reader_client.get(reverse("accounts:reset_feed_key")).status_code == 405
    assert visitor.post(reverse("accounts:reset_feed_key")).status_code == 302


def test_a_deactivated_readers_feeds_stop(visitor, reader, library):
    reader.is_active = False
    reader.save()

    assert visitor.get(rss_url(reader)).status_code == 404
    assert visitor.get(f"/feeds/{reader.feed_key}/atom/").status_code == 404


def test_a_deleted_readers_feeds_stop(reader_client, visitor, reader, library, password):
    url = rss_url(reader)

    reader_client.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    assert not type(reader).objects.filter(pk=reader.pk).exists()
    assert visitor.get(url).status_code == 404


@pytest.mark.parametrize("path", ["rss", "atom", "topics/{slug}/rss", "topics/{slug}/atom"])
def test_feed_query_count_does_not_grow_with_articles(visitor, reader, library, path):
    from django.db import connection

    url = f"/feeds/{reader.feed_key}/" + path.format(slug=library["parent"].slug) + "/"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert visitor.get(url).status_code == 200
        return len(captured)

    queries()  # site-wide caches (cookie consent groups) warm up
    few = queries()
    for n in range(5):
        make_article(
            f"More {n}",
            topics=[make_topic(parent=library["parent"])],
            experts=[make_expert(), make_expert()],
        )
    queries()  # new topics change the site: what servers keep of it is read again once
    assert queries() == few


def test_my_account_shows_the_personal_addresses_and_a_reset_button(reader_client, reader):
    html = reader_client.get(reverse("accounts:my_account")).content.decode()

    assert f'value="http://testserver/feeds/{reader.feed_key}/rss/"' in html
    assert f'value="http://testserver/feeds/{reader.feed_key}/atom/"' in html
    assert f'action="{reverse("accounts:reset_feed_key")}"' in html
    assert "Reset my feed addresses" in html


def test_logged_in_readers_find_their_feeds_on_listings(reader_client, reader, library):
    key = reader.feed_key
    topic = library["parent"]

    home = reader_client.get("/").content.decode()
    listing = reader_client.get("/articles/").content.decode()
    topic_page = reader_client.get(topic.get_absolute_url()).content.decode()

    alternate = '<link rel="alternate" type="application/rss+xml"'
    assert alternate in home and f"/feeds/{key}/rss/" in home
    assert alternate in listing and f'href="http://testserver/feeds/{key}/atom/"' in listing
    assert f'href="http://testserver/feeds/{key}/topics/{topic.slug}/rss/"' in topic_page
    assert f'href="http://testserver/feeds/{key}/topics/{topic.slug}/atom/"' in topic_page


def test_no_page_points_a_visitor_at_a_feed(client, library):
    """A feed address without a key would only ever get the gate: none is offered."""
    for path in ["/", "/articles/", library["parent"].get_absolute_url()]:
        html = client.get(path).content.decode()

        assert "application/rss+xml" not in html
        assert "/feed" not in html


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_the_old_public_feed_addresses_are_gone(visitor, library, path):
    response = visitor.get(path)

    assert response.status_code == 410
    html = response.content.decode()
    assert "Older" not in html and "Summary of the older one." not in html
    assert reverse("accounts:my_account") in html


def test_the_old_topic_feed_addresses_are_gone(client, library):
    response = client.get(f"/topics/{library['parent'].slug}/feed/rss/")

    assert response.status_code == 410
    assert "Older" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_readers_who_signed_up_before_feeds_get_keys_of_their_own():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from accounts.models import User

    before = [("accounts", "0003_patient_organisations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("accounts", "User")
    for email in ["one@example.com", "two@example.com"]:
        old_user.objects.create(email=email, password="!")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    keys = set(User.objects.values_list("feed_key", flat=True))
    assert len(keys) == 2 and all(len(key) >= 40 for key in keys)
