"""The editors' desk in a real browser: log-in, index and dashboard, every change form
whole (axe in the light and the dark, the Nu checker, no console error), the article form
with its live Markdown preview, a new quiz's objectives, and the outcomes report at 1280 px.
Screenshots go to test-results/desk/ for a reviewer to look at."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Bookmark, User
from articles.models import Disclosure, Reference
from hub.models import Page
from newsletter.models import Subscriber
from tests.articles.factories import make_article, make_expert, make_sponsor, make_topic
from tests.browser.test_outcomes import log_in
from tests.quizzes.factories import make_quiz
from tests.tools import ROOT, html_problems

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = ROOT / "test-results" / "desk"
WIDTHS = [1280, 768]


def shoot(page, name):
    page.wait_for_load_state("networkidle")  # nothing (a preview, say) still on its way
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_staff_log_in_is_the_desks_own(live_server, visitor_page, assert_accessible):
    page = visitor_page

    page.goto(live_server.url + reverse("admin:index"))

    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_text("sign up", exact=False)).to_have_count(0)
    assert_accessible(page)
    shoot(page, "login")


def test_index_and_dashboard(live_server, page, make_editor, assert_accessible):
    make_article("A draft on dosing", published=False)
    log_in(page, live_server, make_editor(is_superuser=True))

    page.goto(live_server.url + reverse("admin:index"))

    expect(page.get_by_role("heading", name="Drafts (1)")).to_be_visible()
    expect(page.get_by_role("link", name="A draft on dosing")).to_be_visible()
    for section in ("Content", "Readers", "Outcomes", "Settings", "Technical"):
        expect(page.locator("caption", has_text=section).first).to_be_visible()
    assert_accessible(page)
    shoot(page, "index")


def test_the_article_form_previews_the_body(live_server, page, make_editor):
    article = make_article("Grading CRS", objectives=["Grade CRS"])
    log_in(page, live_server, make_editor(is_superuser=True))

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.wait_for_load_state("networkidle")  # the first preview, before typing sends another
    body = page.locator("textarea[name=body]")
    body.fill("## Fever first\n\nGrade by <script>alert(1)</script> the ASTCT criteria.")

    preview = page.locator("#id_body_preview")
    expect(preview.get_by_role("heading", name="Fever first")).to_be_visible()
    expect(preview).to_contain_text("the ASTCT criteria")
    expect(preview.locator("script")).to_have_count(0)
    expect(
        page.get_by_label("Scheduled: it appears by itself at the publication time")
    ).to_be_visible()
    shoot(page, "article-form")


def test_a_new_quizs_questions_offer_the_chosen_articles_objectives(live_server, page, make_editor):
    article = make_article("Keratopathy", objectives=["Grade keratopathy", "Name the comparator"])
    log_in(page, live_server, make_editor(is_superuser=True))

    page.goto(live_server.url + reverse("admin:quizzes_quiz_add"))
    page.get_by_role("link", name="Add another Question").click()
    objective = page.locator('select[name="questions-0-objective"]')
    expect(objective.locator("option")).to_have_count(1)  # no article chosen yet
    page.get_by_label("Article").select_option(label=article.title)

    expect(objective.locator("option")).to_have_count(3)
    objective.select_option(label="Name the comparator")


def test_the_outcomes_report_fits_1280_pixels(live_server, page, make_editor, assert_accessible):
    from tests.quizzes.outcomes_data import build_known

    quiz, _plan = build_known()
    log_in(page, live_server, make_editor(is_superuser=True))

    page.goto(live_server.url + reverse("admin:quizzes_quiz_results", args=[quiz.pk]))

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for table in page.locator(".outcomes table").all():
        box = table.bounding_box()
        assert box["x"] + box["width"] <= 1280 - 40, table.locator("caption").text_content()
    question = page.locator(".outcomes-questions tbody th[scope=row]").first
    assert question.bounding_box()["width"] >= 180  # not one word per line
    funnel = page.locator(".outcomes-chart svg").first  # bars named by their steps, not 1–3
    expect(funnel).to_contain_text("Took both (matched pairs)")
    assert "100%" in funnel.text_content()
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "outcomes-1280.png", full_page=True)


# Rows added in the browser: ids used twice, and descriptions pointing at no element.
UNIQUE_IDS_AND_DESCRIPTIONS = """() => {
    const seen = new Set(), problems = [];
    for (const element of document.querySelectorAll("[id]")) {
        if (seen.has(element.id)) problems.push("twice: " + element.id);
        seen.add(element.id);
    }
    for (const element of document.querySelectorAll("[aria-describedby]")) {
        if (element.closest(".empty-form")) continue;  // the template rows copy from
        for (const id of element.getAttribute("aria-describedby").split(" ")) {
            if (!document.getElementById(id)) problems.push(element.id + " -> " + id);
        }
    }
    return problems;
}"""


def desk_forms():
    """The forms editors fill in, each with what makes its page full: an article with
    experts, topics (one nested), objectives, references and a sponsor; a quiz with
    questions and choices; an expert with a disclosure; a topic; a site page; a reader
    with interests, their bookmark and a newsletter subscriber; and the article and sponsor
    lists with their filters."""
    myeloma = make_topic("Myeloma")
    make_topic("Relapsed myeloma", parent=myeloma)
    expert = make_expert("Dr Grace Okafor")
    Disclosure.objects.create(person=expert, disclosed_on="2026-01-05", nothing_to_disclose=True)
    article = make_article(
        "Grading CRS",
        objectives=["Grade CRS", "Treat fever"],
        experts=[expert],
        topics=[myeloma],
        sponsor=make_sponsor("Acme Pharma"),
    )
    Reference.objects.create(article=article, order=1, title="ASTCT consensus grading")
    quiz = make_quiz(make_article("Keratopathy", objectives=["Grade keratopathy"]))
    make_article("An article without a quiz")
    site_page = Page.objects.create(title="About the Hub", slug="about-the-hub", body="Who we are.")
    reader = User.objects.create_user("reader@example.org", full_name="Dr Ana Reader")
    reader.interests.add(myeloma)
    bookmark = Bookmark.objects.create(user=reader, article=article)
    subscriber = Subscriber.objects.create(email="news@example.org")
    subscriber.interests.add(myeloma)
    return {
        "article-add": reverse("admin:articles_article_add"),
        "article-change": reverse("admin:articles_article_change", args=[article.pk]),
        "quiz-add": reverse("admin:quizzes_quiz_add"),
        "quiz-change": reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        "expert-change": reverse("admin:articles_expert_change", args=[expert.pk]),
        "topic-change": reverse("admin:articles_topic_change", args=[myeloma.pk]),
        "page-change": reverse("admin:hub_page_change", args=[site_page.pk]),
        "brand-add": reverse("admin:brand_brand_add"),
        "sponsor-list": reverse("admin:articles_sponsor_changelist"),
        "article-list": reverse("admin:articles_article_changelist"),
        "reader-change": reverse("admin:accounts_user_change", args=[reader.pk]),
        "bookmark-view": reverse("admin:accounts_bookmark_change", args=[bookmark.pk]),
        "subscriber-change": reverse("admin:newsletter_subscriber_change", args=[subscriber.pk]),
    }


def test_the_desks_forms_pass_axe_and_the_nu_checker(
    live_server, page, make_editor, assert_accessible
):
    forms = desk_forms()
    log_in(page, live_server, make_editor(is_superuser=True))
    documents = {}

    for name, url in forms.items():
        response = page.goto(live_server.url + url)
        documents[name] = response.text()
        if name == "quiz-add":  # a question with its choices, as the editor adds one
            page.get_by_label("Article").select_option(label="An article without a quiz")
            page.get_by_role("link", name="Add another Question").click()
            expect(page.locator('select[name="questions-0-objective"]')).to_be_visible()
            assert page.evaluate(UNIQUE_IDS_AND_DESCRIPTIONS) == []
        assert_accessible(page)  # the whole page, light and dark
        shoot(page, name)

    problems = html_problems(documents)
    assert not problems, "\n".join(problems)
    # No console error on any of them (the page fixture): no inline style refused.


def test_a_chosen_picture_survives_a_form_error(live_server, page, make_editor, assert_accessible):
    from articles.models import Article
    from tests.articles.factories import image_upload, make_type

    make_type("Article")
    make_topic("Myeloma")
    log_in(page, live_server, make_editor(is_superuser=True))
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    # SQLite under the test server takes one request at a time (a preview fetched while
    # the form is sent would fail), so each step waits for the page to be quiet.
    page.wait_for_load_state("networkidle")
    picture = image_upload("lead.jpg")
    page.locator('input[name="lead_image"]').set_input_files(
        {"name": "lead.jpg", "mimeType": "image/jpeg", "buffer": picture.read()}
    )
    page.get_by_label("Lead image description (alt text)").fill("Cells under a microscope")
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.get_by_text("Kept: lead.jpg (choose another to replace it)")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    shoot(page, "article-kept-upload")
    page.locator("#id_title").fill("Grading CRS")  # the slug follows it
    page.locator("#id_article_type").select_option(label="Article")
    page.locator("#id_summary").fill("How to grade it.")
    page.get_by_label("Draft: only editors can see it").check()
    page.get_by_label("Myeloma").check()
    page.locator("textarea[name=body]").fill("Fever first.")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Article.objects.get().lead_image.name.endswith(".jpg")
