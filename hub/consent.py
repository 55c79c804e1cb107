"""Cookie consent: the banner's choices, the settings page, and proof of each decision.

django-cookie-consent keeps the groups, cookies and the consent cookie; the Hub adds
per-group choices in one form, a record of every decision (with the user when
logged in), and third-party scripts that load only after consent.
"""

from urllib.parse import urlparse

from cookie_consent.cache import all_cookie_groups
from cookie_consent.conf import settings as consent_settings
from cookie_consent.models import CookieGroup
from cookie_consent.util import (
    get_cookie_dict_from_request,
    get_cookie_value_from_request,
    set_cookie_dict_to_response,
)
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.gate import safe_next
from hub.models import ConsentRecord, Page

# Third-party origins each optional group may load from, once accepted.
THIRD_PARTY_SOURCES = {
    "analytics": lambda: _origins(settings.HUB_ANALYTICS_SCRIPT_URL),
    "translation": lambda: settings.HUB_TRANSLATION_ORIGINS,
}


def _origins(url):
    if not url:
        return []
    parts = urlparse(url)
    return [f"{parts.scheme}://{parts.netloc}"]


def optional_groups():
    """The groups a visitor chooses about (the library caches only those)."""
    return list(all_cookie_groups().values())


def consent_state(request):
    """{varname: True (accepted) / False (declined) / None (not decided)} per optional group.

    Read once per request: the page's context and its CSP both need it, and each
    group lookup is a trip to the (shared) cache.
    """
    if not hasattr(request, "_consent_state"):
        request._consent_state = {
            group.varname: get_cookie_value_from_request(request, group.varname)
            for group in optional_groups()
        }
    return request._consent_state


def apply_decisions(request, response, decisions):
    """Set the consent cookie, remove declined cookies, and record each decision."""
    cookie_dict = get_cookie_dict_from_request(request)
    user = request.user if request.user.is_authenticated else None
    records = []
    for group, accepted in decisions.items():
        version = group.get_version()
        if accepted:
            cookie_dict[group.varname] = version
        else:
            cookie_dict[group.varname] = consent_settings.COOKIE_CONSENT_DECLINE
            if group.is_deletable:
                for cookie in group.cookie_set.all():
                    response.delete_cookie(cookie.name, cookie.path or "/", cookie.domain or None)
        records.append(
            ConsentRecord(
                group=group.varname,
                version=version,
                action=ConsentRecord.Action.ACCEPT if accepted else ConsentRecord.Action.DECLINE,
                user=user,
            )
        )
    set_cookie_dict_to_response(response, cookie_dict)
    ConsentRecord.objects.bulk_create(records)
    return response


def _back(request):
    return redirect(safe_next(request, request.POST.get("next")))


@require_POST
def accept_all(request):
    decisions = dict.fromkeys(optional_groups(), True)
    return apply_decisions(request, _back(request), decisions)


@require_POST
def reject_all(request):
    decisions = dict.fromkeys(optional_groups(), False)
    return apply_decisions(request, _back(request), decisions)


@require_http_methods(["GET", "POST"])
def cookie_settings(request):
    """The cookie policy, every cookie from the database, and a choice per optional group."""
    groups = list(CookieGroup.objects.prefetch_related("cookie_set").order_by("ordering"))
    state = consent_state(request)
    if request.method == "POST":
        decisions = {
            group: request.POST.get(group.varname) == "accept"
            for group in groups
            if not group.is_required and request.POST.get(group.varname) in ("accept", "decline")
        }
        if decisions:
            response = apply_decisions(request, redirect("cookie_settings"), decisions)
            messages.success(request, _("Your cookie choices were saved."))
            return response
    return render(
        request,
        "hub/cookie_settings.html",
        {
            "page": Page.objects.filter(slug="cookie-policy").first(),
            "groups": [
                {
                    "group": group,
                    "cookies": list(group.cookie_set.all()),
                    "state": state.get(group.varname),
                }
                for group in groups
            ],
        },
    )


class ConsentCSPMiddleware:
    """Allow a consented group's third-party origins in this response's CSP, and only then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        accepted = [name for name, ok in consent_state(request).items() if ok]
        origins = [o for name in accepted for o in THIRD_PARTY_SOURCES.get(name, list)()]
        if origins:
            update = getattr(response, "_csp_update", None) or {}
            for directive in ("script-src", "connect-src", "img-src", "style-src", "frame-src"):
                update[directive] = [*update.get(directive, []), *origins]
            response._csp_update = update
        return response
