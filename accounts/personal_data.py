"""Everything the Hub holds about a reader: to download it, and to erase it.

Other apps add their own sections with `register` (the project package wires them),
so this module needs to know nothing about them.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accounts.forms import PROFILE_FIELDS

_sections = {}
_erasers = []


def register(name, collect, erase=None):
    """Add a section: `collect(user)` returns JSON-serialisable data; `erase(user)`, if
    given, deletes what deleting the account would not (e.g. rows kept by email)."""
    _sections[name] = collect
    if erase:
        _erasers.append(erase)


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
