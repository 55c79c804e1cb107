"""Each hub offers its own languages: a reader who asks for another is served the hub's
first, the language menu lists the hub's only, and kept copies follow the same rule."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hubs.models import Hub
from pagecache import purge
from pagecache.middleware import CACHE_HEADER
from tests.conftest import Client, declare_hcp
from tests.hubs.conftest import LYMPHOMA
from tests.pagecache.through_wsgi import Browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_and_spanish(two_hubs):
    myeloma, lymphoma = two_hubs
    lymphoma.languages = "en,es"
    lymphoma.save()
    return myeloma, lymphoma


def page(host, **headers):
    response = declare_hcp(Client(HTTP_HOST=host, **headers)).get("/articles/")
    html = response.content.decode()
    return response, re.search(r'<html lang="([^"]+)"', html).group(1), html


def test_a_language_the_hub_does_not_offer_gets_its_first(english_and_spanish):
    response, lang, _ = page(LYMPHOMA, HTTP_ACCEPT_LANGUAGE="de")

    assert lang == "en" and response["Content-Language"] == "en"
    assert page("testserver", HTTP_ACCEPT_LANGUAGE="de")[1] == "de"  # every language
    assert page(LYMPHOMA, HTTP_ACCEPT_LANGUAGE="es")[1] == "es"


def test_the_language_menu_lists_the_hubs_languages(english_and_spanish):
    _, _, there = page(LYMPHOMA)
    _, _, here = page("testserver")

    offered = re.findall(r'name="language" value="(\w+)"', there)
    assert offered == ["en", "es"]
    assert re.findall(r'name="language" value="(\w+)"', here) == ["en", "es", "fr", "de"]


def test_a_chosen_language_the_hub_does_not_offer_is_not_served(english_and_spanish):
    client = declare_hcp(Client(HTTP_HOST=LYMPHOMA))
    client.post(reverse("set_language"), {"language": "fr", "next": "/articles/"})

    html = client.get("/articles/").content.decode()

    assert '<html lang="en"' in html


def test_kept_copies_follow_the_hubs_languages(english_and_spanish):
    purge.forget_pending()
    german = {"HTTP_HOST": LYMPHOMA, "HTTP_ACCEPT_LANGUAGE": "de"}

    first, second = (
        Browser().get("/articles/", headers=german),
        Browser().get("/articles/", headers=german),
    )

    assert second[CACHE_HEADER] == "hit"
    assert '<html lang="en"' in first.text() and first.text() == second.text()
    assert (
        '<html lang="de"'
        in Browser().get("/articles/", headers={"HTTP_ACCEPT_LANGUAGE": "de"}).text()
    )


def test_an_editor_ticks_the_languages_a_hub_offers(english_and_spanish, make_editor):
    _, lymphoma = english_and_spanish
    client = Client()
    client.force_login(make_editor(is_superuser=True))
    url = reverse("admin:hubs_hub_change", args=[lymphoma.pk])
    host = lymphoma.hosts.get(is_primary=True)
    form = {
        "name": lymphoma.name,
        "slug": lymphoma.slug,
        "languages": ["fr", "en"],
        "hosts-TOTAL_FORMS": "1",
        "hosts-INITIAL_FORMS": "1",
        "hosts-0-id": host.pk,
        "hosts-0-hub": lymphoma.pk,
        "hosts-0-host": host.host,
        "hosts-0-is_primary": "on",
    }

    assert client.post(url, form).status_code == 302

    lymphoma.refresh_from_db()
    assert lymphoma.languages == "en,fr"  # in the install's order
    assert page(LYMPHOMA, HTTP_ACCEPT_LANGUAGE="fr")[1] == "fr"
    assert page(LYMPHOMA, HTTP_ACCEPT_LANGUAGE="es")[1] == "en"


def test_only_the_installs_languages_may_be_offered():
    with pytest.raises(ValidationError, match="not a language of this install"):
        Hub(slug="x", name="X", languages="en,xx").full_clean()
