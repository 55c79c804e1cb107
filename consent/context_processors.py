"""The banner and the consented third-party scripts, for every page."""

from django.conf import settings
from django.urls import reverse

from consent.decisions import consent_state


def consent(request):
    state = consent_state(request)
    return {
        "consent": state,
        "show_cookie_banner": any(choice is None for choice in state.values())
        and not request.path.startswith(reverse("cookie_settings")),
        # Third-party scripts, only for groups the visitor accepted.
        "analytics_script_url": settings.HUB_ANALYTICS_SCRIPT_URL if state.get("analytics") else "",
        "translation_script_url": settings.HUB_TRANSLATION_SCRIPT_URL
        if state.get("translation")
        else "",
    }
