"""Shared pages that differ only in a few values: the page around them rendered once.

A search is a shared page like any other (the same bytes for every reader with the
same variant who asks the same query), but no two readers need ask the same query, so
a kept copy of the page seldom serves anyone. What differs between two searches is
only the query, where it is printed (the title, the search box, the language form's
return address) and what it found. A view names those context variables
(`common.http.shared_page(holes=...)`), and the ones its template's branches test
(`shape=`: a few booleans and small numbers), and answers with a TemplateResponse.
For a reader who is not logged in, this middleware renders the template once per
variant and shape with a marker in each hole (common.holes), keeps the text between
the markers in this process (the "shells" shelf, dropped by the same purges as every
kept page) and makes each page by joining the kept text with the request's values,
escaped as the template's own `{{ name }}` would escape them.

A frame is kept only when each marker came out whole (a filter that changed one, such
as `truncatechars` or `json_script`, would show in the count of marker characters:
the page is then rendered in full every time) and the page used no CSP nonce. The
holes may only be printed by the template, never tested or transformed:
pagecache/CONTRACT.md.
"""

from django.conf import settings

from common.holes import fill, marker, split
from pagecache import local, variant
from pagecache.middleware import is_shared, logged_in_or_messages


def frame_key(request, view, holes, shape):
    """The key of the frame this request's page is made from, or None."""
    if (
        not holes
        or not settings.HUB_PAGE_CACHE
        or request.method not in ("GET", "HEAD")
        or not is_shared(view)
        or logged_in_or_messages(request)
        or getattr(request, "user", None) is None
        or request.user.is_authenticated
        or request.path != request.path_info
    ):
        return None
    found = variant.of(request)
    if found is None:
        return None
    where = (view.__module__, view.__qualname__, request.scheme, request.get_host())
    return ("frame", *where, found, shape)


class Filled:
    """A template, as a TemplateResponse takes one, that is the frame with its values:
    the response then renders as it would (its post-render callbacks included)."""

    def __init__(self, parts, values):
        self.parts, self.values = parts, values

    def render(self, context=None, request=None):
        return fill(self.parts, self.values)


class FrameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        view = getattr(request, "hub_view", None)
        holes = getattr(view, "hub_holes", ())
        context = response.context_data or {}
        try:
            values = [context[name] for name in holes]
            shape = tuple(context[name] for name in getattr(view, "hub_shape", ()))
            hash(shape)
        except (KeyError, TypeError):
            return response
        key = frame_key(request, view, holes, shape)
        if key is None:
            return response
        watch = local.watch()
        copy, version = watch.lookup("shells", key)
        if copy is not None:
            request.page_cache = "frame-hit"
            response.template_name = Filled(copy.value, values)
            return response
        marked = {**context, **{name: marker(n) for n, name in enumerate(holes)}}
        template = response.resolve_template(response.template_name)
        content = template.render(marked, request)
        parts = split(content, len(holes))
        if parts is None:
            return response  # rendered as it always is
        if (
            version is not None
            and response.status_code == 200
            and not response.cookies
            and (
                not getattr(request, "csp_nonce", None)  # True once a nonce was made
            )
        ):
            watch.keep(
                "shells",
                key,
                parts,
                size=len(content),
                keys=getattr(request, "cache_keys", ()),
                version=version,
                # The frame shows no article (the year in the footer, at most).
                seconds=settings.HUB_PAGE_CACHE_SECONDS,
            )
        request.page_cache = "frame-miss"
        response.template_name = Filled(parts, values)
        return response
