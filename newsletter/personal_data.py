"""A reader's newsletter subscription (kept by email, not by account): export and erase."""

from newsletter.models import Subscriber


def subscription(user):
    subscriber = (
        Subscriber.objects.filter(email__iexact=user.email).prefetch_related("interests").first()
    )
    if subscriber is None:
        return None
    return {
        "email": subscriber.email,
        "subscribed": subscriber.created_at,
        "confirmed": subscriber.confirmed_at,
        "interests": [topic.name for topic in subscriber.interests.all()],
    }


def erase_subscription(user):
    Subscriber.objects.filter(email__iexact=user.email).delete()
