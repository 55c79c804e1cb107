"""The Content-Security-Policy, widened for a visitor's consented third parties only."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware

from consent.decisions import INLINE_STYLE_GROUPS, accepted_origins, consent_state

DIRECTIVES = ("script-src", "connect-src", "img-src", "style-src", "frame-src", "font-src")


class ConsentCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the origins of the groups this visitor accepted."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        origins = accepted_origins(request)
        if origins:
            update = dict(parts.update or {})
            for directive in DIRECTIVES:
                update[directive] = [*update.get(directive, []), *origins]
            accepted = {name for name, ok in consent_state(request).items() if ok}
            if accepted & INLINE_STYLE_GROUPS:
                update["style-src"] = [*update["style-src"], UNSAFE_INLINE]
            parts.update = update
        return parts
