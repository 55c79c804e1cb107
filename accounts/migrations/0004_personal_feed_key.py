"""Every reader gets a personal feed key: added empty, filled one by one, then unique.

Adding a unique field with a default in one step would give every existing row the
same key (the default is computed once), so the keys are filled in between.
"""

import accounts.models
from django.db import migrations, models


def give_every_reader_a_key(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(feed_key__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(feed_key=accounts.models.new_feed_key())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_patient_organisations")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="feed_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_every_reader_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="feed_key",
            field=models.CharField(
                default=accounts.models.new_feed_key,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="personal feed key",
            ),
        ),
    ]
