"""Nobody can see or change another reader's bookmarks, interests or data."""

import pytest
from django.urls import reverse

from accounts.models import Bookmark
from tests.articles.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    alice = make_user("alice@example.com", full_name="Alice Private")
    alice.interests.add(make_topic("Alice's topic"))
    Bookmark.objects.create(user=alice, article=make_article("Alice's bookmark"))
    return alice


@pytest.fixture
def mallory(client, make_user):
    mallory = make_user("mallory@example.com")
    client.force_login(mallory)
    return mallory


def test_my_pages_show_only_my_data(client, alice, mallory):
    pages = [
        reverse(f"accounts:{name}")
        for name in ("my_account", "profile", "interests", "bookmarks", "recommended")
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Alice Private" not in html, url
        assert "alice@example.com" not in html, url
    bookmarks = client.get(reverse("accounts:bookmarks")).content.decode()
    assert "Alice&#x27;s bookmark" not in bookmarks
    interests = client.get(reverse("accounts:interests")).content.decode()
    assert " checked" not in interests


def test_removing_a_bookmark_by_guessed_article_id_touches_only_my_own(client, alice, mallory):
    article = Bookmark.objects.get(user=alice).article

    client.post(reverse("accounts:bookmark", args=[article.pk]), {"action": "remove"})

    assert Bookmark.objects.filter(user=alice, article=article).exists()


def test_adding_a_bookmark_never_writes_to_another_reader(client, alice, mallory):
    article = make_article()

    client.post(
        reverse("accounts:bookmark", args=[article.pk]), {"action": "add", "user": alice.pk}
    )

    assert Bookmark.objects.filter(user=mallory, article=article).exists()
    assert not Bookmark.objects.filter(user=alice, article=article).exists()


def test_interest_form_ignores_a_smuggled_user(client, alice, mallory):
    topic = make_topic("Mallory's topic")

    client.post(reverse("accounts:interests"), {"interests": [topic.pk], "user": alice.pk})

    assert list(alice.interests.values_list("name", flat=True)) == ["Alice's topic"]
    assert list(mallory.interests.all()) == [topic]


def test_profile_form_cannot_change_email_or_staff_status(client, alice, mallory):
    client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Mallory",
            "profession": "other",
            "specialty": "other",
            "country": "GB",
            "institution": "x",
            "email": "alice@example.com",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    mallory.refresh_from_db()
    assert mallory.email == "mallory@example.com"
    assert not mallory.is_staff and not mallory.is_superuser


def test_deleting_my_account_leaves_others_alone(client, alice, mallory, password):
    client.post(reverse("accounts:delete_account"), {"password": password, "confirm": "on"})

    assert Bookmark.objects.filter(user=alice).count() == 1
    alice.refresh_from_db()
    assert alice.is_active


def test_there_are_no_urls_with_another_readers_id(client, alice, mallory):
    for url in (f"/accounts/{alice.pk}/", f"/accounts/bookmarks/?user={alice.pk}"):
        html = client.get(url).content.decode()
        assert "Alice&#x27;s bookmark" not in html
