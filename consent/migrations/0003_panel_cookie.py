"""List the cookie that remembers a closed home-page panel among the necessary ones."""

from django.db import migrations


def add_cookie(apps, schema_editor):
    CookieGroup = apps.get_model("cookie_consent", "CookieGroup")
    Cookie = apps.get_model("cookie_consent", "Cookie")
    group = CookieGroup.objects.filter(varname="necessary").first()
    if group and not group.cookie_set.filter(name="hub_panel").exists():
        Cookie.objects.create(
            cookiegroup=group,
            name="hub_panel",
            description="Remembers that you closed the sign-up suggestion on the home page.",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_bounded_records"),
        ("hub", "0002_site_pages_and_cookie_groups"),
        ("cookie_consent", "0004_cookie_natural_key"),
    ]

    operations = [migrations.RunPython(add_cookie, migrations.RunPython.noop)]
