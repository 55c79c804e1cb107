"""Layout at phone, tablet and desktop widths: no text over other text, nothing wider
than the screen. Screenshots of every page and width are written to
test-results/screenshots/ for a reviewer to look at."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from articles.models import Article, Topic
from demo.loader import load_demo
from quizzes.models import Quiz
from tests.articles.factories import make_article
from tests.tools import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [390, 768, 1280]
SCREENSHOTS = ROOT / "test-results" / "screenshots"

# Every visible piece of text, as the boxes it occupies; pairs that cross by more than
# a sliver (fonts' boxes may touch across lines) are overlaps.
OVERLAPS = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    const unseen = ".visually-hidden, .skip-link, [hidden], script, style, noscript, option";
    if (element.closest(unseen)) continue;
    // A closed disclosure's content still reports boxes, where nobody sees it.
    const folded = element.closest("details:not([open])");
    if (folded && !element.closest("summary")) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.opacity === "0") continue;
    // Inside a closed disclosure (the header's menu on a phone): laid out, never seen.
    if (!element.checkVisibility()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      boxes.push({x: r.left, y: r.top + window.scrollY, w: r.width, h: r.height,
                  text: node.textContent.trim().slice(0, 40)});
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const across = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const down = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (across > 3 && down > 3) found.push(`${a.text} / ${b.text}`);
    }
  }
  return found;
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def demo(live_server, make_user, password):
    """The demo content, and a reader with interests, a bookmark and a finished quiz."""
    load_demo(pictures=True)
    reader = make_user("layout.reader@example.com", full_name="Dr Layout Reader")
    reader.interests.set(Topic.objects.filter(parent__isnull=True)[:2])
    quiz = Quiz.objects.live().first()
    return {"reader": reader, "password": password, "quiz": quiz}


def video_interview(pictured):
    """A hosted video interview whose poster is another article's picture."""
    return make_article(
        "A video interview on sequencing BCMA-directed therapy",
        question="How do you sequence therapies?",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_duration=timedelta(minutes=12, seconds=34),
        transcript="**Interviewer:** How?",
        lead_image=pictured.lead_image.name,
        lead_image_decorative=True,
    )


def check(page, name, dark=False):
    """Problems at each width, with the header's menu closed; `dark`: screenshots in the
    dark colour scheme too."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        if dark:
            page.emulate_media(color_scheme="dark")
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-dark.png"), full_page=True)
            page.emulate_media(color_scheme="light")
        header = page.locator(".site-header").bounding_box()["height"]
        if width < 1024 and header > 80:
            problems.append(f"{name} at {width}px: the closed header is {header}px tall")
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"{name} at {width}px: {overflow}px wider than the screen")
        problems += [f"{name} at {width}px: {pair}" for pair in page.evaluate(OVERLAPS)]
    return problems


def log_in(page, url, reader, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account")).to_be_visible()


def take_quiz(page, url, quiz, stage):
    page.goto(f"{url}/quizzes/{quiz.pk}/{stage}/")
    for group in page.locator("fieldset").all():
        group.locator("input").first.check()
    page.get_by_role("button", name="Submit answers").click()


def test_pages_have_no_overlapping_text_and_fit_the_screen(
    live_server, page, demo, assert_accessible
):
    url = live_server.url
    article = Article.objects.published().filter(quiz__isnull=False).first()
    problems = []

    page.goto(url + "/")
    problems += check(page, "home-visitor", dark=True)
    page.goto(url + article.get_absolute_url())
    problems += check(page, "article-visitor", dark=True)
    page.goto(url + "/search/?q=myeloma")
    problems += check(page, "search", dark=True)
    page.goto(url + article.ordered_experts[0].get_absolute_url())
    problems += check(page, "expert")
    pictured = Article.objects.published().exclude(lead_image="").first()
    page.goto(url + pictured.get_absolute_url())
    problems += check(page, "article-pictured")
    page.goto(url + video_interview(pictured).get_absolute_url())
    problems += check(page, "video")

    log_in(page, url, demo["reader"], demo["password"])
    page.goto(url + "/")
    problems += check(page, "home-reader", dark=True)
    take_quiz(page, url, demo["quiz"], "before")
    page.goto(url + demo["quiz"].article.get_absolute_url())
    problems += check(page, "article-reader-pretest")
    assert_accessible(page)
    take_quiz(page, url, demo["quiz"], "after")
    problems += check(page, "quiz-result")
    page.goto(url + "/accounts/")
    problems += check(page, "account")

    assert problems == [], "\n".join(problems)


def test_continuing_education_pages_fit_the_screen_and_are_accessible(
    live_server, page, demo, assert_accessible
):
    """Disclosures at the quiz's start, the evaluation, the certificate and its public
    check, and the pages a follow-up email leads to."""
    from django.utils import timezone

    from quizzes import follow_ups
    from quizzes.models import Certificate, Commitment

    url, quiz = live_server.url, Quiz.objects.live().filter(article__is_cme=True).first()
    problems = []
    log_in(page, url, demo["reader"], demo["password"])

    page.goto(f"{url}/quizzes/{quiz.pk}/before/")
    expect(page.get_by_role("heading", name="Accreditation and disclosures")).to_be_visible()
    problems += check(page, "quiz-start-disclosures", dark=True)
    assert_accessible(page)
    take_quiz(page, url, quiz, "before")
    page.goto(f"{url}/quizzes/{quiz.pk}/after/")
    for group in page.locator("fieldset").all():
        group.locator("input").first.check()
    page.get_by_label("What will you change in your practice? (optional)").fill(
        "Ask every patient starting a BCMA-directed therapy for an eye examination."
    )
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="Complete the activity")).to_be_visible()

    page.get_by_role("link", name="Evaluate this activity").click()
    page.get_by_role("button", name="Send my evaluation").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check your answers.")
    problems += check(page, "evaluation-errors")
    assert_accessible(page)
    for group in page.locator("fieldset").all():
        group.locator("input").first.check()
    page.get_by_role("button", name="Send my evaluation").click()
    expect(page.get_by_text("Thank you for evaluating this activity.")).to_be_visible()
    problems += check(page, "quiz-result-evaluated")

    page.get_by_role("link", name="Your certificate").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Certificate")
    problems += check(page, "certificate", dark=True)
    assert_accessible(page)

    code = Certificate.objects.get(user=demo["reader"]).code
    page.goto(f"{url}/quizzes/certificates/{code}/")
    expect(page.locator(".message--success")).to_contain_text("is valid")
    problems += check(page, "certificate-verified")
    assert_accessible(page)

    commitment = Commitment.objects.get(user=demo["reader"])
    Commitment.objects.filter(pk=commitment.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    follow_ups.queue_due()
    answer = commitment.follow_ups.get()
    link = follow_ups.answer_url(answer)
    page.goto(url + link[link.index("/quizzes/") :])
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    problems += check(page, "follow-up-form", dark=True)
    assert_accessible(page)
    page.get_by_label("Partly").check()
    page.get_by_label("Lack of time").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded")).to_be_visible()
    stop = follow_ups.stop_url(commitment)
    page.goto(url + stop[stop.index("/quizzes/") :])
    problems += check(page, "stop-follow-ups")
    assert_accessible(page)

    assert problems == [], "\n".join(problems)


def test_the_check_sees_overlapping_text(live_server, page):
    page.goto(live_server.url + "/healthz")
    page.set_content(
        '<p style="position:absolute;top:10px">Over here</p>'
        '<p style="position:absolute;top:12px">Over there</p>'
        '<div style="width:2000px">wide</div>'
    )

    assert page.evaluate(OVERLAPS) == ["Over here / Over there"]
    assert page.evaluate(OVERFLOW) > 0


# Where the side column is against the text, after scrolling to the middle of the page.
COLUMNS = """() => {
  const aside = document.querySelector(".article-aside").getBoundingClientRect();
  const main = document.querySelector(".article__main").getBoundingClientRect();
  return {asideLeft: aside.left, asideTop: aside.top, asideBottom: aside.bottom,
          mainRight: main.right, mainTop: main.top, mainBottom: main.bottom,
          viewport: window.innerHeight};
}"""


def test_the_side_column_sits_beside_the_text_and_stays_in_view(
    live_server, page, demo, assert_accessible
):
    article = Article.objects.published().filter(quiz__isnull=False).first()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())

    page.evaluate("window.scrollTo(0, document.querySelector('.article__main').offsetHeight / 2)")
    wide = page.evaluate(COLUMNS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "article-scrolled-1280.png"))

    assert wide["asideLeft"] >= wide["mainRight"], "beside the text, not under it"
    assert wide["mainTop"] < 0, "the page did scroll"
    assert 0 <= wide["asideTop"] < 100 and wide["asideBottom"] <= wide["viewport"]
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    expect(page.locator(".contents--disclosure")).to_be_hidden()
    # The section being read is marked in the contents.
    expect(page.locator('.contents--column a[aria-current="location"]')).to_have_count(1)
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    narrow = page.evaluate(COLUMNS)

    assert narrow["asideBottom"] <= narrow["mainTop"], "one column: the tools come first"
    expect(page.locator(".contents--column")).to_be_hidden()
    page.locator(".contents--disclosure summary").click()
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    assert_accessible(page)
