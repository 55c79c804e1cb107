import pytest

from brand.models import Brand
from hubs.models import Hub, HubHost

LYMPHOMA = "lymphoma.test"


@pytest.fixture
def two_hubs(settings):
    """The first hub on testserver, branded Myeloma Matters; a second, Lymphoma Matters,
    on lymphoma.test (www.lymphoma.test redirecting to it)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".test"]
    first = Hub.objects.get(is_default=True)
    first.hosts.all().delete()
    HubHost.objects.create(hub=first, host="testserver", is_primary=True)
    Brand.objects.create(hub=first, name="Myeloma Matters")
    second = Hub.objects.create(slug="lymphoma", name="Lymphoma")
    HubHost.objects.create(hub=second, host=LYMPHOMA, is_primary=True)
    HubHost.objects.create(hub=second, host=f"www.{LYMPHOMA}")
    Brand.objects.create(hub=second, name="Lymphoma Matters", accent="#6b2b5d")
    return first, second
