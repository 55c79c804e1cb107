"""The HCP gate: content is for healthcare professionals only, enforced on the server.

A visitor who is not logged in and has not declared being an HCP gets the gate page
instead of the page they asked for, so the content never reaches their browser.
The declaration is kept in a signed, strictly necessary cookie only: declaring writes
nothing to the database. Views that anyone may reach carry common.http.gate_exempt.
"""

import secrets

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from accounts.models import PatientOrganisation
from common.http import once_per_request
from common.recently import Recently

COOKIE_NAME = "hub_hcp"
# A cookie whose signature and age were checked is taken as checked for this long by
# the same process (the check is a third of what a kept page costs); it may outlive
# its 30 days, or a rotated SECRET_KEY, by this much at most.
CHECKED = Recently(seconds=60)
COOKIE_SALT = "hub.hcp-gate"
COOKIE_MAX_AGE = 60 * 60 * 24 * 30


def has_declared(request):
    return request.user.is_authenticated or declared_by_cookie(request)


def declaration(request):
    """What the signed cookie set at the gate holds, once its signature and age are
    checked (no session or database needed), or None: a random id for the visitor's
    browser, kept when they declare again ("1" in cookies from before the id). Checked
    once per request, however many parts of the page ask, and once a minute per cookie
    by each process (CHECKED)."""
    sent = request.COOKIES.get(COOKIE_NAME)
    if not sent:
        return None

    def signed():
        value = request.get_signed_cookie(
            COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
        )
        return value or None

    return once_per_request(request, "hcp-declaration", lambda: CHECKED.answer(sent, signed))


def declared_by_cookie(request):
    return declaration(request) is not None


def reader_id(request):
    """Who the declaration says is reading, for reach (articles.reach): the same for a
    browser however often it declares; the whole cookie for an old "1" declaration."""
    value = declaration(request)
    if value is None:
        return None
    return request.COOKIES[COOKIE_NAME] if value == "1" else value


def remember_declaration(request, response):
    value = declaration(request)
    if value in (None, "1"):
        value = secrets.token_urlsafe(12)
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


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
    response.hcp_gate = True  # the same for every undeclared visitor: a page cache may keep it
    return response


class HCPGateMiddleware:
    """Show the gate instead of any view not marked gate_exempt, until the visitor declares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "hcp_gate_exempt", False) or has_declared(request):
            return None
        return gate_response(request)
