"""A reader takes a quiz before reading, reads, takes it again and sees what they learned."""

import pytest
from playwright.sync_api import expect

from tests.articles.factories import make_article
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db(transaction=True)


def test_quiz_before_and_after_reading(live_server, page, make_user, password, assert_accessible):
    article = make_article(
        "Belantamab in relapse",
        body="DREAMM-7 compared BVd with DVd [1].",
        references=[{"authors": "Hungria V, et al.", "title": "DREAMM-7"}],
    )
    quiz = make_quiz(article)
    reader = make_user("quiz.taker@example.com")

    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Take the quiz before reading").click()
    # Sent to log in, then brought back to the quiz.
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    assert_accessible(page)

    # Nothing selected: a clear message, nothing stored.
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Please answer every question.")
    assert_accessible(page)

    page.get_by_label("DREAMM-8").check()
    page.get_by_label("Ide-cel").check()
    page.get_by_label("Keratopathy").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator(".score")).to_have_text("Your answers before reading are saved.")
    assert_accessible(page)

    page.get_by_role("link", name="Read “Belantamab in relapse”").click()
    expect(page.get_by_text("You took the quiz before reading.")).to_be_visible()
    page.get_by_role("link", name="Take the quiz after reading").click()
    page.get_by_label("DREAMM-7").check()
    page.get_by_label("Ide-cel").check()
    page.get_by_label("Teclistamab").check()
    page.get_by_label("Keratopathy").check()
    page.get_by_role("button", name="Submit answers").click()

    scores = page.locator(".score-table tbody td")
    expect(scores).to_have_text(["1 of 3", "3 of 3", "+2"])
    expect(page.get_by_text("Because of Which trial compared BVd with DVd?")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/quizzes/history/")
    expect(page.get_by_role("link", name=quiz.title)).to_be_visible()
    assert_accessible(page)
