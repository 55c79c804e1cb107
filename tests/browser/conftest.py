"""Browser tests: Playwright drives Debian's chromium against live_server.

Playwright cannot download its own browsers here, so every test launches
/usr/bin/chromium. axe-core (shipped by axe-playwright-python) checks each page
type against WCAG 2.2 A/AA, and any Content-Security-Policy report fails the test.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts import gate
from tests.conftest import hcp_cookie_value
from tests.tools import CHROMIUM, require_tool

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in
# the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

expect.set_options(timeout=5000)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_tool(CHROMIUM.exists(), "Debian's chromium (/usr/bin/chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


def _record_console_errors(page):
    page.set_default_timeout(5000)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.console_errors.append(f"HTTP {response.status} {response.url}")
        ),
    )
    return page


@pytest.fixture
def page(page, live_server):
    """A reader who has passed the HCP gate; console errors (CSP included) fail the test."""
    page.context.add_cookies(
        [{"name": gate.COOKIE_NAME, "value": hcp_cookie_value(), "url": live_server.url}]
    )
    yield _record_console_errors(page)
    assert page.console_errors == [], "the browser console reported errors"


@pytest.fixture
def visitor_page(browser):
    """A first-time visitor: no HCP declaration, no session."""
    context = browser.new_context()
    page = _record_console_errors(context.new_page())
    yield page
    context.close()
    assert page.console_errors == [], "the browser console reported errors"


@pytest.fixture(scope="session")
def axe():
    return Axe()


COLOUR_SCHEMES = ["light", "dark"]


@pytest.fixture
def assert_accessible(axe):
    """Check the page as it is, in the light and in the dark colour scheme (contrast
    differs); the page is left in the light scheme."""

    def check(page):
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        if "/admin/" in page.url:
            # axe's CSS preloader copies @import-ed sheets (Django's forms.css imports
            # widgets.css) into inline <style> elements, which the CSP rightly refuses: a
            # console error of the checker's own, and a failed preload. Only the
            # orientation-lock rule reads those sheets, and the admin's never lock it.
            options["preload"] = False
        try:
            for scheme in COLOUR_SCHEMES:
                # Less motion: colours are checked as they are, not halfway through a fade.
                page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
                results = axe.run(page, options=options)
                assert results.violations_count == 0, f"{scheme}: {results.generate_report()}"
        finally:
            page.emulate_media(color_scheme="light", reduced_motion="no-preference")

    return check
