"""Kept pages per hub: each page names its hub as a surrogate key, so a change to one
hub's brand, pages or funders purges that hub's copies only, and no hub's copy is
served on another's host."""

import pytest

from articles.models import Sponsor, Sponsorship
from brand.models import Brand
from hub.models import Page
from pagecache import purge
from pagecache.middleware import CACHE_HEADER
from tests.articles.factories import make_article, make_sponsor
from tests.conftest import Client, declare_hcp
from tests.hubs.conftest import LYMPHOMA
from tests.pagecache.through_wsgi import Browser

pytestmark = pytest.mark.django_db

THERE = {"HTTP_HOST": LYMPHOMA}


@pytest.fixture
def kept(two_hubs):
    myeloma, lymphoma = two_hubs
    article = make_article("On both hubs", hub=myeloma)
    article.shared_with.add(lymphoma)
    make_sponsor("Lymphoma Funder", hub=lymphoma)
    purge.forget_pending()  # the test's own transaction never commits what made them
    for headers in (None, THERE):
        for path in ("/", "/about/", article.get_absolute_url()):
            assert Browser().get(path, headers=headers).status_code == 200
    return myeloma, lymphoma, article


def state(path, headers=None):
    return Browser().get(path, headers=headers)[CACHE_HEADER]


def test_each_hub_has_its_own_copy_of_the_same_address(kept):
    here = Browser().get("/about/")
    there = Browser().get("/about/", headers=THERE)

    assert here[CACHE_HEADER] == there[CACHE_HEADER] == "hit"
    assert "Myeloma Matters" in here.text() and "Lymphoma Matters" not in here.text()
    assert "Lymphoma Matters" in there.text() and "Myeloma Matters" not in there.text()


def test_a_page_names_its_hub_for_the_proxies(kept):
    myeloma, lymphoma, _ = kept

    here = declare_hcp(Client()).get("/about/")
    there = declare_hcp(Client(HTTP_HOST=LYMPHOMA)).get("/about/")

    assert f"hub-{myeloma.pk}" in here["Surrogate-Key"].split()
    assert f"hub-{lymphoma.pk}" in there["Surrogate-Key"].split()
    assert f"hub-{myeloma.pk}" not in there["Surrogate-Key"].split()


@pytest.mark.parametrize("change", ["brand", "page", "funder"])
def test_a_change_to_one_hub_purges_that_hubs_pages_only(
    kept, change, django_capture_on_commit_callbacks
):
    _, lymphoma, article = kept

    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        if change == "brand":
            Brand.objects.filter(hub=lymphoma).get().save()
        elif change == "page":
            Page.objects.get(hub=lymphoma, slug="about").save()
        else:
            Sponsorship.objects.filter(hub=lymphoma).update(level=Sponsor.Level.SILVER)
            Sponsorship.objects.get(hub=lymphoma).save()

    for path in ("/", "/about/", article.get_absolute_url()):
        assert state(path, THERE) == "miss", path
        assert state(path) == "hit", path


def test_a_shared_articles_change_purges_it_on_every_hub(kept, django_capture_on_commit_callbacks):
    *_, article = kept

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Renamed on both hubs"
        article.save()

    assert state(article.get_absolute_url()) == "miss"
    assert state(article.get_absolute_url(), THERE) == "miss"
    assert "Renamed on both hubs" in Browser().get(article.get_absolute_url(), headers=THERE).text()
