"""What readers read, in a browser: search's "did you mean" and marks, an HTML email,
and the article's meta line. Screenshots go to test-results/screenshots/."""

import re

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from articles.models import Article
from demo.loader import load_demo
from tests.accounts.test_signup import signup_data
from tests.tools import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = ROOT / "test-results" / "screenshots"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def demo(live_server):
    load_demo(pictures=False)  # its saves refresh the vocabulary as they commit
    return live_server


def shots(page, name, widths=(390, 1280), dark=True):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(OVERFLOW) <= 0, f"{name} is wider than {width}px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        if dark:
            page.emulate_media(color_scheme="dark")
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-dark.png"), full_page=True)
            page.emulate_media(color_scheme="light")


def test_a_typo_is_corrected_and_the_matches_are_marked(demo, page, assert_accessible):
    page.goto(demo.url + "/search/?q=myelma")

    suggestion = page.locator(".search-suggestion")
    expect(suggestion).to_contain_text("Did you mean myeloma?")
    expect(page.get_by_role("status").filter(has_text="Nothing matches")).to_contain_text(
        "results for “myeloma”"
    )
    expect(page.locator(".search-result mark").first).to_have_text(re.compile("myeloma", re.I))
    assert_accessible(page)
    shots(page, "search-did-you-mean")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)
    page.emulate_media(color_scheme="light")

    suggestion.get_by_role("link", name="myeloma").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=myeloma$"))
    expect(page.locator(".search-suggestion")).to_have_count(0)


def test_an_expert_is_found_by_name(demo, page, assert_accessible):
    page.goto(demo.url + "/search/?q=Sofia+Marin")

    experts = page.get_by_role("region", name="Expert")
    expect(experts.get_by_role("link", name=re.compile("Sof.a Mar.n"))).to_be_visible()
    expect(page.locator(".search-result").first).to_be_visible()
    assert_accessible(page)
    shots(page, "search-expert", dark=False)


def test_the_confirmation_email_reads_well_in_a_browser(demo, page):
    Client(headers={"Sec-Fetch-Site": "same-origin"}).post("/accounts/signup/", signup_data())
    (message,) = mail.outbox
    ((html, _kind),) = message.alternatives

    page.set_content(html)

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Welcome to "))
    expect(page.get_by_role("link", name="Confirm my email address")).to_be_visible()
    shots(page, "email-confirmation", dark=False)


def test_the_article_meta_line_has_no_dangling_dot(demo, page):
    article = Article.objects.published().exclude(sponsor=None).first()
    page.goto(demo.url + article.get_absolute_url())
    meta = page.locator(".article__meta")
    expect(meta).not_to_contain_text(re.compile(r"\d\d:\d\d|UTC"))

    for width in (320, 390, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        # Every dot the reader can see sits between two items on the same line.
        dangling = page.evaluate(
            """() => {
              const meta = document.querySelector(".article__meta");
              const left = meta.getBoundingClientRect().left + parseFloat(
                getComputedStyle(meta).clipPath.match(/inset\\(0px 0px 0px ([\\d.]+)px\\)/)[1]);
              const items = [...meta.children];
              return items.filter((item, i) => {
                const box = item.getBoundingClientRect();
                const startsLine = i === 0 || items[i - 1].getBoundingClientRect().top < box.top;
                // the dot fills the item's left padding: visible only right of `left`
                const text = box.left + parseFloat(getComputedStyle(item).paddingLeft);
                return (startsLine && box.left >= left) || text < left - 0.5;
              }).map(item => item.textContent.trim());
            }"""
        )
        assert dangling == [], f"at {width}px a dot dangles or text is cut: {dangling}"
    page.set_viewport_size({"width": 390, "height": 900})
    box = page.evaluate(
        "() => { const r = document.querySelector('.article__header').getBoundingClientRect();"
        " return {x: 0, y: r.top + window.scrollY, width: 390, height: r.height}; }"
    )
    page.screenshot(path=str(SCREENSHOTS / "article-header-390.png"), full_page=True, clip=box)
