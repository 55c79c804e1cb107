"""Download everything we hold about you; delete your account after your password."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Bookmark
from tests.articles.factories import make_article, make_topic

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def rich_reader(make_user):
    reader = make_user(
        "ada@example.com",
        full_name="Dr Ada Lovelace",
        profession="physician",
        specialty="haematology",
        country="GB",
        institution="Analytical Hospital",
    )
    reader.interests.add(make_topic("Lymphoma"))
    Bookmark.objects.create(user=reader, article=make_article("Saved article"))
    return reader


def test_export_contains_everything_about_the_reader(client, rich_reader):
    client.force_login(rich_reader)

    response = client.get(reverse("accounts:export_data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="hub-my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "ada@example.com"
    assert data["account"]["full_name"] == "Dr Ada Lovelace"
    assert data["account"]["institution"] == "Analytical Hospital"
    assert data["account"]["country"] == "GB"
    assert data["email_addresses"] == [
        {"email": "ada@example.com", "verified": True, "primary": True}
    ]
    assert data["areas_of_interest"] == ["Lymphoma"]
    assert [b["article"] for b in data["bookmarks"]] == ["Saved article"]


def test_export_contains_nothing_about_anyone_else(client, rich_reader, make_user):
    other = make_user("other@example.com", full_name="Someone Else")
    Bookmark.objects.create(user=other, article=make_article("Other's article"))
    client.force_login(rich_reader)

    text = client.get(reverse("accounts:export_data")).content.decode()

    assert "other@example.com" not in text
    assert "Other's article" not in text and "Someone Else" not in text


def test_delete_needs_the_password(client, rich_reader):
    client.force_login(rich_reader)

    response = client.post(
        reverse("accounts:delete_account"), {"password": "wrong", "confirm": "on"}
    )

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=rich_reader.pk).exists()


def test_delete_needs_the_confirmation(client, rich_reader, password):
    client.force_login(rich_reader)

    response = client.post(reverse("accounts:delete_account"), {"password": password})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert User.objects.filter(pk=rich_reader.pk).exists()


def test_delete_erases_the_account_and_personal_data(client, rich_reader, password):
    client.force_login(rich_reader)

    response = client.post(
        reverse("accounts:delete_account"), {"password": password, "confirm": "on"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(email="ada@example.com").exists()
    assert not EmailAddress.objects.filter(email="ada@example.com").exists()
    assert not Bookmark.objects.exists()
    assert "_auth_user_id" not in client.session
    follow = client.get(response["Location"]).content.decode()
    assert "Your account and personal data have been deleted." in follow


def test_your_data_pages_need_login(client):
    for name in ("export_data", "delete_account", "profile", "interests", "bookmarks"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_profile_edits_are_saved_and_errors_rerender(client, rich_reader):
    client.force_login(rich_reader)
    url = reverse("accounts:profile")
    data = {
        "full_name": "Dr Ada King",
        "profession": "researcher",
        "specialty": "research",
        "country": "FR",
        "institution": "Académie",
    }

    bad = client.post(url, {**data, "country": "ZZ", "full_name": ""})
    good = client.post(url, data)

    assert bad.status_code == 200 and "Select a valid choice." in bad.content.decode()
    assert 'value="Académie"' in bad.content.decode()
    assert good.status_code == 302
    rich_reader.refresh_from_db()
    assert (rich_reader.full_name, rich_reader.country.code) == ("Dr Ada King", "FR")


def test_export_includes_newsletter_contact_and_cookie_decisions(client, rich_reader):
    from django.utils import timezone

    from hub.models import ContactMessage
    from newsletter.models import Subscriber

    Subscriber.objects.create(email="ADA@example.com", confirmed_at=timezone.now())
    ContactMessage.objects.create(
        name="Ada", email="ada@example.com", subject="Hello", message="A question."
    )
    ContactMessage.objects.create(
        name="Bob", email="bob@example.com", subject="Other", message="Not Ada's."
    )
    client.force_login(rich_reader)
    client.post(reverse("consent:accept_all"), {"next": "/"})

    data = json.loads(client.get(reverse("accounts:export_data")).content)

    assert [s["email"].lower() for s in data["newsletter"]] == ["ada@example.com"]
    assert [m["subject"] for m in data["contact_messages"]] == ["Hello"]
    assert {d["group"] for d in data["cookie_decisions"]} == {"analytics", "translation"}


def test_delete_also_erases_newsletter_and_contact_messages(client, rich_reader, password):
    from django.utils import timezone

    from hub.models import ContactMessage
    from newsletter.models import Subscriber

    Subscriber.objects.create(email="ada@example.com", confirmed_at=timezone.now())
    ContactMessage.objects.create(name="Ada", email="ADA@example.com", subject="S", message="M")
    ContactMessage.objects.create(name="Bob", email="bob@example.com", subject="S", message="M")
    client.force_login(rich_reader)

    client.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    assert not Subscriber.objects.exists()
    assert list(ContactMessage.objects.values_list("email", flat=True)) == ["bob@example.com"]


@pytest.fixture
def second_addresses(rich_reader):
    """Ada also confirmed her work address, and added one she never confirmed (anyone's)."""
    EmailAddress.objects.create(user=rich_reader, email="ada@work.example", verified=True)
    EmailAddress.objects.create(user=rich_reader, email="not-proven@example.net", verified=False)


def subscribe_logged_out(client, *emails):
    for email in emails:
        response = client.post(reverse("newsletter:subscribe"), {"email": email})
        assert response.status_code == 302


def test_delete_erases_newsletter_subscriptions_under_every_confirmed_address(
    client, rich_reader, second_addresses, password
):
    from hub.models import ContactMessage
    from newsletter.models import Subscriber

    subscribe_logged_out(
        client, "ada@example.com", "ADA@work.example", "not-proven@example.net", "bob@example.com"
    )
    ContactMessage.objects.create(name="Ada", email="ada@work.example", subject="S", message="M")
    client.force_login(rich_reader)

    client.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    left = sorted(Subscriber.objects.values_list("email", flat=True))
    assert left == ["bob@example.com", "not-proven@example.net"]
    assert not ContactMessage.objects.exists()


def test_export_shows_subscriptions_under_confirmed_addresses_only(
    client, rich_reader, second_addresses
):
    subscribe_logged_out(client, "ada@work.example", "not-proven@example.net")
    client.force_login(rich_reader)

    data = json.loads(client.get(reverse("accounts:export_data")).content)

    assert [s["email"] for s in data["newsletter"]] == ["ada@work.example"]
