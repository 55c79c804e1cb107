"""Editors see and change only the hubs they are given, however a URL or form is
tampered with; a superuser sees every hub."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Article
from brand.models import Brand
from hub.models import Page
from tests.articles.factories import make_article
from tests.articles.test_admin import article_form
from tests.conftest import Client
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db

PERMISSIONS = [
    f"{verb}_{model}"
    for model in ("article", "page", "brand", "quiz")
    for verb in ("view", "change", "add", "delete")
]


@pytest.fixture
def desk(two_hubs, make_editor):
    myeloma, lymphoma = two_hubs
    editor = make_editor("lymphoma-editor@example.com", hubs=[lymphoma], is_superuser=False)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=PERMISSIONS))
    client = Client()
    client.force_login(editor)
    theirs = make_article("Myeloma news", hub=myeloma)
    ours = make_article("Lymphoma news", hub=lymphoma)
    return client, myeloma, lymphoma, theirs, ours


def test_an_editor_lists_only_their_hubs_content(desk):
    client, *_ = desk

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "Lymphoma news" in html and "Myeloma news" not in html


def test_another_hubs_rows_are_not_found_by_address(desk):
    client, myeloma, _, theirs, ours = desk
    page = Page.objects.get(hub=myeloma, slug="about")
    brand = Brand.objects.get(hub=myeloma)

    for url in (
        reverse("admin:articles_article_change", args=[theirs.pk]),
        reverse("admin:hub_page_change", args=[page.pk]),
        reverse("admin:brand_brand_change", args=[brand.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:articles_article_change", args=[ours.pk])).status_code == 200


def test_a_form_cannot_move_content_to_another_hub(desk):
    client, myeloma, lymphoma, _, ours = desk
    form = article_form(hub=myeloma.pk, shared_with=[myeloma.pk], slug=ours.slug, title="Moved")

    response = client.post(reverse("admin:articles_article_change", args=[ours.pk]), form)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    ours.refresh_from_db()
    assert ours.hub == lymphoma and ours.title == "Lymphoma news"


def test_an_action_on_another_hubs_rows_does_nothing(desk):
    client, _, _, theirs, _ = desk

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )

    assert Article.objects.filter(pk=theirs.pk).exists()


def test_an_editor_is_offered_only_their_hubs(desk):
    client, myeloma, lymphoma, _, _ = desk

    html = client.get(reverse("admin:articles_article_add")).content.decode()

    assert f'name="hub" value="{lymphoma.pk}"' in html
    assert f'name="hub" value="{myeloma.pk}"' not in html


def test_quizzes_are_their_articles_hubs(desk):
    client, _, _, theirs, ours = desk
    make_quiz(article=theirs, title="Myeloma quiz")
    make_quiz(article=ours, title="Lymphoma quiz")

    html = client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()

    assert "Lymphoma quiz" in html and "Myeloma quiz" not in html


def test_a_superuser_sees_every_hub(two_hubs, make_editor):
    myeloma, lymphoma = two_hubs
    make_article("Myeloma news", hub=myeloma)
    make_article("Lymphoma news", hub=lymphoma)
    client = Client()
    client.force_login(make_editor("chief@example.com", is_superuser=True))

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "Lymphoma news" in html and "Myeloma news" in html


def test_staff_given_no_hub_can_add_nothing(two_hubs, make_editor):
    editor = make_editor("new@example.com", hubs=[])
    editor.user_permissions.add(Permission.objects.get(codename="add_article"))
    client = Client()
    client.force_login(editor)

    assert client.get(reverse("admin:articles_article_add")).status_code == 403


def test_another_hubs_quiz_results_and_outcomes_are_not_shown(desk):
    from tests.articles.factories import make_topic

    client, _, _, theirs, ours = desk
    topic = make_topic("Shared topic")
    theirs.topics.add(topic)
    ours.topics.add(topic)
    their_quiz = make_quiz(article=theirs, title="Myeloma quiz")
    make_quiz(article=ours, title="Lymphoma quiz")

    for name in ("results", "results_csv", "evaluation_csv", "preview"):
        url = reverse(f"admin:quizzes_quiz_{name}", args=[their_quiz.pk])
        assert client.get(url).status_code == 404, name
    outcomes = client.get(reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug]))
    html = outcomes.content.decode()
    assert outcomes.status_code == 200
    assert "Lymphoma quiz" in html and "Myeloma quiz" not in html
