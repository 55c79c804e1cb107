"""The accent colour as a stylesheet: no inline style, so the CSP stays strict and a
stored page (which cannot carry a nonce) gets the colour like any other."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from brand.models import current
from common.http import gate_exempt

YEAR = 60 * 60 * 24 * 365


@gate_exempt
@require_safe
def stylesheet(request):
    values = current()
    css = (
        f":root {{ --brand-accent: {values.accent}; --brand-accent-dark: {values.accent_dark}; }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    # The address names the colour's version: that one never changes, any other is stale.
    wanted = values.stylesheet_url.partition("?v=")[2]
    if wanted and request.GET.get("v") == wanted:
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "public, max-age=60"
    return response
