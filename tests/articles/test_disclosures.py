"""ACCME Standard 3: everyone in control of a CME activity's content discloses, editors
record who entered it and when, and readers see it before the activity."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ContentRole, Disclosure, FinancialRelationship
from tests.articles.factories import make_article, make_expert
from tests.articles.test_admin import article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, make_editor):
    user = make_editor(is_superuser=True)
    client.force_login(user)
    return user


def disclose(person, *relationships, mitigation="", **fields):
    disclosure = Disclosure.objects.create(
        person=person,
        disclosed_on=fields.pop("disclosed_on", date(2025, 3, 1)),
        nothing_to_disclose=not relationships,
        mitigation=mitigation,
        **fields,
    )
    for company, nature in relationships:
        FinancialRelationship.objects.create(disclosure=disclosure, company=company, nature=nature)
    return disclosure


def cme_article(**fields):
    return make_article(is_cme=True, published=False, **fields)


# The rule, on the model


def test_a_cme_activity_cannot_be_published_with_an_undisclosed_expert():
    expert = make_expert("Dr Undisclosed")
    article = cme_article(experts=[expert])
    article.status = Article.Status.PUBLISHED

    with pytest.raises(ValidationError, match="Dr Undisclosed"):
        article.full_clean()

    disclose(expert)
    article.full_clean()  # now it may


def test_planners_and_reviewers_must_disclose_too():
    expert, reviewer = make_expert(), make_expert("Dr Reviewer")
    disclose(expert)
    article = cme_article(experts=[expert])
    ContentRole.objects.create(article=article, person=reviewer, role="reviewer")
    article.status = Article.Status.PUBLISHED

    with pytest.raises(ValidationError, match="Dr Reviewer"):
        article.full_clean()


def test_an_article_that_is_not_cme_or_a_draft_needs_no_disclosure():
    expert = make_expert()
    make_article(experts=[expert]).full_clean()  # published, not CME
    cme_article(experts=[expert]).full_clean()  # CME, draft


def test_a_disclosure_with_relationships_says_how_they_were_mitigated():
    with pytest.raises(IntegrityError):
        Disclosure.objects.create(person=make_expert(), disclosed_on=date(2025, 1, 1))


def test_credit_needs_its_type_amount_and_statement():
    with pytest.raises(IntegrityError):
        make_article(is_cme=True, carries_credit=True, credit_type="CPD credits")


# The editors' desk


def test_admin_refuses_to_publish_a_cme_activity_with_an_undisclosed_expert(client, editor):
    form = article_form(is_cme="on")
    response = client.post(reverse("admin:articles_article_add"), form)

    assert response.status_code == 200
    assert "no disclosure on file: Dr Grace Okafor" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_publishes_it_once_everyone_has_disclosed(client, editor):
    form = article_form(is_cme="on")
    disclose(Article._meta.get_field("experts").related_model.objects.get(name="Dr Grace Okafor"))
    reviewer = make_expert("Dr Ravi Menon")
    form.update(
        {
            "content_roles-TOTAL_FORMS": "1",
            "content_roles-0-person": reviewer.pk,
            "content_roles-0-role": "reviewer",
        }
    )

    response = client.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 200
    assert "no disclosure on file: Dr Ravi Menon" in response.content.decode()

    disclose(reviewer)
    response = client.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 302
    assert Article.objects.get().content_roles.get().person == reviewer


def test_removing_the_undisclosed_expert_while_publishing_is_allowed(client, editor):
    """The inlines judge the people as the editor leaves them, not as they were saved."""
    undisclosed, disclosed = make_expert("Dr Gone"), make_expert("Dr Stays")
    disclose(disclosed)
    article = cme_article(experts=[undisclosed, disclosed])
    roles = list(article.article_experts.all())
    form = article_form(is_cme="on", slug=article.slug, title=article.title)
    form.update(
        {
            "article_experts-TOTAL_FORMS": "2",
            "article_experts-INITIAL_FORMS": "2",
            "article_experts-0-id": roles[0].pk,
            "article_experts-0-order": "0",
            "article_experts-0-expert": undisclosed.pk,
            "article_experts-0-DELETE": "on",
            "article_experts-1-id": roles[1].pk,
            "article_experts-1-order": "1",
            "article_experts-1-expert": disclosed.pk,
        }
    )

    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.ordered_experts == [disclosed]


def disclosure_form(person, **overrides):
    data = {
        "person": person.pk,
        "disclosed_on": "2025-04-02",
        "mitigation": "Content peer reviewed by a reviewer with no relevant relationships.",
        "relationships-TOTAL_FORMS": "1",
        "relationships-INITIAL_FORMS": "0",
        "relationships-0-company": "Examplar Pharma",
        "relationships-0-nature": "advisor",
    }
    data.update(overrides)
    return data


def test_editor_records_a_disclosure_with_who_and_when(client, editor):
    person = make_expert()
    before = timezone.now()

    response = client.post(reverse("admin:articles_disclosure_add"), disclosure_form(person))

    assert response.status_code == 302, response.content.decode()[:2000]
    disclosure = Disclosure.objects.get()
    assert disclosure.recorded_by == editor
    assert disclosure.recorded_at >= before
    assert disclosure.relationships.get().company == "Examplar Pharma"
    page = client.get(reverse("admin:articles_expert_change", args=[person.pk])).content.decode()
    assert "2 April 2025" in page or "April 2, 2025" in page or "Apr. 2, 2025" in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"nothing_to_disclose": "on", "mitigation": ""}, "untick it, or remove"),
        ({"relationships-TOTAL_FORMS": "0"}, "List each financial relationship"),
        ({"mitigation": ""}, "Say how the relationships were mitigated"),
    ],
)
def test_a_disclosure_that_contradicts_itself_is_refused(client, editor, overrides, error):
    response = client.post(
        reverse("admin:articles_disclosure_add"), disclosure_form(make_expert(), **overrides)
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Disclosure.objects.exists()


# What readers see


def test_article_page_shows_disclosures_and_credit_before_the_body(client):
    expert, planner = make_expert("Dr Amelia Hart"), make_expert("Dr Planner")
    disclose(expert)
    disclose(
        planner,
        ("Examplar Pharma", "consultant"),
        mitigation="Reviewed by an independent reviewer.",
    )
    article = make_article(
        experts=[expert],
        is_cme=True,
        carries_credit=True,
        credit_type="CPD credits",
        credit_amount="0.5",
        accreditation_statement="Accredited by the Example Council.",
        body="The body starts here.",
    )
    ContentRole.objects.create(article=article, person=planner, role="planner")

    html = client.get(article.get_absolute_url()).content.decode()

    section = html[html.index('id="disclosures-title"') : html.index("The body starts here.")]
    assert "Credit: 0.5 CPD credits" in section
    assert "Accredited by the Example Council." in section
    assert "Dr Amelia Hart" in section
    assert "No relevant financial relationships with ineligible companies" in section
    assert "Examplar Pharma: Consultant" in section
    assert "Reviewed by an independent reviewer." in section
    assert "Planner" in section


def test_an_activity_not_certified_for_credit_says_so(client):
    expert = make_expert()
    disclose(expert)
    article = make_article(experts=[expert], is_cme=True)

    assert "not certified for credit" in client.get(article.get_absolute_url()).content.decode()


def test_expert_page_shows_the_latest_disclosure(client):
    expert = make_expert()
    disclose(expert, ("Old Pharma", "speaker"), mitigation="Old.", disclosed_on=date(2023, 1, 1))
    disclose(expert, disclosed_on=date(2025, 1, 1))

    html = client.get(expert.get_absolute_url()).content.decode()

    assert "No relevant financial relationships" in html
    assert "Old Pharma" not in html


def test_article_page_queries_do_not_grow_with_disclosures(client, django_assert_max_num_queries):
    experts = [make_expert() for _ in range(4)]
    for expert in experts:
        disclose(expert, ("A Pharma", "speaker"), ("B Pharma", "advisor"), mitigation="Reviewed.")
    article = make_article(experts=experts, is_cme=True)
    client.get(article.get_absolute_url())  # warm anything kept per process

    # As many as without disclosures (test_article_page), and their relationships.
    with django_assert_max_num_queries(13):
        response = client.get(article.get_absolute_url() + "?")
    assert response.content.decode().count("A Pharma") == 4


def test_a_new_disclosure_purges_the_kept_pages_that_show_it(django_capture_on_commit_callbacks):
    from pagecache import purge
    from pagecache.middleware import CACHE_HEADER
    from tests.pagecache.through_wsgi import Browser

    expert = make_expert("Dr Kept")
    article = make_article(experts=[expert])
    purge.forget_pending()
    for path in (article.get_absolute_url(), expert.get_absolute_url()):
        Browser().get(path)

    with django_capture_on_commit_callbacks(execute=True):
        disclose(expert)

    for path in (article.get_absolute_url(), expert.get_absolute_url()):
        page = Browser().get(path)
        assert page[CACHE_HEADER] == "miss"
        assert "No relevant financial relationships" in page.text()


def test_the_only_disclosure_of_someone_shaping_a_published_activity_stays(client, editor):
    expert = make_expert()
    disclosure = disclose(expert)
    make_article(experts=[expert], is_cme=True)
    url = reverse("admin:articles_disclosure_delete", args=[disclosure.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Disclosure.objects.filter(pk=disclosure.pk).exists()

    newer = disclose(expert, disclosed_on=date(2026, 1, 1))
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert list(expert.disclosures.all()) == [newer]
