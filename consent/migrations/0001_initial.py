"""Consent records move from the hub app: the table is kept and renamed, not recreated."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions granted on hub's consent records carry over."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="hub", model="consentrecord").update(app_label="consent")


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_subscriber_language"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ConsentRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("group", models.CharField(max_length=50, verbose_name="cookie group")),
                        ("version", models.CharField(max_length=40, verbose_name="version")),
                        (
                            "action",
                            models.CharField(
                                choices=[("accept", "Accepted"), ("decline", "Declined")],
                                max_length=7,
                                verbose_name="decision",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="when"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="consent_records",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "consent record",
                        "verbose_name_plural": "consent records",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "hub_consentrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="consentrecord", table=None),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
