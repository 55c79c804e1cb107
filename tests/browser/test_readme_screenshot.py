"""The README's picture of an article page, taken from the demo at 1280 px.

`make screenshot` writes it to docs/screenshots/article.png; the suite takes the same
picture into test-results/ so the mechanism cannot rot, and checks the README shows it.
"""

import os
import re
from pathlib import Path

import pytest
from PIL import Image

from articles.models import Article
from demo.loader import load_demo
from tests.tools import ROOT

README_IMAGE = "docs/screenshots/article.png"
# The demo's flagship article: an interview with objectives, key learnings and references.
ARTICLE = "rationale-targeted-therapies-early-relapsed-myeloma"
WIDTH, HEIGHT = 1280, 900
MAX_BYTES = 150 * 1024


def optimise(path):
    """A screenshot is mostly flat colour and text: a 64-colour palette keeps it sharp."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


@pytest.mark.django_db(transaction=True)
def test_article_screenshot_for_the_readme(live_server, page):
    target = Path(
        os.environ.get("HUB_README_SCREENSHOT")
        or ROOT / "test-results" / "screenshots" / "readme-article.png"
    )
    load_demo()  # live_server flushes data migrations' rows: load what the test reads
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(live_server.url + Article.objects.get(slug=ARTICLE).get_absolute_url())
    banner_buttons = page.get_by_role("button", name="Reject all")
    if banner_buttons.count():
        banner_buttons.click()

    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), animations="disabled", caret="hide")
    optimise(target)

    with Image.open(target) as image:
        assert image.size == (WIDTH, HEIGHT)
    assert target.stat().st_size < MAX_BYTES


def test_readme_shows_the_article_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", readme)
    assert README_IMAGE in [src for _, src in images], "README does not show the screenshot"
    assert all(alt.strip() for alt, _ in images), "every README image needs alt text"
    assert (ROOT / README_IMAGE).exists()
