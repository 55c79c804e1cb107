"""A published article has a publication time: fix rows without one, then constrain.

A row published by .update() or an import that skipped Article.save() had none, and
its page crashed. Such a row gets the time of this migration, as save() would have
given it when publishing.
"""

from django.db import migrations, models
from django.utils import timezone


def give_published_rows_a_time(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="published", published_at__isnull=True).update(
        published_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_seed_search_synonyms")]

    operations = [
        migrations.RunPython(give_published_rows_a_time, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "published"), _negated=True),
                    ("published_at__isnull", False),
                    _connector="OR",
                ),
                name="articles_published_has_time",
                violation_error_message="A published article needs a publication time.",
            ),
        ),
    ]
