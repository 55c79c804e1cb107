"""Everything the Hub holds about a reader: to download it, and to erase it.

Other apps add their own sections with `register` (the project package wires them),
so this module needs to know nothing about them.
"""

from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Q

from accounts.forms import PROFILE_FIELDS

_sections = {}
_erasers = []


def register(name, collect, erase=None):
    """Add a section: `collect(user)` returns JSON-serialisable data; `erase(user)`, if
    given, deletes what deleting the account would not (e.g. rows kept by email)."""
    _sections[name] = collect
    if erase:
        _erasers.append(erase)


def addresses(user):
    """The reader's addresses, lower-cased: the account's and every other one they confirmed.

    What the Hub keeps by address (a newsletter subscription, contact messages, queued
    emails) may have been left under any of them, logged in or not. An address added and
    never confirmed could be anyone's: its data is neither shown nor erased.
    """
    confirmed = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    return sorted({user.email.lower(), *(email.lower() for email in confirmed)})


def by_address(user, field="email"):
    """A filter for rows whose `field` is one of the reader's addresses, in any case."""
    return reduce(or_, (Q(**{f"{field}__iexact": email}) for email in addresses(user)))


def erase_personal_data(user):
    """Run before the account itself is deleted (its own rows cascade)."""
    for erase in _erasers:
        erase(user)


def personal_data(user):
    data = {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "hcp_declared_at": user.hcp_declared_at,
            **{field: str(getattr(user, field)) for field in PROFILE_FIELDS},
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "two_factor_methods": list(
            Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")
        ),
        "areas_of_interest": list(user.interests.values_list("name", flat=True)),
        "bookmarks": [
            {"article": b.article.title, "url": b.article.get_absolute_url(), "saved": b.created_at}
            for b in user.bookmarks.select_related("article")
        ],
    }
    for name, collect in _sections.items():
        data[name] = collect(user)
    return data
