"""The banner's two buttons and the cookie settings form post here, then go back."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import gate_exempt, safe_next, same_origin_post
from consent.decisions import apply_decisions, optional_groups


def _back(request):
    return redirect(safe_next(request, request.POST.get("next")))


@gate_exempt
@same_origin_post  # the banner is on shared pages: no CSRF token, a same-site check
@require_POST
def accept_all(request):
    decisions = dict.fromkeys(optional_groups(), True)
    return apply_decisions(request, _back(request), decisions)


@gate_exempt
@same_origin_post  # the banner is on shared pages: no CSRF token, a same-site check
@require_POST
def reject_all(request):
    decisions = dict.fromkeys(optional_groups(), False)
    return apply_decisions(request, _back(request), decisions)


@gate_exempt
@require_POST
def choose(request):
    """One choice per optional group (radio buttons named after the group)."""
    decisions = {
        group: request.POST[group.varname] == "accept"
        for group in optional_groups()
        if request.POST.get(group.varname) in ("accept", "decline")
    }
    response = _back(request)
    if decisions:
        apply_decisions(request, response, decisions)
        messages.success(request, _("Your cookie choices were saved."))
    return response
