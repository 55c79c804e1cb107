"""What the site around the content holds about a reader: to export and to erase."""

from hub.models import ConsentRecord, ContactMessage, Subscriber


def cookie_decisions(user):
    return list(
        ConsentRecord.objects.filter(user=user).values("group", "version", "action", "created_at")
    )


def newsletter(user):
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


def contact_messages(user):
    return list(
        ContactMessage.objects.filter(email__iexact=user.email).values(
            "name", "subject", "message", "created_at"
        )
    )


def erase_newsletter_and_messages(user):
    """Kept by email, not by account: erased with the account all the same."""
    Subscriber.objects.filter(email__iexact=user.email).delete()
    ContactMessage.objects.filter(email__iexact=user.email).delete()
