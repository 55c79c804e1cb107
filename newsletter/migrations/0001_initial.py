"""Subscribers move from the hub app: the tables are kept and renamed, not recreated."""

import django.db.models.functions.text
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions granted on hub's subscribers carry over."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="hub", model="subscriber").update(app_label="newsletter")


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_subscriber_language"),
        ("articles", "0003_published_at_set_on_publish"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Subscriber",
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
                        ("email", models.EmailField(max_length=254, verbose_name="email address")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="subscribed"),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="confirmed"),
                        ),
                        (
                            "last_digest_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last digest sent"
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[
                                    ("en", "English"),
                                    ("es", "Spanish"),
                                    ("fr", "French"),
                                    ("de", "German"),
                                ],
                                default="en",
                                help_text="The newsletter is written in the language the "
                                "subscriber used.",
                                max_length=10,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "interests",
                            models.ManyToManyField(
                                blank=True,
                                related_name="subscribers",
                                to="articles.topic",
                                verbose_name="interests",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "newsletter subscriber",
                        "verbose_name_plural": "newsletter subscribers",
                        "ordering": ["-created_at"],
                        "db_table": "hub_subscriber",
                        "constraints": [
                            models.UniqueConstraint(
                                django.db.models.functions.text.Lower("email"),
                                name="hub_subscriber_email_ci_unique",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="subscriber", table=None),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
