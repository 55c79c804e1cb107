"""The HCP gate: content is for healthcare professionals only, enforced on the server.

A visitor who is not logged in and has not declared being an HCP gets the gate page
instead of the page they asked for, so the content never reaches their browser.
The declaration is kept in the session and in a signed, strictly necessary cookie.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.models import PatientOrganisation

SESSION_KEY = "hcp_declared"
COOKIE_NAME = "hub_hcp"
COOKIE_SALT = "hub.hcp-gate"
COOKIE_MAX_AGE = 60 * 60 * 24 * 30


def has_declared(request):
    if request.user.is_authenticated or request.session.get(SESSION_KEY):
        return True
    # The signed cookie alone is proof: no session is written for a returning visitor.
    declared = request.get_signed_cookie(
        COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    return declared == "1"


def remember_declaration(request, response):
    request.session[SESSION_KEY] = True
    response.set_signed_cookie(
        COOKIE_NAME,
        "1",
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def safe_next(request, candidate, default="/"):
    """Only same-site paths: a crafted return URL must never send a reader elsewhere."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def is_exempt(path):
    return path.startswith(tuple(settings.HUB_GATE_EXEMPT_PATHS))


def gate_response(request):
    next_url = request.get_full_path()
    response = render(
        request,
        "accounts/hcp_gate.html",
        {
            "next": next_url,
            "login_url": f"{reverse('account_login')}?{urlencode({'next': next_url})}",
            "organisations": PatientOrganisation.objects.filter(is_active=True),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


class HCPGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_exempt(request.path_info) or has_declared(request):
            return self.get_response(request)
        return gate_response(request)
