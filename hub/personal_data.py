"""What the contact form holds about a reader (kept by email, not by account)."""

from hub.models import ContactMessage


def contact_messages(user):
    return list(
        ContactMessage.objects.filter(email__iexact=user.email).values(
            "name", "subject", "message", "created_at"
        )
    )


def erase_contact_messages(user):
    ContactMessage.objects.filter(email__iexact=user.email).delete()
