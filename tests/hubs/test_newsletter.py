"""Each hub has its newsletter: a subscription is to one hub, its links work there only,
and its digest carries what that hub publishes, in its brand, linking to its address."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsletter.models import DigestIssue, Subscriber
from tests.articles.factories import make_article, make_topic
from tests.conftest import Client, declare_hcp
from tests.hubs.conftest import LYMPHOMA

pytestmark = pytest.mark.django_db


def subscribe(email, host="testserver", interests=()):
    client = declare_hcp(Client(HTTP_HOST=host))
    response = client.post(
        reverse("newsletter:subscribe"), {"email": email, "interests": [t.pk for t in interests]}
    )
    assert response.status_code == 302
    return client


def link_in(message, name):
    return re.search(rf"(https?://[^/\s]+)(/newsletter/{name}/[^\s]+/)", message.body).groups()


def test_the_same_address_subscribes_to_each_hub_separately(two_hubs):
    myeloma, lymphoma = two_hubs
    topic = make_topic("Large B-cell lymphoma", hub=lymphoma)

    subscribe("ada@example.org", LYMPHOMA, [topic])
    subscribe("ADA@example.org")

    rows = Subscriber.objects.order_by("hub_id")
    assert [(s.hub_id, s.email) for s in rows] == [
        (myeloma.pk, "ada@example.org"),
        (lymphoma.pk, "ada@example.org"),
    ]
    assert list(rows[1].interests.all()) == [topic] and not rows[0].interests.exists()
    lymphoma_mail, myeloma_mail = mail.outbox
    assert lymphoma_mail.from_email.startswith("Lymphoma Matters <")
    assert myeloma_mail.from_email.startswith("Myeloma Matters <")
    assert link_in(lymphoma_mail, "confirm")[0] == f"http://{LYMPHOMA}"


def test_a_hubs_link_works_on_that_hub_only(two_hubs):
    subscribe("ada@example.org", LYMPHOMA)
    _, path = link_in(mail.outbox[0], "confirm")

    assert Client().post(path).status_code == 400  # on the other hub: not a link of its
    assert Subscriber.objects.get().confirmed_at is None
    assert Client(HTTP_HOST=LYMPHOMA).post(path).status_code == 200
    assert Subscriber.objects.get().confirmed_at is not None


def test_unsubscribing_from_one_hub_keeps_the_other(two_hubs):
    subscribe("ada@example.org")
    subscribe("ada@example.org", LYMPHOMA)
    Subscriber.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    subscribe("ada@example.org", LYMPHOMA)  # "already subscribed", with a way out
    _, path = link_in(mail.outbox[0], "unsubscribe")

    assert Client().post(path).status_code == 200  # says done, changes nothing here
    assert Subscriber.objects.count() == 2
    Client(HTTP_HOST=LYMPHOMA).post(path)

    assert [s.hub_id for s in Subscriber.objects.all()] == [two_hubs[0].pk]


def test_each_hubs_digest_goes_to_its_subscribers_with_its_articles_in_its_brand(
    two_hubs, settings
):
    settings.HUB_BASE_URL = "https://testserver"  # links take its scheme, and its port
    myeloma, lymphoma = two_hubs
    week_ago = timezone.now() - timedelta(days=7)
    Subscriber.objects.create(hub=myeloma, email="m@example.org", confirmed_at=week_ago)
    Subscriber.objects.create(hub=lymphoma, email="l@example.org", confirmed_at=week_ago)
    Subscriber.objects.create(hub=lymphoma, email="m@example.org", confirmed_at=week_ago)
    make_article("Myeloma news", hub=myeloma, age=timedelta(days=1))
    make_article("Lymphoma news", hub=lymphoma, age=timedelta(days=1))
    shared = make_article("CRS after CAR T", hub=myeloma, age=timedelta(days=1))
    shared.shared_with.add(lymphoma)
    out = io.StringIO()

    call_command("send_newsletter_digest", stdout=out)

    assert DigestIssue.objects.filter(hub=myeloma).count() == 1
    assert DigestIssue.objects.filter(hub=lymphoma).count() == 1
    assert "Lymphoma, digest of" in out.getvalue()
    sent = {(m.to[0], m.from_email.split(" <")[0]): m for m in mail.outbox}
    assert set(sent) == {
        ("m@example.org", "Myeloma Matters"),
        ("l@example.org", "Lymphoma Matters"),
        ("m@example.org", "Lymphoma Matters"),
    }
    theirs = sent["l@example.org", "Lymphoma Matters"].body
    ours = sent["m@example.org", "Myeloma Matters"].body
    assert "Lymphoma news" in theirs and "CRS after CAR T" in theirs
    assert "Myeloma news" not in theirs
    assert f"https://{LYMPHOMA}/newsletter/unsubscribe/" in theirs
    assert f"https://{LYMPHOMA}/articles/" in theirs
    assert "Myeloma news" in ours and "Lymphoma news" not in ours
    assert LYMPHOMA not in ours and "https://testserver/newsletter/unsubscribe/" in ours


def test_a_digest_for_one_hub_only(two_hubs):
    _, lymphoma = two_hubs
    out = io.StringIO()

    call_command("send_newsletter_digest", "--hub", "lymphoma", stdout=out)

    assert list(DigestIssue.objects.values_list("hub_id", flat=True)) == [lymphoma.pk]


def test_export_and_erasure_cover_every_hubs_subscription(two_hubs, make_user, password):
    reader = make_user("ada@example.org")
    subscribe("ada@example.org")
    subscribe("ada@example.org", LYMPHOMA)
    subscribe("bob@example.org", LYMPHOMA)
    client = Client(HTTP_HOST=LYMPHOMA)
    client.force_login(reader)

    data = json.loads(client.get(reverse("accounts:export_data")).content)
    assert sorted(s["hub"] for s in data["newsletter"]) == sorted(["Lymphoma", two_hubs[0].name])

    client.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_an_editor_sees_their_hubs_subscribers_only(two_hubs, make_editor):
    myeloma, lymphoma = two_hubs
    editor = make_editor("lymphoma-editor@example.com", hubs=[lymphoma], is_superuser=False)
    editor.user_permissions.add(*Permission.objects.filter(codename="view_subscriber"))
    Subscriber.objects.create(hub=myeloma, email="theirs@example.org")
    ours = Subscriber.objects.create(hub=lymphoma, email="ours@example.org")
    theirs = Subscriber.objects.get(email="theirs@example.org")
    client = Client()
    client.force_login(editor)

    html = client.get(reverse("admin:newsletter_subscriber_changelist")).content.decode()

    assert "ours@example.org" in html and "theirs@example.org" not in html
    url = reverse("admin:newsletter_subscriber_change", args=[theirs.pk])
    assert client.get(url).status_code == 302
    url = reverse("admin:newsletter_subscriber_change", args=[ours.pk])
    assert client.get(url).status_code == 200
