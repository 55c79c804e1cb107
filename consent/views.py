"""The banner's two buttons and the cookie settings form post here.

With JavaScript the page posts them with fetch (Accept: application/json) and updates
in place, so nothing typed on the page is lost and nothing on it is made again (the
two-factor set-up's QR code). Without it, the answer is a redirect back to the same
address, query included: the page comes back as it was, less what was typed into its
forms. Scripts a visitor has just allowed start on the next page, since the page's
Content-Security-Policy was sent before they were allowed.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import gate_exempt, safe_next, same_origin_post
from consent.decisions import THIRD_PARTY_SOURCES, apply_decisions, optional_groups


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _answer(request, decisions, *, flash=False):
    """Apply the decisions to the answer: JSON for the page's script, else the way back
    (with a message to show there, from the settings page; the banner's pages are shared
    and its going away says enough)."""
    message = _("Your cookie choices were saved.")
    if _wants_json(request):
        accepted = sorted(group.varname for group, ok in decisions.items() if ok)
        response = JsonResponse(
            {
                "message": message,
                "accepted": accepted,
                # Third parties the page's policy does not admit yet: they start on reload.
                "start_on_reload": any(THIRD_PARTY_SOURCES.get(name, list)() for name in accepted),
            }
        )
    else:
        response = redirect(safe_next(request, request.POST.get("next")))
        if decisions and flash:
            messages.success(request, message)
    if decisions:
        apply_decisions(request, response, decisions)
    return response


@gate_exempt
@same_origin_post  # the banner is on shared pages: no CSRF token, a same-site check
@require_POST
def accept_all(request):
    return _answer(request, dict.fromkeys(optional_groups(), True))


@gate_exempt
@same_origin_post  # the banner is on shared pages: no CSRF token, a same-site check
@require_POST
def reject_all(request):
    return _answer(request, dict.fromkeys(optional_groups(), False))


@gate_exempt
@require_POST
def choose(request):
    """One choice per optional group (radio buttons named after the group)."""
    return _answer(
        request,
        {
            group: request.POST[group.varname] == "accept"
            for group in optional_groups()
            if request.POST.get(group.varname) in ("accept", "decline")
        },
        flash=True,
    )
