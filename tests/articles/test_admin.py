"""The editors' desk: write, schedule, publish and sanitise articles in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from hubs.directory import default as default_hub
from tests.articles.factories import make_article, make_expert, make_sponsor, make_topic, make_type
from tests.conftest import declare_hcp

pytestmark = pytest.mark.django_db

INLINES = ["article_experts", "content_roles", "learning_objectives", "key_learnings", "references"]


@pytest.fixture
def editor(client, make_editor):
    user = make_editor(is_superuser=True)
    client.force_login(user)
    return user


def article_form(**overrides):
    when = overrides.pop("published_at", timezone.now() - timedelta(minutes=1))
    data = {
        "title": "How should CRS be graded?",
        "slug": "how-should-crs-be-graded",
        "article_type": make_type().pk,
        "summary": "A short guide to grading.",
        "hub": default_hub().id,
        "status": "published",
        # One <input type="datetime-local">, in the desk's time zone.
        "published_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M:%S"),
        "topics": [make_topic("Supportive care").pk],
        "body": "Grading follows consensus criteria [1] as in NCT03651128.",
    }
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "article_experts-TOTAL_FORMS": "1",
            "article_experts-0-order": "0",
            "article_experts-0-expert": make_expert("Dr Grace Okafor").pk,
            "learning_objectives-TOTAL_FORMS": "1",
            "learning_objectives-0-order": "0",
            "learning_objectives-0-text": "Grade CRS",
            "key_learnings-TOTAL_FORMS": "1",
            "key_learnings-0-order": "0",
            "key_learnings-0-text": "Fever is the first sign",
            "references-TOTAL_FORMS": "1",
            "references-0-order": "0",
            "references-0-authors": "Lee DW, et al.",
            "references-0-title": "ASTCT consensus grading",
            "references-0-url": "https://doi.org/10.1016/j.bbmt.2018.12.758",
        }
    )
    data.update(overrides)
    return data


def test_editor_creates_a_complete_article(client, editor):
    response = client.post(reverse("admin:articles_article_add"), article_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="how-should-crs-be-graded")
    assert article.ordered_experts[0].name == "Dr Grace Okafor"
    assert list(article.learning_objectives.values_list("text", flat=True)) == ["Grade CRS"]
    assert list(article.key_learnings.values_list("text", flat=True)) == ["Fever is the first sign"]
    # Rendered after the inlines were saved: the citation found its reference.
    assert '<a href="#ref-1" id="cite-1">1</a>' in article.body_html
    assert "Fever is the first sign" in article.search_document
    html = client.get(article.get_absolute_url()).content.decode()
    assert "ASTCT consensus grading" in html


def test_scheduled_article_waits_for_its_time(client, editor):
    later = timezone.now() + timedelta(days=2)

    client.post(
        reverse("admin:articles_article_add"),
        article_form(status="scheduled", published_at=later),
    )
    article = Article.objects.get()
    client.logout()
    declare_hcp(client)

    assert article.state_label == "Scheduled"
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 200


def test_script_typed_by_an_editor_never_reaches_a_reader(client, editor):
    evil = 'Text <script>alert("x")</script> <img src=x onerror="alert(1)"> end'

    client.post(reverse("admin:articles_article_add"), article_form(body=evil))
    client.logout()
    declare_hcp(client)
    html = client.get(Article.objects.get().get_absolute_url()).content.decode()

    assert 'alert("x")' not in html
    assert "onerror" not in html
    assert "Text" in html and "end" in html


def test_invalid_article_rerenders_with_errors_and_saves_nothing(client, editor):
    response = client.post(
        reverse("admin:articles_article_add"), article_form(title="", slug="bad slug!")
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Article.objects.exists()


def test_duplicate_slug_is_a_form_error(client, editor):
    make_article(slug="how-should-crs-be-graded")

    response = client.post(reverse("admin:articles_article_add"), article_form())

    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.content.decode()


def test_same_expert_twice_is_a_form_error(client, editor):
    expert = make_expert()
    data = article_form(
        **{
            "article_experts-TOTAL_FORMS": "2",
            "article_experts-0-expert": expert.pk,
            "article_experts-1-order": "1",
            "article_experts-1-expert": expert.pk,
        }
    )

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not Article.objects.exists()


def test_changelist_filters_search_and_state_column(client, editor):
    sponsor = make_sponsor("Northwind")
    make_article("Live one", sponsor=sponsor, is_demo=True)
    make_article("Future one", age=-timedelta(days=1))
    make_article("Draft one", published=False)
    url = reverse("admin:articles_article_changelist")

    scheduled = client.get(url, {"state": "scheduled"}).content.decode()
    drafts = client.get(url, {"state": "draft"}).content.decode()
    by_sponsor = client.get(url, {"sponsor__id__exact": sponsor.pk}).content.decode()
    searched = client.get(url, {"q": "Live"}).content.decode()

    assert "Future one" in scheduled and "Live one" not in scheduled
    assert "Draft one" in drafts and "Future one" not in drafts
    assert "Live one" in by_sponsor and "Draft one" not in by_sponsor
    assert "Live one" in searched and "Draft one" not in searched
    assert '<td class="field-state">Scheduled</td>' in scheduled
    assert '<td class="field-state">Draft</td>' in drafts


def test_admin_pages_for_every_model_open(client, editor):
    article = make_article(experts=[make_expert()], sponsor=make_sponsor(), topics=[make_topic()])
    for name in ["article", "expert", "topic", "sponsor", "articletype"]:
        assert client.get(reverse(f"admin:articles_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:articles_{name}_add")).status_code == 200
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change.status_code == 200
    view_on_site = reverse(
        "admin:view_on_site", args=[change.context["content_type_id"], article.pk]
    )
    assert f'href="{view_on_site}"' in change.content.decode()


def test_topic_cannot_sit_inside_itself(client, editor):
    parent = make_topic("Parent")
    child = make_topic("Child", parent=parent)

    response = client.post(
        reverse("admin:articles_topic_change", args=[parent.pk]),
        {"name": "Parent", "slug": parent.slug, "parent": child.pk, "order": 0},
    )

    assert response.status_code == 200
    assert "A topic cannot sit inside itself." in response.content.decode()


def test_draft_is_published_from_the_admin_with_the_time_of_publishing(client, editor):
    data = article_form(status="draft")
    data.pop("published_at", None)
    client.post(reverse("admin:articles_article_add"), data)
    article = Article.objects.get()
    assert article.published_at is None
    client.logout()
    declare_hcp(client)
    assert client.get(article.get_absolute_url()).status_code == 404

    client.force_login(editor)
    before = timezone.now()
    unchanged_inlines = {f"{prefix}-TOTAL_FORMS": "0" for prefix in INLINES}
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {**data, **unchanged_inlines, "status": "published"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.published_at >= before
    client.logout()
    declare_hcp(client)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_expert_added_twice_across_editors_is_a_form_error_not_a_crash(client, editor):
    client.post(reverse("admin:articles_article_add"), article_form())
    article = Article.objects.get()
    expert = article.ordered_experts[0]
    data = article_form(**{"article_experts-0-expert": expert.pk})
    data.update({f"{p}-TOTAL_FORMS": "0" for p in INLINES if p != "article_experts"})

    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 200
    assert f"{expert.name} is already listed on this article." in response.content.decode()
