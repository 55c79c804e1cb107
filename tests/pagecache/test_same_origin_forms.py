"""The forms on shared pages carry no CSRF token (the page is the same bytes for every
visitor): where the request comes from is checked instead (common.http.same_origin_post).
The gate's own form is tested in tests/accounts/test_gate.py; these are the others."""

import pytest
from django.conf import settings
from django.test import Client as BareClient
from django.urls import reverse

from accounts import gate
from accounts.views import PANEL_COOKIE
from newsletter.models import Subscriber
from tests.conftest import hcp_cookie_value

pytestmark = pytest.mark.django_db

ANOTHER_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Referer": "https://evil.example/page"},
    {},  # nothing said: an old browser's or a script's request
]
THIS_SITE = [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}]


def visitor(headers):
    """A declared visitor's browser that enforces CSRF as a real one would."""
    client = BareClient(enforce_csrf_checks=True, headers=headers)
    client.cookies[gate.COOKIE_NAME] = hcp_cookie_value()
    return client


def subscribe(client):
    return client.post(reverse("newsletter:subscribe"), {"email": "dr.who@example.org"})


def close_panel(client):
    return client.post(reverse("dismiss_panel"), {"next": "/"})


def choose_french(client):
    return client.post(reverse("set_language"), {"language": "fr", "next": "/"})


FORMS = {"newsletter": subscribe, "panel": close_panel, "language": choose_french}


def effect(name, response):
    """What the form did, if anything: a subscription, or the cookie it sets."""
    if name == "newsletter":
        return Subscriber.objects.filter(email="dr.who@example.org").exists()
    cookie = PANEL_COOKIE if name == "panel" else settings.LANGUAGE_COOKIE_NAME
    return cookie in response.cookies


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("headers", ANOTHER_SITE)
def test_a_form_on_a_shared_page_posted_from_another_site_is_refused(name, headers):
    response = FORMS[name](visitor(headers))

    assert response.status_code == 403
    assert not effect(name, response)


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("headers", THIS_SITE)
def test_a_form_on_a_shared_page_posted_from_this_site_needs_no_token(name, headers):
    response = FORMS[name](visitor(headers))

    assert response.status_code == 302
    assert effect(name, response)
