"""The interface ships in English, Spanish, French and German; URLs stay the same."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGES = ["es", "fr", "de"]
LOCALE = Path(settings.BASE_DIR) / "locale"


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    po = catalogue(language)

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_source(language):
    po = {(e.msgctxt, e.msgid): e for e in catalogue(language).translated_entries()}
    mo = {
        (e.msgctxt, e.msgid): e
        for e in polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    }

    assert set(po) == set(mo), "run `make messages` to recompile"
    assert all(po[key].msgstr == mo[key].msgstr for key in po)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_render_in_the_browsers_language(client, language):
    with translation.override(language):
        home, gate_button = (
            translation.gettext("Home"),
            translation.gettext("I am a healthcare professional"),
        )
    assert home != "Home"

    response = client.get("/", headers={"accept-language": f"{language},en;q=0.5"})
    gate = client.__class__().get("/", headers={"accept-language": language})

    assert f'<html lang="{language}">' in response.content.decode()
    assert f">{home}</a>" in response.content.decode()
    assert gate_button in gate.content.decode()
    assert response.request["PATH_INFO"] == "/", "no language prefix in URLs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_selector_switches_and_remembers(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/about/"})

    assert response["Location"] == "/about/"
    page = client.get("/about/").content.decode()
    assert f'<html lang="{language}">' in page
    assert f'value="{language}" lang="{language}" aria-current="true"' in page


def test_unknown_language_falls_back_to_english(client):
    response = client.get("/", headers={"accept-language": "tlh"})

    assert '<html lang="en">' in response.content.decode()
