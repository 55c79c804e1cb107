"""A brand per hub: the one brand becomes the default hub's."""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models


def give_brand_to_default_hub(apps, schema_editor):
    Brand = apps.get_model("brand", "Brand")
    Hub = apps.get_model("hubs", "Hub")
    hub = Hub.objects.filter(is_default=True).first()
    if hub is not None:
        Brand.objects.filter(hub__isnull=True).update(hub=hub)
    Brand.objects.filter(hub__isnull=True).delete()  # none: the default hub always exists


def restart_ids(apps, schema_editor):
    """The id was fixed at 1; new brands count on from the rows there are."""
    Brand = apps.get_model("brand", "Brand")
    connection = schema_editor.connection
    for statement in connection.ops.sequence_reset_sql(no_style(), [Brand]):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("brand", "0001_initial"),
        ("hubs", "0002_default_hub"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="brand", name="brand_is_a_single_row"),
        migrations.AddField(
            model_name="brand",
            name="hub",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="brand",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.RunPython(give_brand_to_default_hub, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="brand",
            name="hub",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="brand",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AlterField(
            model_name="brand",
            name="id",
            field=models.BigAutoField(
                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
            ),
        ),
        migrations.RunPython(restart_ids, migrations.RunPython.noop),
    ]
