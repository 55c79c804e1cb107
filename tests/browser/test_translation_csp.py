"""Machine translation under the CSP: a widget that behaves like Google's works for a
reader who consented, and the policy stays strict for everyone else.

Google's element.js loads more script and CSS from its own hosts, then injects a
<style> element and style="" attributes; the stub below does the same.
"""

import pytest
from playwright.sync_api import expect

from hub.site_content import install
from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

ELEMENT_JS = """
window.google = {translate: {TranslateElement: function (options, id) {
  var box = document.getElementById(id);
  var style = document.createElement("style");
  style.textContent = ".goog-te-combo { color: rgb(1, 2, 3); }";
  document.head.appendChild(style);
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "https://www.gstatic.com/_/translate_http/_/ss/k=translate.css";
  document.head.appendChild(css);
  var gadget = document.createElement("div");
  gadget.className = "goog-te-gadget";
  gadget.setAttribute("style", "border-top: 3px solid rgb(4, 5, 6);");
  var select = document.createElement("select");
  select.className = "goog-te-combo";
  select.setAttribute("aria-label", "Language Translate Widget");
  ["Select Language", "French", "German"].forEach(function (name) {
    var option = document.createElement("option");
    option.textContent = name;
    select.appendChild(option);
  });
  gadget.appendChild(select);
  var logo = document.createElement("img");
  logo.src = "https://www.gstatic.com/images/branding/googlelogo/1x/googlelogo_color_42x16dp.png";
  logo.alt = "Google Translate";
  gadget.appendChild(logo);
  box.appendChild(gadget);
  var more = document.createElement("script");
  more.src = "https://translate.googleapis.com/_/translate_http/_/js/k=translate_http.main.js";
  document.head.appendChild(more);
}}};
window.hubTranslateInit();
"""
MAIN_JS = "window.hubTranslateLoaded = true;"
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5d1bd6d0000000049454e44ae426082"
)
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def site(live_server):
    from cookie_consent.cache import delete_cache
    from cookie_consent.models import Cookie, CookieGroup

    from hub.models import Page

    install(Page, CookieGroup, Cookie)
    delete_cache()
    return live_server


def serve_google(page):
    fetched = []

    def fulfil(route, body, content_type):
        fetched.append(route.request.url)
        route.fulfill(body=body, content_type=content_type)

    page.route(
        "https://translate.google.com/**", lambda r: fulfil(r, ELEMENT_JS, "text/javascript")
    )
    page.route(
        "https://translate.googleapis.com/**", lambda r: fulfil(r, MAIN_JS, "text/javascript")
    )
    page.route("https://www.gstatic.com/**/*.css", lambda r: fulfil(r, "", "text/css"))
    page.route("https://www.gstatic.com/**/*.png", lambda r: fulfil(r, PIXEL, "image/png"))
    page.add_init_script(RECORD_VIOLATIONS)
    return fetched


def wait_until(page, expression, seconds=5):
    """Until `expression` is true in the page. Asked from here: wait_for_function's
    polling compiles its expression in the page, which a strict CSP refuses."""
    for _ in range(int(seconds * 20)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def test_a_consenting_reader_gets_a_working_widget(site, page):
    fetched = serve_google(page)
    article = make_article("Translated under CSP")
    page.goto(site.url + article.get_absolute_url())
    page.get_by_role("region", name="Cookies on the Hub").get_by_role(
        "button", name="Accept all"
    ).click()
    # The choice is saved without a reload; the page's policy was sent before it, so the
    # offer asks for one, and the widget starts on the reloaded page.
    page.get_by_role("button", name="Reload the page").click()

    combo = page.get_by_role("combobox", name="Language Translate Widget")
    expect(combo).to_be_visible()
    expect(combo).to_have_css("color", "rgb(1, 2, 3)")  # the injected <style> applied
    expect(page.locator(".goog-te-gadget")).to_have_css("border-top-color", "rgb(4, 5, 6)")
    wait_until(page, "window.hubTranslateLoaded === true")
    assert any(url.startswith("https://www.gstatic.com/") for url in fetched)
    assert page.evaluate("window.cspViolations") == []


def test_without_consent_the_policy_stays_strict(site, page):
    fetched = serve_google(page)
    article = make_article("Not translated")
    response = page.goto(site.url + article.get_absolute_url())
    page.get_by_role("button", name="Reject all").click()
    expect(page.get_by_role("region", name="Cookies on the Hub")).to_have_count(0)

    policy = page.request.get(site.url + article.get_absolute_url()).headers[
        "content-security-policy"
    ]
    # The same injection the widget does is refused for this reader.
    page.evaluate(
        """() => {
        var style = document.createElement("style");
        style.textContent = "body { color: rgb(7, 8, 9); }";
        document.head.appendChild(style);
    }"""
    )

    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "google" not in policy
    assert fetched == []
    wait_until(page, "window.cspViolations.length > 0")
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(7, 8, 9)"
    page.console_errors.clear()  # the refused style is the point of this test
