"""The article form at the editors' desk: an explicit Scheduled state, what an article is
built around near the top, a Markdown preview and plain words for pictures."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import make_article, make_topic
from tests.articles.test_admin import article_form
from tests.conftest import declare_hcp

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, make_editor):
    user = make_editor(is_superuser=True)
    client.force_login(user)
    return user


def add(client, **fields):
    return client.post(reverse("admin:articles_article_add"), article_form(**fields))


# Draft, Scheduled, Published


def test_the_form_offers_draft_scheduled_and_published(client, editor):
    html = client.get(reverse("admin:articles_article_add")).content.decode()

    for value in ("draft", "scheduled", "published"):
        assert f'name="status" value="{value}"' in html
    assert "Scheduled: it appears by itself at the publication time" in html


def test_a_scheduled_article_goes_live_at_its_time(client, editor):
    later = timezone.now() + timedelta(hours=3)

    response = add(client, status="scheduled", published_at=later)

    assert response.status_code == 302, response.content.decode()[-2000:]
    article = Article.objects.get()
    assert article.state_label == "Scheduled"
    assert list(Article.objects.scheduled()) == [article]
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'value="scheduled" class="radiolist" required id="id_status_1" checked' in (
        change.content.decode()
    )
    client.logout()
    declare_hcp(client)
    assert client.get(article.get_absolute_url()).status_code == 404
    # Shared pages are kept only until it is due, so it appears in time (pagecache).
    listing = client.get(reverse("articles:list"))
    assert 0 < int(listing["Cache-Control"].rsplit("s-maxage=", 1)[1]) <= 3 * 3600
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 200


def test_scheduling_needs_a_future_time(client, editor):
    response = add(client, status="scheduled", published_at=timezone.now() - timedelta(hours=1))

    assert response.status_code == 200
    assert "To schedule the article, give a publication time in the future" in (
        response.content.decode()
    )
    assert not Article.objects.exists()


def test_published_with_a_future_time_asks_which_was_meant(client, editor):
    response = add(client, status="published", published_at=timezone.now() + timedelta(days=1))

    assert response.status_code == 200
    assert "This time is in the future: choose Scheduled" in response.content.decode()
    assert not Article.objects.exists()


def test_a_draft_keeps_its_planned_time_and_stays_hidden(client, editor):
    later = timezone.now() + timedelta(days=1)

    add(client, status="draft", published_at=later)

    article = Article.objects.get()
    assert article.state_label == "Draft"
    assert not Article.objects.published().exists() and not Article.objects.scheduled().exists()


# The form's order, rows and words


def test_objectives_learnings_and_references_come_before_the_body(client, editor):
    article = make_article(objectives=["Grade CRS"], learnings=["Fever first"])

    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    body = html.index('name="body"')
    for inline in ("learning_objectives-group", "key_learnings-group", "references-group"):
        assert html.index(f'id="{inline}"') < body
    # An empty row waits in each, for a new article as for this one.
    assert 'name="learning_objectives-1-text"' in html
    assert 'name="key_learnings-1-text"' in html
    assert 'name="references-0-title"' in html


def test_picture_sizes_are_said_in_words(client, editor):
    article = make_article()

    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "No picture uploaded." in html
    assert "icon-no.svg" not in html


def test_locked_and_computed_fields_are_shown_read_only(client, editor):
    article = make_article()

    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert '<div class="readonly">' in html
    assert "css/desk.css" in html


# The Markdown preview


def test_the_preview_renders_and_sanitises_as_the_site_does(client, editor):
    response = client.post(
        reverse("admin:articles_article_preview"),
        {
            "text": "## Dosing\n\nSee [1] and NCT04246047. <script>alert(1)</script>",
            "references": "1",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="dosing">Dosing</h2>' in html
    assert 'href="#ref-1"' in html
    assert "clinicaltrials.gov" in html.lower()
    assert "<script>" not in html


def test_the_preview_is_for_editors_only(client, reader):
    client.force_login(reader)

    response = client.post(reverse("admin:articles_article_preview"), {"text": "Hi"})

    assert response.status_code == 302


def test_the_preview_answers_only_posts(client, editor):
    assert client.get(reverse("admin:articles_article_preview")).status_code == 405


def test_the_body_textarea_carries_its_preview(client, editor):
    html = client.get(reverse("admin:articles_article_add")).content.decode()

    assert 'class="markdown-editor"' in html
    assert f'data-preview-url="{reverse("admin:articles_article_preview")}"' in html
    assert "js/desk.js" in html


# Controls every editor can name and reach (no select2, no split date and time)


def test_the_form_uses_the_browsers_own_controls(client, editor):
    myeloma = make_topic("Myeloma")
    make_topic("Relapsed", parent=myeloma)
    article = make_article("Grading CRS", objectives=["Grade CRS"])
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert 'type="datetime-local" name="published_at"' in html
    assert 'type="date" name="last_reviewed"' in html
    assert 'type="checkbox" name="topics"' in html
    assert "Myeloma › Relapsed" in html  # a nested topic under the one it sits in
    assert "admin-autocomplete" not in html and "select2" not in html
    assert 'name="published_at_0"' not in html
    # Every control of a row in a table is named, the delete box too.
    assert 'aria-label="Order" id="id_learning_objectives-0-order"' in html
    assert 'aria-label="Delete" id="id_learning_objectives-0-DELETE"' in html


def test_a_scheduled_time_typed_in_the_single_control_is_kept(client, editor):
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)

    add(client, status="scheduled", published_at=later)

    assert Article.objects.get().published_at == later
