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
from tests.browser.conftest import COLOUR_SCHEMES
from tests.tools import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [390, 768, 1280]
SCREENSHOTS = ROOT / "test-results" / "screenshots"

# Every visible piece of text, as the boxes it occupies, cut to what the boxes that clip
# it show (a summary clamped to three lines hides the rest); pairs from different pieces
# that cross by more than a sliver are overlaps (the lines of one piece of text may touch:
# a tightly set headline's glyph boxes are taller than its lines).
OVERLAPS = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    const unseen = ".visually-hidden, .skip-link, [hidden], script, style, noscript, option";
    if (element.closest(unseen)) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.opacity === "0") continue;
    // Inside a closed disclosure (the header's menu on a phone): laid out, never seen;
    // the same disclosure's content shown in the row on wide screens is seen.
    if (!element.checkVisibility()) continue;
    const clips = [];
    for (let up = element; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflow !== "visible") clips.push(up.getBoundingClientRect());
    }
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const whole of range.getClientRects()) {
      let [left, top, right, bottom] = [whole.left, whole.top, whole.right, whole.bottom];
      for (const c of clips) {
        [left, top] = [Math.max(left, c.left), Math.max(top, c.top)];
        [right, bottom] = [Math.min(right, c.right), Math.min(bottom, c.bottom)];
      }
      if (right - left < 1 || bottom - top < 1) continue;
      boxes.push({x: left, y: top + window.scrollY, w: right - left, h: bottom - top,
                  node, text: node.textContent.trim().slice(0, 40)});
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.node === b.node) continue;
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
    expect(page.get_by_role("heading", name="For you", exact=True)).to_be_visible()
    assert_accessible(page)  # "For you", in both colour schemes
    take_quiz(page, url, demo["quiz"], "before")
    page.goto(url + demo["quiz"].article.get_absolute_url())
    problems += check(page, "article-reader-pretest")
    assert_accessible(page)
    take_quiz(page, url, demo["quiz"], "after")
    problems += check(page, "quiz-result")
    page.set_viewport_size({"width": 390, "height": 900})  # the answers as rows
    expect(page.locator(".choice-rows").first).to_be_visible()
    assert_accessible(page)
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

    # Text a clipping box hides (a clamped summary's later lines) is not over anything.
    page.set_content(
        '<p style="height:1.2em;overflow:hidden;width:5em;margin:0">One two three four</p>'
        '<p style="margin:0">Below</p>'
    )
    assert page.evaluate(OVERLAPS) == []


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


# == The header at every width, in every language, both colour schemes ==

HEADER_WIDTHS = [320, 390, 768, 1024, 1100, 1280, 1366, 1440, 1920]
LANGUAGES = ["en", "es", "fr", "de"]

# What is wrong with the header as it is drawn: anything past the screen's edges, any two
# of its controls (links, toggles, buttons, fields) over each other, any text over a
# control it is not part of; and, where there is no Menu to open, a section not in view.
HEADER_PROBLEMS = """() => {
  const header = document.querySelector(".site-header");
  const width = document.documentElement.clientWidth;
  const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true})
    && !el.closest(".visually-hidden");
  const label = (el) =>
    (el.textContent.trim() || el.getAttribute("placeholder") || el.className).slice(0, 30);
  const pieces = [...header.querySelectorAll("a, summary, button, input, select")]
    .filter(shown)
    .map((el) => ({el, r: el.getBoundingClientRect()}))
    .filter(({r}) => r.width >= 1 && r.height >= 1);
  const texts = [];
  const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || !shown(node.parentElement)) continue;
    const holder = node.parentElement.getBoundingClientRect();
    if (holder.width <= 1 || holder.height <= 1) continue;  // hidden but for screen readers
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width >= 1 && r.height >= 1) texts.push({node, r});
    }
  }
  const crossing = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const found = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    const extra = document.documentElement.scrollWidth - window.innerWidth;
    found.push(`the page is ${extra}px too wide`);
  }
  for (const {el, r} of pieces) {
    if (r.left < -0.5 || r.right > width + 0.5) found.push(`"${label(el)}" runs off the screen`);
  }
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      const a = pieces[i], b = pieces[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (crossing(a.r, b.r)) found.push(`"${label(a.el)}" over "${label(b.el)}"`);
    }
  }
  for (const {node, r} of texts) {
    if (r.left < -0.5 || r.right > width + 0.5) {
      found.push(`text "${node.textContent.trim()}" runs off the screen`);
    }
    for (const {el, r: box} of pieces) {
      if (el.contains(node)) continue;
      if (crossing(r, box)) found.push(`text "${node.textContent.trim()}" over "${label(el)}"`);
    }
  }
  const toggle = header.querySelector(".site-menu__toggle");
  if (!shown(toggle)) {
    const sections = ".main-nav > ul > li > a, .nav-group__toggle, .account-nav :is(a, button)";
    for (const link of header.querySelectorAll(sections)) {
      if (!shown(link)) found.push(`"${label(link)}" cannot be reached: no Menu and not shown`);
    }
  }
  return found;
}"""


def session_cookie(user, url):
    """The browser cookie of a session in which `user` is logged in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": url}


def test_the_header_fits_every_width_language_and_colour_scheme(live_server, page, make_user):
    """9 widths x 4 languages x 2 colour schemes, logged out and in: nothing wider than
    the screen, nothing over anything else. One page, resized; one load per language."""
    url = live_server.url
    load_demo(pictures=False)  # the demo's brand: a logo and a two-word name
    reader = make_user("header.reader@example.com", full_name="Dr Header Reader")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for state in ("visitor", "reader"):
        if state == "reader":
            page.context.add_cookies([session_cookie(reader, url)])
        for language in LANGUAGES:
            page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
            page.set_viewport_size({"width": HEADER_WIDTHS[0], "height": 800})
            page.goto(url + "/")
            expect(page.locator("html")).to_have_attribute("lang", language)
            for width in HEADER_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                for scheme in reversed(COLOUR_SCHEMES):  # dark, then light again
                    page.emulate_media(color_scheme=scheme)
                    where = f"{state}, {language}, {width}px, {scheme}"
                    problems += [f"{where}: {p}" for p in page.evaluate(HEADER_PROBLEMS)]
                    if scheme == "light" or language in ("en", "de"):
                        suffix = "-dark" if scheme == "dark" else ""
                        page.locator(".site-header").screenshot(
                            path=str(SCREENSHOTS / f"header-{state}-{language}-{width}{suffix}.png")
                        )
    assert problems == [], "\n".join(problems)


def test_the_header_check_sees_overlap_and_overflow(live_server, page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")
    assert page.evaluate(HEADER_PROBLEMS) == []

    # A brand name too long to share the row with the Menu and search buttons.
    page.evaluate(
        "document.querySelector('.site-name__text').textContent = 'Haematologyandoncologyhub'"
    )
    found = page.evaluate(HEADER_PROBLEMS)
    assert any("over" in problem for problem in found), found
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("document.querySelector('.site-name__text').textContent = 'Hub'")
    page.evaluate("document.querySelector('.account-nav').style.marginRight = '-400px'")
    found = page.evaluate(HEADER_PROBLEMS)
    assert any("runs off the screen" in problem for problem in found), found
