"""The HCP gate is enforced on the server: no content reaches an undeclared visitor."""

import time
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import get_resolver, reverse

from accounts import gate
from accounts.models import PatientOrganisation, Session
from common import recently
from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db

STATEMENT = (
    "All content on this site is intended for healthcare professionals only. By "
    "acknowledging this message and accessing the information on this website you are "
    "confirming that you are a Healthcare Professional."
)


@pytest.fixture
def article():
    return make_article(
        "Secret sauce of CAR T", summary="Summary only HCPs see.", body="The body text of it."
    )


def test_undeclared_visitor_gets_the_gate_not_the_article(visitor, article):
    response = visitor.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert STATEMENT in html
    assert "I am a healthcare professional" in html
    assert "Secret sauce of CAR T" not in html
    assert "Summary only HCPs see." not in html
    assert "The body text of it." not in html
    # Shared caches may keep the gate (the same for every visitor who has not declared);
    # browsers ask again every time, so a declaration shows the article at once.
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert response["X-Hub-Variant"].startswith("l=en;") and ";d=0;" in response["X-Hub-Variant"]
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("path", ["/", "/articles/", "/topics/", "/search/?q=car"])
def test_every_content_page_is_gated(visitor, article, path):
    html = visitor.get(path).content.decode()

    assert STATEMENT in html
    assert "Secret sauce" not in html


def test_gate_offers_patient_organisations_from_the_admin(visitor, article):
    PatientOrganisation.objects.create(
        name="Demo Patient Charity", url="https://example.org/patients", order=99
    )
    PatientOrganisation.objects.create(
        name="Hidden Charity", url="https://example.org/hidden", is_active=False
    )

    html = visitor.get(article.get_absolute_url()).content.decode()

    assert '<a href="https://example.org/patients" rel="noopener">Demo Patient Charity</a>' in html
    assert "International Myeloma Foundation" in html
    assert "Hidden Charity" not in html


def test_declaring_returns_to_the_page_asked_for_and_is_remembered(visitor, article):
    url = article.get_absolute_url() + "#references"

    response = visitor.post(reverse("hcp_declare"), {"next": url})

    assert response.status_code == 302
    assert response["Location"] == url
    cookie = response.cookies[gate.COOKIE_NAME]
    assert cookie["max-age"] == 60 * 60 * 24 * 30
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "Secret sauce of CAR T" in visitor.get(url).content.decode()


def test_declaring_writes_nothing_to_the_database(visitor, article):
    """The signed cookie is the proof: anonymous visitors must not grow the sessions table."""
    visitor.post(reverse("hcp_declare"), {"next": "/"})
    visitor.get(article.get_absolute_url())

    assert Session.objects.count() == 0


def test_cookie_alone_lets_a_returning_visitor_in(visitor, article):
    visitor.post(reverse("hcp_declare"), {"next": "/"})
    cookie = visitor.cookies[gate.COOKIE_NAME].value
    visitor.session.flush()
    visitor.cookies.clear()
    visitor.cookies[gate.COOKIE_NAME] = cookie

    assert "Secret sauce of CAR T" in visitor.get(article.get_absolute_url()).content.decode()


def test_forged_cookie_is_ignored(visitor, article):
    visitor.cookies[gate.COOKIE_NAME] = "1"

    assert STATEMENT in visitor.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": None, "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": None, "Referer": "https://evil.example/page"},
        {"Sec-Fetch-Site": None, "Origin": "null"},
        {"Sec-Fetch-Site": None},
    ],
)
def test_a_declaration_from_another_site_is_refused(article, headers):
    """The gate's form is on a page shared by every visitor, so it carries no CSRF
    token: where the request comes from is checked instead."""
    from django.test import Client as BareClient

    sent = {name: value for name, value in headers.items() if value is not None}
    visitor = BareClient(enforce_csrf_checks=True, headers=sent)

    response = visitor.post(reverse("hcp_declare"), {"next": "/"})

    assert response.status_code == 403
    assert gate.COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"},
     {"Referer": "http://testserver/articles/"}],
)  # fmt: skip
def test_a_declaration_from_this_site_needs_no_token(article, headers):
    from django.test import Client as BareClient

    visitor = BareClient(enforce_csrf_checks=True, headers=headers)

    response = visitor.post(reverse("hcp_declare"), {"next": "/"})

    assert response.status_code == 302
    assert gate.COOKIE_NAME in response.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
        "",
    ],
)
def test_no_open_redirect_through_the_return_url(visitor, next_url):
    response = visitor.post(reverse("hcp_declare"), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logged_in_reader_never_sees_the_gate(visitor, reader, article):
    visitor.force_login(reader)

    assert "Secret sauce of CAR T" in visitor.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/healthz",
        "/robots.txt",
    ],
)
def test_exempt_pages_need_no_declaration(visitor, path):
    response = visitor.get(path)

    assert response.status_code == 200
    assert STATEMENT not in response.content.decode()


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, getattr(pattern.callback, "hcp_gate_exempt", False)


def test_exemptions_are_marked_on_the_views_not_listed_by_path():
    routes = dict(_routes(get_resolver().url_patterns))

    content = ["", "articles/", "articles/<slug:slug>/", "topics/", "topics/<slug:slug>/",
               "experts/<slug:slug>/", "search/", "funders/", "newsletter/",
               "quizzes/<int:quiz_id>/<str:stage>/"]  # fmt: skip
    assert [route for route in content if routes[route]] == []
    assert routes["accounts/login/"] and routes["admin/"] and routes["hcp/declare/"]
    assert routes["cookies/accept-all/"] and routes["newsletter/confirm/<str:token>/"]
    assert not hasattr(settings, "HUB_GATE_EXEMPT_PATHS")


def test_unknown_paths_get_a_plain_404_not_the_gate(visitor):
    response = visitor.get("/no-such-page/")

    assert response.status_code == 404
    assert STATEMENT not in response.content.decode()


def test_gate_is_a_real_form_that_works_without_javascript(visitor, article):
    html = visitor.get(article.get_absolute_url()).content.decode()

    assert '<form method="post" action="/hcp/declare/" class="gate__form">' in html
    assert f'<input type="hidden" name="next" value="{article.get_absolute_url()}">' in html
    # The same page for every visitor who has not declared: no token of anyone's own
    # (the declaration checks where it comes from instead).
    assert 'name="csrfmiddlewaretoken"' not in html


def test_editors_manage_patient_organisations_in_the_admin(client, make_editor):
    client.force_login(make_editor(is_superuser=True))

    response = client.post(
        reverse("admin:accounts_patientorganisation_add"),
        {
            "name": "Lymphoma Action",
            "url": "https://lymphoma-action.org.uk/",
            "order": 1,
            "is_active": "on",
            "description": "Support for people affected by lymphoma.",
        },
    )

    assert response.status_code == 302
    assert PatientOrganisation.objects.filter(name="Lymphoma Action").exists()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_bookmark_changelist")).status_code == 200


def signed(value, *, age_seconds=0):
    """A gate cookie's value as the gate signs it, signed `age_seconds` ago."""
    then = time.time() - age_seconds
    response = HttpResponse()
    with mock.patch.object(signing, "time", SimpleNamespace(time=lambda: then)):
        response.set_signed_cookie(gate.COOKIE_NAME, value, salt=gate.COOKIE_SALT)
    return response.cookies[gate.COOKIE_NAME].value


def shows_article(client, article):
    return "Secret sauce of CAR T" in client.get(article.get_absolute_url()).content.decode()


def test_a_forged_or_expired_declaration_gets_the_gate(visitor, article):
    good = signed("reader-1")
    visitor.cookies[gate.COOKIE_NAME] = good
    assert shows_article(visitor, article)  # now remembered as checked

    for value in (
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # signature changed
        good.replace("reader-1", "reader-2"),  # value changed, signature kept
        signed("reader-1", age_seconds=gate.COOKIE_MAX_AGE + 5),  # older than 30 days
    ):
        visitor.cookies[gate.COOKIE_NAME] = value
        assert not shows_article(visitor, article), value


def test_a_checked_declaration_is_checked_again_after_a_minute(visitor, article, monkeypatch):
    nearly = signed("reader-1", age_seconds=gate.COOKIE_MAX_AGE - 30)
    visitor.cookies[gate.COOKIE_NAME] = nearly
    clock = [1000.0]
    monkeypatch.setattr(recently, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    assert shows_article(visitor, article)

    later = time.time() + 45  # the cookie is now 30 days and 15 s old
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    clock[0] += 30
    assert shows_article(visitor, article)  # within the minute: taken as checked
    clock[0] += gate.CHECKED.seconds
    assert not shows_article(visitor, article)  # checked again, and too old
