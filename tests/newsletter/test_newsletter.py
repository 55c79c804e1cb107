"""Newsletter: double opt-in, signed unsubscribe links, staff export, the digest."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsletter.emails import CONFIRM_SALT, unsubscribe_url
from newsletter.models import Subscriber
from tests.articles.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def link(pattern, message):
    return re.search(rf"https?://[^/\s]+({pattern}[^\s]+/)", message.body).group(1)


def subscribe(client, email="reader@example.org", interests=()):
    return client.post(
        reverse("newsletter:subscribe"), {"email": email, "interests": [t.pk for t in interests]}
    )


def test_subscribe_sends_a_confirmation_and_subscribes_only_after_it(client):
    topic = make_topic("Lymphoma")

    response = subscribe(client, "Reader@Example.org", [topic])

    assert response["Location"] == reverse("newsletter:check_email")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org" and subscriber.confirmed_at is None
    assert list(subscriber.interests.all()) == [topic]
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Please confirm your subscription" in message.subject
    assert "/newsletter/unsubscribe/" in message.extra_headers["List-Unsubscribe"]

    confirm = link("/newsletter/confirm/", message)
    page = client.get(confirm)
    assert "Confirm my subscription" in page.content.decode()
    assert Subscriber.objects.get().confirmed_at is None, "a link scanner's GET confirms nothing"
    client.post(confirm)
    assert Subscriber.objects.get().confirmed_at is not None


def test_links_in_the_confirmation_point_at_the_address_the_visitor_used(client, settings):
    settings.HUB_BASE_URL = "http://127.0.0.1:8000"

    client.post(
        reverse("newsletter:subscribe"),
        {"email": "reader@example.org"},
        HTTP_HOST="localhost:8123",
    )

    (message,) = mail.outbox
    assert "http://localhost:8123/newsletter/confirm/" in message.body
    assert (
        "<http://localhost:8123/newsletter/unsubscribe/"
        in message.extra_headers["List-Unsubscribe"]
    )
    assert "127.0.0.1:8000" not in message.body


def test_subscribing_again_never_duplicates_or_reveals_anything(client):
    subscribe(client)
    Subscriber.objects.update(confirmed_at=timezone.now())

    response = subscribe(client, "READER@example.org")

    assert response["Location"] == reverse("newsletter:check_email")
    assert Subscriber.objects.count() == 1
    assert "already subscribed" in mail.outbox[-1].subject


def test_bad_email_rerenders_with_an_error(client):
    response = subscribe(client, "not-an-email")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


@pytest.mark.parametrize("tamper", ["garbage", "flip a character", "another salt", "expired"])
def test_tampered_or_expired_confirmation_links_are_refused(client, tamper):
    subscribe(client)
    subscriber = Subscriber.objects.get()
    good = signing.dumps(subscriber.pk, salt=CONFIRM_SALT)
    if tamper == "expired":
        eight_days_ago = int((timezone.now() - timedelta(days=8)).timestamp())
        signer = signing.TimestampSigner(salt=CONFIRM_SALT)
        signer.timestamp = lambda: signing.b62_encode(eight_days_ago)
        token = signer.sign_object(subscriber.pk)
    else:
        token = {
            "garbage": "nonsense",
            "flip a character": good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1],
            "another salt": signing.dumps(subscriber.pk, salt="hub.newsletter.unsubscribe"),
        }[tamper]

    response = client.post(reverse("newsletter:confirm", args=[token]))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().confirmed_at is None


def test_unsubscribe_link_works_straight_from_the_email(client, visitor):
    subscribe(client)
    leave = link("/newsletter/unsubscribe/", mail.outbox[0])

    page = visitor.get(leave)
    done = visitor.post(leave)

    assert "Stop sending the newsletter to reader@example.org?" in page.content.decode()
    assert "You have unsubscribed" in done.content.decode()
    assert not Subscriber.objects.exists()


def test_one_click_unsubscribe_from_the_mail_client_needs_no_csrf(db):
    from tests.conftest import Client

    subscriber = Subscriber.objects.create(email="a@example.org", confirmed_at=timezone.now())
    path = unsubscribe_url(subscriber).split("://", 1)[1].split("/", 1)[1]

    response = Client(enforce_csrf_checks=True).post("/" + path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_tampered_unsubscribe_link_is_refused_and_deletes_nothing(client):
    victim = Subscriber.objects.create(email="victim@example.org", confirmed_at=timezone.now())
    forged = signing.dumps([victim.pk, "victim@example.org"], salt="wrong-salt")

    response = client.post(reverse("newsletter:unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert Subscriber.objects.filter(pk=victim.pk).exists()


def test_staff_export_confirmed_subscribers_as_csv(client, make_editor):
    topic = make_topic("Myeloma")
    confirmed = Subscriber.objects.create(email="yes@example.org", confirmed_at=timezone.now())
    confirmed.interests.add(topic)
    Subscriber.objects.create(email="pending@example.org")
    client.force_login(make_editor(is_superuser=True))

    response = client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {
            "action": "export_confirmed",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["hub", "email", "confirmed_at", "interests"]
    assert [r[1] for r in rows[1:]] == ["yes@example.org"]
    assert rows[1][0] == confirmed.hub.name and rows[1][3] == "Myeloma"


def test_digest_sends_new_matching_articles_to_confirmed_subscribers_only():
    myeloma, lymphoma = make_topic("Myeloma"), make_topic("Lymphoma")
    car_t = make_topic("CAR T", parent=myeloma)
    week_ago = timezone.now() - timedelta(days=7)
    follower = Subscriber.objects.create(email="m@example.org", confirmed_at=week_ago)
    follower.interests.add(myeloma)
    everything = Subscriber.objects.create(email="all@example.org", confirmed_at=week_ago)
    Subscriber.objects.create(email="pending@example.org")
    make_article("Old news", topics=[car_t], age=timedelta(days=30))
    make_article("New CAR T data", topics=[car_t], age=timedelta(days=1))
    make_article("New lymphoma data", topics=[lymphoma], age=timedelta(days=1))
    make_article("Draft", topics=[car_t], published=False)

    call_command("send_newsletter_digest", stdout=io.StringIO())

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"m@example.org", "all@example.org"}
    assert "New CAR T data" in by_recipient["m@example.org"].body
    assert "New lymphoma data" not in by_recipient["m@example.org"].body
    assert "Old news" not in by_recipient["m@example.org"].body
    assert "New lymphoma data" in by_recipient["all@example.org"].body
    assert "/newsletter/unsubscribe/" in by_recipient["all@example.org"].body
    assert by_recipient["all@example.org"].extra_headers["List-Unsubscribe-Post"]

    mail.outbox.clear()
    call_command("send_newsletter_digest", stdout=io.StringIO())
    assert mail.outbox == [], "nothing new, nothing sent"
    everything.refresh_from_db()
    assert everything.last_digest_at is not None


def test_newsletter_page_is_in_the_main_navigation(client):
    html = client.get(reverse("newsletter:subscribe")).content.decode()

    assert 'aria-current="page">Newsletter</a>' in html


def test_unsubscribe_token_for_another_address_deletes_nothing(client):
    victim = Subscriber.objects.create(email="victim@example.org", confirmed_at=timezone.now())
    signed_for_other = signing.dumps(
        [victim.pk, "attacker@example.org"], salt="hub.newsletter.unsubscribe"
    )

    page = client.get(reverse("newsletter:unsubscribe", args=[signed_for_other]))
    client.post(reverse("newsletter:unsubscribe", args=[signed_for_other]))

    assert "This address is no longer subscribed." in page.content.decode()
    assert Subscriber.objects.filter(pk=victim.pk).exists()


def test_tampered_unsubscribe_link_shows_a_clear_page_on_get(client):
    response = client.get(reverse("newsletter:unsubscribe", args=["not-a-token"]))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_emails_are_written_in_the_subscribers_language(client):
    from django.utils import translation

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    subscribe(client, "lecteur@example.org")
    Subscriber.objects.update(confirmed_at=timezone.now() - timedelta(days=2))
    make_article("Nouvel article")

    call_command("send_newsletter_digest", stdout=io.StringIO())

    confirmation, digest = mail.outbox
    with translation.override("fr"):
        expected_subject = translation.gettext("Please confirm your subscription")
        expected_line = translation.gettext("Unsubscribe:")
    assert Subscriber.objects.get().language == "fr"
    assert expected_subject in confirmation.subject
    assert expected_subject != "Please confirm your subscription"
    assert expected_line in digest.body


def test_the_topics_are_a_tree_with_each_box_beside_its_label(client):
    myeloma = make_topic("Multiple myeloma")
    make_topic("Bispecific antibodies", parent=myeloma)

    html = client.get(reverse("newsletter:subscribe")).content.decode()

    tree = html.split('<ul class="interest-tree">', 1)[1]
    # The subtopic is in a list inside its parent's item, as on the Interests page.
    parent_item = tree.split("Multiple myeloma</label>", 1)[1].split("</li>", 1)[0]
    assert '<ul class="interest-tree">' in parent_item and "Bispecific antibodies" in parent_item
    pk = myeloma.pk
    assert f'<input type="checkbox" name="interests" value="{pk}" id="interest-{pk}">' in html
    assert f'<label for="interest-{myeloma.pk}">Multiple myeloma</label>' in html


def test_a_form_error_keeps_the_topics_ticked(client):
    lymphoma = make_topic("Lymphoma")

    response = client.post(
        reverse("newsletter:subscribe"), {"email": "not-an-email", "interests": [lymphoma.pk]}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "Enter a valid email address." in html
    assert f'value="{lymphoma.pk}" id="interest-{lymphoma.pk}" checked' in html
    assert Subscriber.objects.count() == 0
