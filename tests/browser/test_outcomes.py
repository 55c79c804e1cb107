"""The editors' outcomes pages and the reader's certificate pass axe in a real browser."""

import os

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.articles.factories import make_topic
from tests.conftest import Client
from tests.quizzes.outcomes_data import build_known

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("HUB_SCREENSHOTS")  # a folder for screenshots to look at, if set


def log_in(page, live_server, user):
    """Reuse a Django test client's session in the browser (two-factor is set up)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_outcomes_pages_are_accessible(live_server, page, make_editor, assert_accessible):
    import uuid

    from quizzes.models import Evaluation

    quiz, _plan = build_known()
    topic = make_topic("Outcomes")
    quiz.article.topics.add(topic)
    for n, profession in enumerate(["physician"] * 6 + ["nurse"] * 5 + ["pharmacist"] * 2):
        Evaluation.objects.create(
            quiz=quiz, participant=uuid.uuid4(), profession=profession, relevance=1 + n % 5,
            objectives_met=4, faculty_quality=5, free_of_bias=n != 3,
            bias_comment="One brand only." if n == 3 else "", would_recommend=True,
        )  # fmt: skip
    log_in(page, live_server, make_editor(is_superuser=True))
    results = live_server.url + reverse("admin:quizzes_quiz_results", args=[quiz.pk])

    page.goto(results)
    expect(page.get_by_role("heading", name="All readers (60 readers)")).to_be_visible()
    expect(
        page.get_by_role(
            "table",
            name="Readers who took the quiz (the chart above, as numbers); each reader counts once",
        )
    ).to_be_visible()
    expect(
        page.get_by_role(
            "table",
            name="What funders compare, with each figure's level in Moore's outcomes framework",
        )
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="Evaluation of the activity (Moore level 2)")
    ).to_be_visible()
    assert_accessible(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/outcomes-{width}.png")
        if width == 1280:  # the report fits a laptop: nothing scrolls sideways
            wide = page.evaluate(
                "[...document.querySelectorAll('#content-main *')].filter(e =>"
                " e.getBoundingClientRect().right > 1280).slice(0, 3).map(e =>"
                " e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280, wide
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Break down by").select_option("profession")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Profession: Medical student or trainee")).to_be_visible()
    page.get_by_text("Q1. Known question 1?").first.click()  # a distractor table opens
    assert_accessible(page)

    for url in (
        reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug]),
        reverse("admin:quizzes_quiz_topics"),
        reverse("admin:quizzes_quiz_preview", args=[quiz.pk]),
    ):
        page.goto(live_server.url + url)
        assert_accessible(page)


def test_the_record_of_completion_leads_to_an_accessible_certificate(
    live_server, page, make_user, assert_accessible
):
    from tests.quizzes.factories import make_quiz
    from tests.quizzes.outcomes_data import Reader, take_planned

    quiz = make_quiz()
    reader = make_user("recorded@example.com", full_name="Dr Recorded")
    take_planned(quiz, reader, Reader("physician", "haematology", "GB", [1, 1, 0], [0, 0, 0]))
    log_in(page, live_server, reader)

    page.goto(live_server.url + reverse("quizzes:record", args=[quiz.pk]))

    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of completion")
    expect(page.get_by_role("button", name="Print this certificate")).to_be_visible()
    expect(page.get_by_text("Dr Recorded")).to_be_visible()
    assert_accessible(page)
