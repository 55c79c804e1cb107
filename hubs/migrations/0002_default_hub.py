"""The first hub, on DJANGO_BASE_URL's host, under the brand's name if one was set: an
install that served one hub goes on serving it, now as a row."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def create_default_hub(apps, schema_editor):
    Hub = apps.get_model("hubs", "Hub")
    HubHost = apps.get_model("hubs", "HubHost")
    Brand = apps.get_model("brand", "Brand")
    if Hub.objects.exists():
        return
    brand = Brand.objects.first()
    name = brand.name if brand else settings.HUB_SITE_NAME
    hub = Hub.objects.create(slug="hub", name=name, is_default=True)
    host = (urlsplit(settings.HUB_BASE_URL).hostname or "127.0.0.1").lower()
    HubHost.objects.create(hub=hub, host=host, is_primary=True)


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0001_initial"),
        ("brand", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_default_hub, migrations.RunPython.noop)]
