"""One reader, many hubs: one account and log-in on every hub's host (a session per
host), the gate's declaration and cookie consent per hub host, bookmarks shown where the
article is, and a data export and erasure that cover every hub."""

import json

import pytest
from django.urls import reverse

from accounts import gate
from accounts.models import Bookmark
from consent.models import ConsentRecord, ConsentTally
from tests.articles.factories import make_article
from tests.conftest import Client, declare_hcp
from tests.hubs.conftest import LYMPHOMA

pytestmark = pytest.mark.django_db


def test_one_account_logs_in_on_each_hubs_host(two_hubs, reader, password):
    for host in ("testserver", LYMPHOMA):
        client = declare_hcp(Client(HTTP_HOST=host))
        response = client.post(
            reverse("account_login"), {"login": reader.email, "password": password}
        )
        assert response.status_code == 302, host
        assert client.session["_auth_user_id"] == str(reader.pk)
        session = response.cookies["sessionid"]
        assert session["domain"] == "", "a session is its host's"


def test_the_gate_declaration_and_consent_cookies_belong_to_one_hubs_host(two_hubs):
    client = Client(HTTP_HOST=LYMPHOMA)

    declared = client.post(reverse("hcp_declare"), {"next": "/"})
    consented = client.post(reverse("consent:accept_all"), {"next": "/"})

    assert declared.cookies[gate.COOKIE_NAME]["domain"] == ""
    assert all(cookie["domain"] == "" for cookie in consented.cookies.values())
    # Another hub's host asks again: its browser sends it none of these cookies.
    other = Client()
    assert "hcp" in other.get("/articles/", follow=True).content.decode().lower()


def test_consent_is_recorded_per_hub(two_hubs, reader):
    myeloma, lymphoma = two_hubs
    there = declare_hcp(Client(HTTP_HOST=LYMPHOMA))
    here = declare_hcp(Client())
    for client in (there, here):
        client.force_login(reader)

    there.post(reverse("consent:accept_all"), {"next": "/"})
    here.post(reverse("consent:reject_all"), {"next": "/"})

    decisions = set(ConsentRecord.objects.values_list("hub_id", "action"))
    assert decisions == {(lymphoma.pk, "accept"), (myeloma.pk, "decline")}
    data = json.loads(here.get(reverse("accounts:export_data")).content)
    assert {d["hub_name"] for d in data["cookie_decisions"]} == {lymphoma.name, myeloma.name}


def test_anonymous_decisions_are_counted_per_hub(two_hubs):
    _, lymphoma = two_hubs

    Client(HTTP_HOST=LYMPHOMA).post(reverse("consent:accept_all"), {"next": "/"})

    assert set(ConsentTally.objects.values_list("hub_id", flat=True)) == {lymphoma.pk}


def test_a_hub_shows_the_bookmarks_of_what_it_publishes(two_hubs, reader):
    myeloma, lymphoma = two_hubs
    shared = make_article("Shared with lymphoma", hub=myeloma)
    shared.shared_with.add(lymphoma)
    only_here = make_article("Myeloma only", hub=myeloma)
    for article in (shared, only_here):
        Bookmark.objects.create(user=reader, article=article)
    there = declare_hcp(Client(HTTP_HOST=LYMPHOMA))
    there.force_login(reader)

    html = there.get(reverse("accounts:bookmarks")).content.decode()

    assert "Shared with lymphoma" in html and "Myeloma only" not in html
    # An article the hub does not publish cannot be bookmarked through it.
    url = reverse("accounts:bookmark", args=[only_here.pk])
    assert there.post(url, {"action": "remove"}).status_code == 404
    assert Bookmark.objects.filter(article=only_here).exists()


def test_erasure_covers_every_hub(two_hubs, reader, password):
    myeloma, lymphoma = two_hubs
    assert not ConsentRecord.objects.exists()
    there = declare_hcp(Client(HTTP_HOST=LYMPHOMA))
    there.force_login(reader)
    there.post(reverse("consent:accept_all"), {"next": "/"})
    Bookmark.objects.create(user=reader, article=make_article("Kept", hub=lymphoma))
    here = declare_hcp(Client())
    here.force_login(reader)
    here.post(reverse("consent:reject_all"), {"next": "/"})

    here.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    # Both hubs' decisions stay as anonymous counts of consent, naming no one.
    assert set(ConsentRecord.objects.values_list("hub_id", flat=True)) == {myeloma.pk, lymphoma.pk}
    assert not ConsentRecord.objects.filter(user__isnull=False).exists()
    assert not Bookmark.objects.exists()
