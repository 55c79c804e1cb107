"""What the contact form and the task queue hold about a reader (kept by email, not by
account)."""

from django.db.models import F

from accounts.personal_data import addresses, by_address
from common.mail import emails_naming, erase_emails_naming
from hub.models import ContactMessage


def contact_messages(user):
    return list(
        ContactMessage.objects.filter(by_address(user)).values(
            "name", "subject", "message", "created_at", hub_name=F("hub__name")
        )
    )


def erase_contact_messages(user):
    ContactMessage.objects.filter(by_address(user)).delete()


def emails(user):
    """Emails to or about the reader still in the task queue (sent ones until pruned)."""
    return emails_naming(addresses(user))


def erase_emails(user):
    erase_emails_naming(addresses(user))
