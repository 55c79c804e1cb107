"""The request's host picks the hub: its brand on every page, and never another's."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs.models import Hub, HubHost
from pagecache.middleware import CACHE_HEADER
from tests.brand.test_site import title
from tests.conftest import Client, clear_cache, declare_hcp
from tests.hubs.conftest import LYMPHOMA
from tests.pagecache.through_wsgi import Browser

pytestmark = pytest.mark.django_db


def visitor(host="testserver"):
    return declare_hcp(Client(HTTP_HOST=host))


def test_each_hub_shows_its_own_brand_on_its_own_host(two_hubs):
    myeloma = visitor().get("/topics/").content.decode()
    lymphoma = visitor(LYMPHOMA).get("/topics/").content.decode()

    assert title(myeloma) == "Topics · Myeloma Matters"
    assert title(lymphoma) == "Topics · Lymphoma Matters"
    assert "Myeloma Matters" not in lymphoma and "Lymphoma Matters" not in myeloma


def test_a_host_no_hub_names_is_a_404_that_shows_no_hub(two_hubs, settings):
    response = visitor("elsewhere.test").get("/")
    html = response.content.decode()

    assert response.status_code == 404
    assert "No hub at this address" in html
    assert "Matters" not in html


def test_a_host_django_does_not_allow_is_a_400(two_hubs):
    assert visitor("attacker.example").get("/").status_code == 400


def test_a_hubs_other_hosts_redirect_to_its_address(two_hubs):
    response = visitor(f"www.{LYMPHOMA}").get("/topics/?page=2")

    assert response.status_code == 301
    assert response["Location"] == f"http://{LYMPHOMA}/topics/?page=2"


def test_a_single_hub_install_answers_on_every_allowed_host():
    for host in ("testserver", "localhost", "127.0.0.1"):
        response = visitor(host).get("/topics/")
        assert response.status_code == 200, host


def test_a_page_kept_for_one_hub_is_never_served_on_another(two_hubs):
    def page(host):
        return Browser().get("/topics/", headers={"HTTP_HOST": host})

    for host in ("testserver", LYMPHOMA):
        page(host)
    myeloma, lymphoma = page("testserver"), page(LYMPHOMA)

    assert myeloma[CACHE_HEADER] == lymphoma[CACHE_HEADER] == "hit"
    assert title(myeloma.text()) == "Topics · Myeloma Matters"
    assert title(lymphoma.text()) == "Topics · Lymphoma Matters"


def test_more_hubs_add_no_query_to_a_page():
    """Counted on a cold cache: the hubs are one query however many there are."""

    def queries():
        clear_cache()
        with CaptureQueriesContext(connection) as seen:
            assert visitor().get("/topics/").status_code == 200
        return len(seen)

    one = queries()
    for n in range(3):
        hub = Hub.objects.create(slug=f"extra-{n}", name=f"Extra {n}")
        HubHost.objects.create(hub=hub, host=f"extra-{n}.test", is_primary=True)
    Hub.objects.get(is_default=True).hosts.update(host="testserver")

    assert queries() == one


def test_hosts_are_checked_and_each_names_one_hub(two_hubs):
    first, second = two_hubs
    for bad in ("Not a host", "under_score.test", "-dash.test", "x.test:99999x"):
        with pytest.raises(ValidationError):
            HubHost(hub=second, host=bad).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        HubHost.objects.create(hub=first, host=LYMPHOMA)
    with pytest.raises(IntegrityError), transaction.atomic():
        HubHost.objects.bulk_create([HubHost(hub=second, host="UPPER.test")])
    with pytest.raises(IntegrityError), transaction.atomic():
        HubHost.objects.create(hub=second, host="second-address.test", is_primary=True)


@pytest.fixture
def superuser_client(make_editor):
    client = Client()
    client.force_login(make_editor(is_superuser=True))
    return client


def hub_form(**fields):
    data = {
        "name": "Leukaemia",
        "slug": "leukaemia",
        "hosts-TOTAL_FORMS": "2",
        "hosts-INITIAL_FORMS": "0",
        "hosts-MIN_NUM_FORMS": "1",
        "hosts-MAX_NUM_FORMS": "1000",
        "hosts-0-host": "Leukaemia.test",
        "hosts-0-is_primary": "on",
        "hosts-1-host": "www.leukaemia.test",
    }
    return {**data, **fields}


def test_the_admin_adds_a_hub_with_its_hosts(superuser_client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".test"]

    response = superuser_client.post(reverse("admin:hubs_hub_add"), hub_form())

    assert response.status_code == 302, response.content.decode()
    hub = Hub.objects.get(slug="leukaemia")
    assert sorted(hub.hosts.values_list("host", "is_primary")) == [
        ("leukaemia.test", True),
        ("www.leukaemia.test", False),
    ]
    assert title(visitor("leukaemia.test").get("/topics/").content.decode()) == "Topics · Leukaemia"


def test_the_admin_asks_for_exactly_one_address(superuser_client):
    response = superuser_client.post(
        reverse("admin:hubs_hub_add"), hub_form(**{"hosts-1-is_primary": "on"})
    )

    assert response.status_code == 200
    assert "Mark exactly one host as the hub’s address" in response.content.decode()
    assert not Hub.objects.filter(slug="leukaemia").exists()


def test_the_first_hub_cannot_be_deleted(superuser_client):
    first = Hub.objects.get(is_default=True)

    response = superuser_client.get(reverse("admin:hubs_hub_delete", args=[first.pk]))

    assert response.status_code == 403


def test_the_unknown_host_page_speaks_the_visitors_language(two_hubs):
    response = Client(HTTP_HOST="elsewhere.test", HTTP_ACCEPT_LANGUAGE="fr").get("/")

    assert response.status_code == 404
    assert '<html lang="fr">' in response.content.decode()
    assert "Aucun hub à cette adresse" in response.content.decode()


def test_the_unknown_host_page_and_redirects_carry_the_security_headers(two_hubs):
    for host in ("elsewhere.test", f"www.{LYMPHOMA}"):
        response = visitor(host).get("/")
        assert "Content-Security-Policy" in response, host
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_a_brand_edited_without_naming_its_hub_stays_with_it(two_hubs):
    from brand.forms import BrandForm
    from brand.models import Brand

    _, lymphoma = two_hubs
    brand = Brand.objects.get(hub=lymphoma)
    form = BrandForm({"name": "Renamed", "tagline": "", "accent": "#0b4f8a"}, instance=brand)

    assert form.is_valid(), form.errors
    form.save()
    brand.refresh_from_db()
    assert (brand.hub, brand.name) == (lymphoma, "Renamed")


def test_the_cookie_banner_names_the_hub(two_hubs):
    there = Client(HTTP_HOST=LYMPHOMA).get("/").content.decode()

    assert "Cookies on the Lymphoma Matters" in there
    assert "Cookies on the Myeloma Matters" in Client().get("/").content.decode()
