"""Start the site with its pages and cookie groups; editors change both in the admin."""

from django.db import migrations

from hub.site_content import install


def create(apps, schema_editor):
    install(
        apps.get_model("hub", "Page"),
        apps.get_model("cookie_consent", "CookieGroup"),
        apps.get_model("cookie_consent", "Cookie"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("cookie_consent", "0004_cookie_natural_key"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
