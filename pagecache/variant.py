"""What makes two readers' copies of a shared page differ: the page's variant.

A shared page (one marked `common.http.shared_page`, for a reader who is not logged
in) is the same bytes for everyone with the same variant. The variant is a short
string, e.g. ``d=1;l=es;p=0;c=`` (declared at the gate, language, the sign-up panel
closed, the consent cookie as sent). Django sends the variant it rendered in the
`X-Hub-Variant` response header; a cache in front of it (Varnish with deploy/hub.vcl,
or pagecache.wsgi in the app server) works out the same string from the request and
keeps a response only when the two agree, so a request that fools the cache's
reckoning never stores a page under another variant.

Apps add their part in their AppConfig.ready() (the project wires the gate, the panel
and consent); the language is Django's own choice from the cookie and Accept-Language.
Each part must be something a proxy can read off the request's headers too.
"""

import re

from django.utils import translation

from common.http import once_per_request

HEADER = "X-Hub-Variant"

_parts = {}


def register(name, part):
    """Add `part(request) -> str` to the variant, under a one-letter `name`; the part
    returns None when the request cannot share a page (the page is then personal)."""
    _parts[name] = part


def raw_cookie(request, name):
    """A cookie's value exactly as the browser sent it (quotes and all): what a proxy's
    regular expression on the Cookie header finds (the last one of that name, as
    Django's parser keeps the last), so both agree to the byte. "" when there is none;
    None when Django reads the header differently (odd spacing or escapes), so that
    what Django renders is always a function of the value the variant names."""
    header = request.META.get("HTTP_COOKIE", "")
    parsed = request.COOKIES.get(name)
    if name not in header:
        return "" if parsed is None else None
    found = _cookie_pattern(name).findall(header)
    raw = found[-1] if found else ""
    plain = raw[1:-1] if len(raw) > 1 and raw[0] == raw[-1] == '"' else raw
    if (parsed or "") != plain or "\\" in raw or raw != raw.strip():
        return None
    return raw


_patterns = {}


def _cookie_pattern(name):
    pattern = _patterns.get(name)
    if pattern is None:
        pattern = _patterns[name] = re.compile(rf"(?:^|;)\s*{re.escape(name)}=([^;]*)")
    return pattern


def language(request):
    return translation.get_language_from_request(request)


def of(request):
    """The request's variant, the same string for every reader who gets the same bytes,
    or None when this request's page must not be shared. Worked out once per request."""
    return once_per_request(request, "hub-variant", lambda: _of(request))


def _of(request):
    parts = [f"l={language(request)}"]
    for name, part in sorted(_parts.items()):
        value = part(request)
        if value is None:
            return None
        parts.append(f"{name}={value}")
    return ";".join(parts)
