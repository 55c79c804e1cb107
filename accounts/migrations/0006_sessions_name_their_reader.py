"""Sessions move to accounts.Session, which names its reader; live sessions are copied
so that nobody is logged out by the upgrade."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000


def copy_live_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    old = apps.get_model("sessions", "Session")
    new = apps.get_model("accounts", "Session")
    users = set(apps.get_model("accounts", "User").objects.values_list("pk", flat=True))
    decoder = SessionStore()
    batch = []
    for session in old.objects.filter(expire_date__gt=timezone.now()).iterator(BATCH):
        try:
            user_id = int(decoder.decode(session.session_data).get(SESSION_KEY))
        except (TypeError, ValueError):
            user_id = None
        batch.append(
            new(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
                user_id=user_id if user_id in users else None,
            )
        )
        if len(batch) >= BATCH:
            new.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    new.objects.bulk_create(batch, ignore_conflicts=True)
    old.objects.all().delete()


def copy_back(apps, schema_editor):
    old = apps.get_model("sessions", "Session")
    new = apps.get_model("accounts", "Session")
    old.objects.bulk_create(
        (
            old(session_key=s.session_key, session_data=s.session_data, expire_date=s.expire_date)
            for s in new.objects.iterator(BATCH)
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_feeds_and_specialties_merged"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_live_sessions, copy_back),
    ]
