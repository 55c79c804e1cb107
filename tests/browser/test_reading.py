"""A reader reads a demo article end to end in a real browser."""

import pytest
from playwright.sync_api import expect

from demo.loader import load_demo
from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

INTERVIEW_TITLE = (
    "What is the rationale for treating early relapsed myeloma with targeted therapies?"
)


@pytest.fixture
def demo(live_server):
    load_demo()  # live_server flushes data migrations' rows: load what the test reads
    return live_server


def test_reader_finds_and_reads_the_demo_interview(demo, page, assert_accessible):
    page.goto(demo.url)
    page.get_by_role("link", name=INTERVIEW_TITLE).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(INTERVIEW_TITLE)
    expect(page.get_by_text("After reading, you'll be able to:")).to_be_visible()
    expect(page.get_by_role("heading", name="Key learnings")).to_be_visible()
    expect(page.locator(".article__sponsor")).to_contain_text("Independently supported by")
    expect(page.locator(".funding")).to_contain_text("independently supported by")
    assert_accessible(page)

    # A citation jumps to its reference, and the reference links back.
    page.locator("sup.citation a").first.click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#ref-1")
    expect(page.locator("#ref-1")).to_be_in_viewport()
    page.locator("#ref-1 a.backlink").click()
    expect(page.locator("#cite-1")).to_be_in_viewport()

    # The transcript opens; trial ids are links to ClinicalTrials.gov.
    page.get_by_text("Read the transcript").click()
    expect(page.locator("details.transcript .prose")).to_be_visible()
    expect(page.get_by_role("link", name="NCT04246047").first).to_have_attribute(
        "href", "https://clinicaltrials.gov/study/NCT04246047"
    )

    # Copy link works with the clipboard and says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".share__status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url.split("#")[0]


def test_search_topics_and_expert_pages_are_accessible(demo, page, assert_accessible):
    page.goto(demo.url)
    page.set_viewport_size({"width": 1440, "height": 900})  # the header's own field
    page.get_by_label("Search articles").fill("belantamab")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("p[role=status]")).to_contain_text("for “belantamab”")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Topics")
    assert_accessible(page)

    page.get_by_role("link", name="CAR T-cell therapy").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CAR T-cell therapy")
    assert_accessible(page)

    page.get_by_role("link", name=INTERVIEW_TITLE).first.click()
    page.get_by_role("link", name="Dr Amelia Hart").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dr Amelia Hart")
    assert_accessible(page)

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("About the Hub", exact=True).click()
    nav.get_by_role("link", name="Steering Committee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Steering Committee")
    assert_accessible(page)


def test_hosted_video_loads_only_when_asked(live_server, page, assert_accessible):
    from datetime import timedelta

    from tests.articles.factories import image_upload

    article = make_article(
        "A video interview",
        question="Why?",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_duration=timedelta(minutes=12, seconds=34),
        transcript="**Interviewer:** Why?",
        lead_image=image_upload(),
        lead_image_decorative=True,
    )
    elsewhere = []  # every request that leaves this server
    page.on(
        "request",
        lambda request: (
            not request.url.startswith(live_server.url) and elsewhere.append(request.url)
        ),
    )
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="player"))

    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("iframe")).to_have_count(0)
    poster = page.locator(".video__poster img")
    expect(poster).to_be_visible()
    # Loaded (the lazy image may still be on its way when it first shows). Waited for by
    # the image's own promise: wait_for_function's polling compiles its expression in
    # the page, which the page's CSP (no 'unsafe-eval') refuses.
    poster.evaluate("img => img.decode()")
    assert poster.evaluate("img => img.naturalWidth") > 0
    expect(page.locator(".video__duration")).to_contain_text("12:34")
    assert_accessible(page)
    assert elsewhere == [], "nothing is fetched from the video's host before the click"

    page.get_by_role("link", name="Read the transcript").click()
    expect(page.locator("details.transcript .prose")).to_be_visible()

    page.get_by_role("button", name="Play the video from YouTube").click()
    expect(page.locator("iframe.video__frame")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    page.wait_for_timeout(200)
    assert elsewhere, "the player is fetched after the click"


def test_print_view_hides_navigation_and_shares(demo, page):
    page.goto(demo.url)
    page.get_by_role("link", name=INTERVIEW_TITLE).first.click()
    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".share")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".references")).to_be_visible()


def test_pictures_patterns_and_initials_are_accessible(live_server, page, assert_accessible):
    from articles.models import Article, Expert

    load_demo(pictures=True)
    pictured = Article.objects.exclude(lead_image="").first()
    with_photo = Expert.objects.exclude(photo="").first()
    without_photo = Expert.objects.filter(photo="").first()

    for path in (
        "/",
        pictured.get_absolute_url(),
        with_photo.get_absolute_url(),
        without_photo.get_absolute_url(),
        "/steering-committee/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)
    # The lead image arrived, from this server, at the size its attributes promised.
    page.goto(live_server.url + pictured.get_absolute_url())
    lead = page.locator(".lead-image img")
    expect(lead).to_have_attribute("fetchpriority", "high")
    assert page.evaluate("document.querySelector('.lead-image img').naturalWidth") > 0
    assert page.evaluate("document.querySelector('.lead-image img').currentSrc").endswith(".webp")


def test_a_pictured_article_weighs_under_300_kb_on_a_phone(live_server, browser):
    from accounts import gate
    from articles.models import Article
    from tests.conftest import hcp_cookie_value

    load_demo(pictures=True)
    article = Article.objects.exclude(lead_image="").first()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3)
    phone.add_cookies(
        [{"name": gate.COOKIE_NAME, "value": hcp_cookie_value(), "url": live_server.url}]
    )
    page = phone.new_page()
    sizes = {}
    page.on("requestfinished", lambda request: sizes.update({request.url: request.sizes()}))

    page.goto(live_server.url + article.get_absolute_url(), wait_until="networkidle")
    page.mouse.wheel(0, 20000)  # every lazy image below the fold too
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")
    phone.close()

    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    assert any(url.endswith(".webp") for url in sizes)
    assert total < 300_000, sorted(sizes.items(), key=lambda item: -item[1]["responseBodySize"])
