import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

import articles.models.hubs


def to_first_hub(apps, schema_editor):
    """Subscribers and issues so far are the first hub's."""
    Hub = apps.get_model("hubs", "Hub")
    first = Hub.objects.filter(is_default=True).first()
    if first is None:
        return
    for name in ("Subscriber", "DigestIssue"):
        apps.get_model("newsletter", name).objects.update(hub=first)


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0002_default_hub"),
        ("newsletter", "0002_digest_issues_and_deliveries"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AddField(
            model_name="digestissue",
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
            model_name="subscriber",
            name="hub",
            field=models.ForeignKey(
                default=articles.models.hubs.default_hub,
                help_text="The hub whose newsletter this is.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AlterField(
            model_name="digestissue",
            name="hub",
            field=models.ForeignKey(
                default=articles.models.hubs.default_hub,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="subscriber",
            name="hub_subscriber_email_ci_unique",
        ),
        migrations.AddConstraint(
            model_name="subscriber",
            constraint=models.UniqueConstraint(
                models.F("hub"),
                django.db.models.functions.text.Lower("email"),
                name="newsletter_one_subscription_per_hub",
            ),
        ),
        migrations.AlterField(
            model_name="digestissue",
            name="date",
            field=models.DateField(verbose_name="date"),
        ),
        migrations.AddConstraint(
            model_name="digestissue",
            constraint=models.UniqueConstraint(
                fields=("hub", "date"), name="newsletter_one_issue_a_day"
            ),
        ),
    ]
