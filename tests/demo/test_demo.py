"""`make run` loads original demo content, idempotently, marked as demo."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Expert, Sponsor, Topic
from articles.rendering import CITATION
from demo.loader import load_demo
from hubs.models import Hub
from tests.conftest import Client, declare_hcp

pytestmark = pytest.mark.django_db

INTERVIEW = "rationale-targeted-therapies-early-relapsed-myeloma"


def test_demo_content_meets_the_brief():
    load_demo()

    articles = Article.objects.published()
    assert articles.count() >= 8
    assert Topic.objects.filter(articles__in=articles).distinct().count() >= 5
    assert Expert.objects.count() >= 4
    assert Sponsor.objects.count() >= 3
    assert not Article.objects.filter(is_demo=False).exists()
    assert not Expert.objects.filter(is_demo=False).exists()


def test_demo_interview_on_early_relapsed_myeloma(client):
    load_demo()
    interview = Article.objects.get(slug=INTERVIEW)

    html = client.get(interview.get_absolute_url()).content.decode()

    assert interview.article_type.slug == "interview"
    assert interview.title == (
        "What is the rationale for treating early relapsed myeloma with targeted therapies?"
    )
    for trial in ("NCT04246047", "NCT04484623"):
        assert f'href="https://clinicaltrials.gov/study/{trial}">{trial}</a>' in html
    for words in ("CAR T", "bispecific", "antibody–drug conjugate"):
        assert words.lower() in html.lower()
    assert "Demo content" in html


def test_every_demo_citation_resolves_to_a_reference():
    load_demo()

    for article in Article.objects.all():
        written = len(CITATION.findall(article.body + article.transcript))
        linked = (article.body_html + article.transcript_html).count('class="citation"')
        assert linked == written > 0, article.slug


def test_loading_twice_changes_nothing():
    first = load_demo()
    snapshot = list(Article.objects.values_list("slug", "updated_at"))

    second = load_demo()

    assert first["articles"] >= 8
    assert set(second.values()) == {0}
    assert list(Article.objects.values_list("slug", "updated_at")) == snapshot


def test_loading_again_keeps_an_editors_changes():
    load_demo()
    Article.objects.filter(slug=INTERVIEW).update(title="Edited by an editor")

    call_command("load_demo")

    assert Article.objects.get(slug=INTERVIEW).title == "Edited by an editor"


def test_every_demo_page_renders(client):
    load_demo()

    for article in Article.objects.all():
        assert client.get(article.get_absolute_url()).status_code == 200
    for url in [t.get_absolute_url() for t in Topic.objects.all()] + [
        e.get_absolute_url() for e in Expert.objects.all()
    ]:
        assert client.get(url).status_code == 200


def test_demo_quizzes_are_sound_and_on_at_least_four_articles():
    from quizzes.models import Quiz

    load_demo()

    quizzes = Quiz.objects.live().prefetch_related("questions__choices")
    assert quizzes.count() >= 4
    for quiz in quizzes:
        assert 3 <= quiz.questions.count() <= 5, quiz.title
        for question in quiz.questions.all():
            choices = list(question.choices.all())
            correct = sum(c.is_correct for c in choices)
            assert len(choices) >= 2 and correct >= 1, question.text
            if question.kind == "single":
                assert correct == 1, question.text
    assert Quiz.objects.filter(article__slug=INTERVIEW).exists()


def test_every_demo_question_tests_one_of_its_articles_objectives():
    from quizzes.models import Question

    load_demo()

    questions = Question.objects.select_related("quiz", "objective")
    assert questions.count() >= 20
    for question in questions:
        assert question.objective is not None, question.text
        assert question.objective.article_id == question.quiz.article_id


def test_loading_again_ties_an_older_demo_quiz_to_its_objectives():
    from quizzes.models import Question

    load_demo()
    Question.objects.update(objective=None)

    load_demo()

    assert not Question.objects.filter(objective__isnull=True).exists()


def test_the_demo_brand_is_our_own_marked_demo_and_kept_once_edited(settings, tmp_path):
    from PIL import Image

    from brand.logos import clean_svg
    from brand.models import Brand

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    brand = Brand.objects.get()

    assert brand.is_demo and brand.name == "Haematology Hub" and brand.tagline
    assert clean_svg(brand.logo.read())  # our logo passes the checks editors' logos do
    assert (brand.logo_width, brand.logo_height) == (48, 48)
    with Image.open(brand.social_image) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))

    Brand.objects.update(name="Edited by an editor")
    load_demo()
    assert Brand.objects.get().name == "Edited by an editor"


def test_demo_pictures_are_our_own_drawings_small_and_described(client):
    from django.core.files.storage import default_storage

    from articles import images

    load_demo(pictures=True)

    pictured = Article.objects.exclude(lead_image="")
    assert 0 < pictured.count() < Article.objects.count()  # some show the pattern instead
    assert all(a.lead_image_decorative and a.is_demo for a in pictured)
    portraits = Expert.objects.exclude(photo="")
    assert 0 < portraits.count() < Expert.objects.count()  # some show initials instead
    assert all("fictional" in e.photo_alt for e in portraits)

    # What a phone downloads for the lead image stays small.
    article = pictured.first()
    phone = images.rendition_name(article.lead_image.name, images.LEAD, 480, "WEBP")
    assert default_storage.size(phone) < 30_000
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'fetchpriority="high"' in html

    # Loading again draws nothing new.
    assert load_demo(pictures=True)["pictures"] == 0


def test_demo_cme_activities_have_every_disclosure_marked_demo(client):
    from articles.models import Disclosure
    from articles.models.article import people_without_disclosure

    load_demo()

    activities = Article.objects.filter(is_cme=True)
    assert activities.count() >= 4
    for article in activities:
        assert people_without_disclosure(article.people_in_control()) == []
        article.full_clean()  # may be published as CME
    assert not Disclosure.objects.filter(is_demo=False).exists()
    assert Disclosure.objects.filter(nothing_to_disclose=False).exists()
    html = client.get(Article.objects.get(slug=INTERVIEW).get_absolute_url()).content.decode()
    assert "Accreditation and disclosures" in html and "(fictional)" in html
    assert "Demo disclosure" in html and "Reviewer" in html


@pytest.mark.parametrize(
    ("kind", "slug", "speaker"),
    [
        ("video", "bispecific-step-up-dosing-first-week-video", "Ms Okafor:"),
        ("podcast", "first-month-after-car-t-infusion-podcast", "Dr Raman:"),
    ],
)
def test_the_videos_and_podcasts_filters_list_the_demo_recordings(client, kind, slug, speaker):
    """The demo has a video interview and a podcast, each with its transcript and no
    recording fetched from anywhere: the Videos and Podcasts filters are not empty."""
    load_demo()
    declare_hcp(client)

    listing = client.get(reverse("articles:list"), {"type": kind}).content.decode()
    article = Article.objects.get(slug=slug)
    assert article.is_demo and article.article_type.slug == kind and not article.video_url
    assert f'href="{article.get_absolute_url()}"' in listing
    assert "No articles yet" not in listing

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Read the transcript" in page and f"<strong>{speaker}</strong>" in page
    assert "Demo content" in page


def test_the_demo_is_two_hubs_sharing_an_expert_and_an_article():
    """`make run` serves the first hub on 127.0.0.1 (and localhost) and the lymphoma hub
    on lymphoma.localhost, on whatever port it runs."""
    load_demo(hubs=True)

    def get(host, path):
        response = declare_hcp(Client(HTTP_HOST=host)).get(path)
        return response.status_code, response.content.decode()

    first, lymphoma = "127.0.0.1:8123", "lymphoma.localhost:8123"
    _, first_home = get(first, "/")
    _, lymphoma_home = get(lymphoma, "/")
    assert "<title>Haematology Hub" in first_home and "<title>Lymphoma Hub" in lymphoma_home
    shared = Article.objects.get(slug="crs-icans-essentials-haematology-teams")
    own = Article.objects.get(slug="second-line-car-t-large-b-cell-lymphoma")
    myeloma_only = Article.objects.get(slug="quadruplet-induction-newly-diagnosed-myeloma")
    assert get(lymphoma, shared.get_absolute_url())[0] == 200
    assert get(first, shared.get_absolute_url())[0] == 200
    assert get(lymphoma, own.get_absolute_url())[0] == 200
    assert get(first, own.get_absolute_url())[0] == 404
    assert get(lymphoma, myeloma_only.get_absolute_url())[0] == 404
    hannah = Expert.objects.get(slug="hannah-okafor")
    assert get(lymphoma, hannah.get_absolute_url())[0] == 200
    assert get("localhost:8123", "/topics/")[0] == 301
    assert get("elsewhere.localhost:8123", "/")[0] == 404
    load_demo(hubs=True)  # twice: nothing more
    assert Hub.objects.count() == 2
