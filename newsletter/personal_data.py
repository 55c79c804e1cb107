"""A reader's newsletter subscriptions (kept by email, not by account): export and erase.

A subscription needs no account, so it may be under any of the reader's confirmed
addresses, made before they signed up or while logged out, on any hub.
"""

from accounts.personal_data import by_address
from newsletter.models import Subscriber


def subscriptions(user):
    return [
        {
            "hub": subscriber.hub.name,
            "email": subscriber.email,
            "subscribed": subscriber.created_at,
            "confirmed": subscriber.confirmed_at,
            "interests": [topic.name for topic in subscriber.interests.all()],
        }
        for subscriber in Subscriber.objects.filter(by_address(user))
        .order_by("created_at", "pk")
        .select_related("hub")
        .prefetch_related("interests")
    ]


def erase_subscriptions(user):
    Subscriber.objects.filter(by_address(user)).delete()
