"""Bookmarks: toggled by a POST that works without JavaScript, one per reader and article."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Bookmark
from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("Bridging before CAR T")


def bookmark_url(article):
    return reverse("accounts:bookmark", args=[article.pk])


def test_bookmark_button_shows_its_state(client, reader, article):
    client.force_login(reader)

    before = client.get(article.get_absolute_url()).content.decode()
    client.post(bookmark_url(article), {"action": "add"})
    after = client.get(article.get_absolute_url()).content.decode()

    # In words, not by aria-pressed: a button whose label changes must not also be a toggle.
    assert "aria-pressed" not in before + after
    assert 'data-bookmarked="false"' in before and 'name="action" value="add"' in before
    assert '<span class="bookmark-button__add">Bookmark this article</span>' in before
    assert '<span class="bookmark-status" hidden>' in before
    assert 'data-bookmarked="true"' in after and 'name="action" value="remove"' in after
    assert '<span class="bookmark-button__remove">Remove bookmark</span>' in after
    assert '<span class="bookmark-status"><span' in after and "Bookmarked</span>" in after


def test_card_buttons_name_their_article_in_both_states(client, reader, article):
    client.force_login(reader)
    client.post(bookmark_url(article), {"action": "add"})

    page = client.get(reverse("articles:list")).content.decode()

    assert (
        '<span class="bookmark-button__remove">Remove bookmark</span>'
        '<span class="visually-hidden">: Bridging before CAR T</span>'
    ) in page


def test_bookmarking_without_javascript_returns_to_the_page(client, reader, article):
    client.force_login(reader)

    response = client.post(
        bookmark_url(article), {"action": "add", "next": article.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert Bookmark.objects.filter(user=reader, article=article).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Saved to your bookmarks." in page


def test_javascript_gets_json_and_no_reload(client, reader, article):
    client.force_login(reader)

    response = client.post(
        bookmark_url(article), {"action": "add"}, headers={"accept": "application/json"}
    )

    assert response.json() == {"bookmarked": True, "message": "Saved to your bookmarks."}


def test_double_submit_never_duplicates(client, reader, article):
    client.force_login(reader)

    for _ in range(3):
        client.post(bookmark_url(article), {"action": "add"})

    assert Bookmark.objects.filter(user=reader, article=article).count() == 1


def test_the_database_allows_one_bookmark_per_reader_and_article(reader, article):
    Bookmark.objects.create(user=reader, article=article)

    with pytest.raises(IntegrityError):
        Bookmark.objects.create(user=reader, article=article)


def test_remove_and_remove_again(client, reader, article):
    Bookmark.objects.create(user=reader, article=article)
    client.force_login(reader)

    client.post(bookmark_url(article), {"action": "remove"})
    second = client.post(bookmark_url(article), {"action": "remove"})

    assert second.status_code == 302
    assert not Bookmark.objects.exists()


def test_my_bookmarks_lists_newest_first_and_removes(client, reader):
    first, second = make_article("First saved"), make_article("Second saved")
    client.force_login(reader)
    client.post(bookmark_url(first), {"action": "add"})
    client.post(bookmark_url(second), {"action": "add"})

    html = client.get(reverse("accounts:bookmarks")).content.decode()

    assert html.index("Second saved") < html.index("First saved")
    assert 'name="action" value="remove"' in html
    client.post(bookmark_url(first), {"action": "remove", "next": reverse("accounts:bookmarks")})
    assert "First saved" not in client.get(reverse("accounts:bookmarks")).content.decode()


def test_visitors_are_asked_to_log_in(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    response = client.post(bookmark_url(article), {"action": "add"})

    assert f'href="/accounts/login/?next={article.get_absolute_url()}"' in html
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Bookmark.objects.exists()


def test_drafts_and_unknown_articles_cannot_be_bookmarked(client, reader):
    draft = make_article(published=False)
    client.force_login(reader)

    assert client.post(bookmark_url(draft), {"action": "add"}).status_code == 404
    assert client.post("/accounts/bookmarks/999999/", {"action": "add"}).status_code == 404
    assert client.get(bookmark_url(draft)).status_code == 405
    assert not Bookmark.objects.exists()


def test_bookmark_needs_csrf(reader, article):
    from tests.conftest import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)

    assert strict.post(bookmark_url(article), {"action": "add"}).status_code == 403


def test_article_page_with_bookmark_state_has_a_fixed_query_budget(
    client, reader, django_assert_max_num_queries
):
    article = make_article()
    for _ in range(30):
        Bookmark.objects.create(user=reader, article=make_article())
    client.force_login(reader)
    client.get(article.get_absolute_url())

    with django_assert_max_num_queries(12):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
