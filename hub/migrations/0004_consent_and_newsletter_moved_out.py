"""Consent records and newsletter subscribers now belong to apps of their own.

Only the migration state changes here: consent and newsletter took over the tables.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_subscriber_language"),
        ("consent", "0001_initial"),
        ("newsletter", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ConsentRecord"),
                migrations.DeleteModel(name="Subscriber"),
            ],
            database_operations=[],
        ),
    ]
