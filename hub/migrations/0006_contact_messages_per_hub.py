import django.db.models.deletion
from django.db import migrations, models

import hub.models


def to_first_hub(apps, schema_editor):
    """Messages so far were sent to the first hub."""
    first = apps.get_model("hubs", "Hub").objects.filter(is_default=True).first()
    if first is not None:
        apps.get_model("hub", "ContactMessage").objects.update(hub=first)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0005_content_on_hubs"),
        ("hubs", "0003_contact_recipients"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactmessage",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.RunPython(to_first_hub, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contactmessage",
            name="hub",
            field=models.ForeignKey(
                default=hub.models.current_hub,
                help_text="The hub whose contact form it was sent from.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
    ]
