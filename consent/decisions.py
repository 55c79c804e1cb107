"""Reading and applying a visitor's cookie choices.

django-cookie-consent keeps the groups and the consent cookie, and its processor
sets that cookie and removes declined cookies; the Hub adds per-group choices in one
form and keeps a bounded record of each decision (consent.models).
"""

from urllib.parse import urlparse

from cookie_consent.cache import all_cookie_groups
from cookie_consent.conf import settings as consent_settings
from cookie_consent.processor import CookiesProcessor
from cookie_consent.util import get_cookie_value_from_request
from django.conf import settings

from consent.models import Action, ConsentRecord, ConsentTally


def _origins(url):
    if not url:
        return []
    parts = urlparse(url)
    return [f"{parts.scheme}://{parts.netloc}"]


# Third-party origins each optional group may load from, once accepted.
THIRD_PARTY_SOURCES = {
    "analytics": lambda: _origins(settings.HUB_ANALYTICS_SCRIPT_URL),
    "translation": lambda: settings.HUB_TRANSLATION_ORIGINS,
}
# Scripts that inject inline styles (Google's translation widget does): their groups
# relax style-src for the visitors who accepted them, and only for those.
INLINE_STYLE_GROUPS = {"translation"}


def optional_groups():
    """The groups a visitor chooses about (the library caches them)."""
    return list(all_cookie_groups().values())


def consent_state(request):
    """{varname: True (accepted) / False (declined) / None (not decided)} per optional group.

    Read once per request: the page's context and its CSP both need it.
    """
    if not hasattr(request, "_consent_state"):
        request._consent_state = {
            group.varname: get_cookie_value_from_request(request, group.varname)
            for group in optional_groups()
        }
    return request._consent_state


def accepted_origins(request):
    """Third-party origins the visitor's accepted groups may load from."""
    accepted = [name for name, ok in consent_state(request).items() if ok]
    return [origin for name in accepted for origin in THIRD_PARTY_SOURCES.get(name, list)()]


def apply_decisions(request, response, decisions):
    """Apply {group: accepted?} with the library's processor, and record each decision."""
    processor = CookiesProcessor(request, response)
    cookie = consent_settings.COOKIE_CONSENT_NAME
    for action, accepted in ((Action.DECLINE, False), (Action.ACCEPT, True)):
        groups = [group for group, choice in decisions.items() if choice is accepted]
        if not groups:
            continue
        processor.process(groups, action=action.value)
        # The processor starts from the request's cookie: the next call must see this one.
        request.COOKIES[cookie] = response.cookies[cookie].value
    request.__dict__.pop("_consent_state", None)
    _record(request.user, decisions)
    return response


def _record(user, decisions):
    for group, accepted in decisions.items():
        action = Action.ACCEPT if accepted else Action.DECLINE
        if user.is_authenticated:
            ConsentRecord.remember(user, group.varname, group.get_version(), action)
        else:
            ConsentTally.count_one(group.varname, action)
