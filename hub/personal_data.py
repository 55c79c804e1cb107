"""What the contact form holds about a reader (kept by email, not by account)."""

from accounts.personal_data import by_address
from hub.models import ContactMessage


def contact_messages(user):
    return list(
        ContactMessage.objects.filter(by_address(user)).values(
            "name", "subject", "message", "created_at"
        )
    )


def erase_contact_messages(user):
    ContactMessage.objects.filter(by_address(user)).delete()
