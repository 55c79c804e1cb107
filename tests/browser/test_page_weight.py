"""Page weight on a phone: an article, with everything its first load fetches, stays light.

Measured as a first visit (empty cache) at 390 × 844 CSS pixels on a 2× screen, so
responsive images pick what a phone would. The test server sends files uncompressed,
where production compresses them: the figures here are an upper bound.
"""

import pytest

from articles.models import Article
from demo.loader import load_demo
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_BYTES = 300 * 1024
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def transferred(browser, url, cookie_url):
    """Bytes of headers and bodies received while `url` loads, per address."""
    context = browser.new_context(**PHONE)
    context.add_cookies([{"name": "hub_hcp", "value": hcp_cookie_value(), "url": cookie_url}])
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    sizes = {}
    for request in finished:
        size = request.sizes()
        sizes[request.url] = (
            sizes.get(request.url, 0) + size["responseHeadersSize"] + size["responseBodySize"]
        )
    context.close()
    return sizes


def test_every_demo_article_weighs_under_300_kb_on_a_phone(live_server, browser):
    load_demo()  # live_server flushes data migrations' rows: load what the test reads
    articles = list(Article.objects.published())
    assert articles

    heavy = []
    for article in articles:
        url = live_server.url + article.get_absolute_url()
        sizes = transferred(browser, url, live_server.url)
        # The measure sees the page and what it pulls in, not only the document.
        assert sizes[url] > 5 * 1024
        assert any(name.endswith(".css") for name in sizes), sizes
        total = sum(sizes.values())
        if total >= BUDGET_BYTES:
            listing = "\n  ".join(f"{b / 1024:.1f} KB {name}" for name, b in sorted(sizes.items()))
            heavy.append(f"{article.title}: {total / 1024:.1f} KB\n  {listing}")
    assert not heavy, "over 300 KB:\n" + "\n".join(heavy)
