"""What the consent app holds about a reader, for their data export."""

from django.db.models import F

from consent.models import ConsentRecord


def cookie_decisions(user):
    return list(
        ConsentRecord.objects.filter(user=user).values(
            "group", "version", "action", "created_at", hub_name=F("hub__name")
        )
    )
