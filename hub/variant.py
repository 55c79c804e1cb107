"""The project's parts of a shared page's variant (pagecache.variant): the HCP gate's
declaration, the sign-up panel closed, and the cookie-consent choices.

Each part is what a proxy can read off the Cookie header too (deploy/hub.vcl does the
same), and only values Django would write itself make a shareable variant, so copies
stay few: a made-up consent cookie gets its page from Django, never kept.
"""

from cookie_consent.cache import all_cookie_groups
from cookie_consent.conf import settings as consent_settings
from cookie_consent.util import dict_to_cookie_str, parse_cookie_str

from accounts.gate import COOKIE_NAME as GATE_COOKIE
from accounts.gate import declared_by_cookie
from accounts.views import PANEL_COOKIE
from common.recently import Recently
from pagecache.variant import raw_cookie

# A consent cookie is checked against the current groups again after a minute.
CONSENTS = Recently(seconds=60)


def gate_part(request):
    """1 for a sound declaration cookie, else 0: checked on every request (signature and
    age), exactly as the gate checks it, so the two never disagree."""
    if not request.COOKIES.get(GATE_COOKIE):
        return "0"
    return "1" if declared_by_cookie(request) else "0"


def panel_part(request):
    """1 when the panel was closed (hub_panel=1 as sent), 0 when it was not; None when
    the cookie says so only after Django's unquoting ("1" in quotes), which a proxy
    would not read the same way."""
    raw = raw_cookie(request, PANEL_COOKIE)
    if raw is None:
        return None
    if raw == "1":
        return "1"
    return None if request.COOKIES.get(PANEL_COOKIE) == "1" else "0"


def consent_part(request):
    """The consent cookie as sent, when it is one Django would write for the current
    groups (each accepted at its current version or declined); None otherwise."""
    raw = raw_cookie(request, consent_settings.COOKIE_CONSENT_NAME)
    if not raw:
        return raw
    return raw if CONSENTS.answer(raw, lambda: _canonical(raw)) else None


def _canonical(raw):
    plain = raw[1:-1] if raw.startswith('"') else raw
    choices = parse_cookie_str(plain)
    groups = all_cookie_groups()
    if dict_to_cookie_str(choices) != plain:
        return False
    for name, version in choices.items():
        group = groups.get(name)
        if group is None or group.is_required:
            return False
        if version not in (consent_settings.COOKIE_CONSENT_DECLINE, group.get_version()):
            return False
    return True
