"""Keep one record per reader and group, and only daily counts for anonymous visitors.

Existing anonymous records become counts; a reader's older records give way to
their latest decision per group.
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate


def compact(apps, schema_editor):
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    ConsentTally = apps.get_model("consent", "ConsentTally")
    anonymous = ConsentRecord.objects.filter(user__isnull=True)
    counts = (
        anonymous.annotate(day=TruncDate("created_at"))
        .values("day", "group", "action")
        .annotate(count=Count("pk"))
    )
    ConsentTally.objects.bulk_create(ConsentTally(**row) for row in counts)
    anonymous.delete()
    latest = ConsentRecord.objects.values("user", "group").annotate(keep=Max("pk"))
    keep = [row["keep"] for row in latest]
    ConsentRecord.objects.exclude(pk__in=keep).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ConsentTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("group", models.CharField(max_length=50, verbose_name="cookie group")),
                (
                    "action",
                    models.CharField(
                        choices=[("accept", "Accepted"), ("decline", "Declined")],
                        max_length=7,
                        verbose_name="decision",
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0, verbose_name="decisions")),
            ],
            options={
                "verbose_name": "anonymous decisions per day",
                "verbose_name_plural": "anonymous decisions per day",
                "ordering": ["-day", "group", "action"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "group", "action"), name="consent_one_tally_per_day"
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="consentrecord",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="when"
            ),
        ),
        migrations.RunPython(compact, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="consentrecord",
            constraint=models.UniqueConstraint(
                condition=Q(("user__isnull", False)),
                fields=("user", "group"),
                name="consent_one_record_per_reader_and_group",
            ),
        ),
    ]
