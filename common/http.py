"""HTTP helpers every app uses: safe redirects, the gate's and the page cache's marks."""

import functools
from urllib.parse import urlsplit

from django.http import HttpResponseForbidden
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


def safe_next(request, candidate, default="/"):
    """A same-site path starting with "/" (never a URL name, another host or a scheme).

    `redirect()` treats a bare word such as "home" as a URL name to reverse, so a
    crafted `next=abc` must not reach it.
    """
    if (
        isinstance(candidate, str)
        and candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


def gate_exempt(view):
    """Mark a view that visitors reach without declaring to be healthcare professionals.

    Everything else is behind the HCP gate (accounts.gate), which reads this mark. A
    bound method (an admin site's log-in view) is marked on its function.
    """
    getattr(view, "__func__", view).hcp_gate_exempt = True
    return view


def gate_exempt_urls(urls):
    """Mark every view under `urls`: an include(), a urlconf module or a list of patterns."""
    if isinstance(urls, tuple):  # include() gives (urlconf, app_name, namespace)
        _mark(urls[0])
    else:
        _mark(urls)
    return urls


def _mark(urlconf):
    patterns = getattr(urlconf, "urlpatterns", urlconf)
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):  # a nested include
            _mark(pattern.url_patterns)
        else:
            gate_exempt(pattern.callback)


def shared_page(view=None, *, query=(), holes=(), shape=()):
    """Mark a view whose page is the same for every declared reader who is not logged in
    with the same variant (language, consent choices: pagecache/CONTRACT.md).

    HTTP caches may keep such a page and serve it without running the view, so what it
    shows must not depend on who asks. `query` names the query parameters the view
    reads; a request with others is redirected to the URL without them.

    `holes` names the variables of a TemplateResponse's context that are all that
    differs between the view's pages of the same `shape` (a search's query and
    results): the page around them may be rendered once per variant and shape and
    kept, each page putting in its own values, escaped as the template would
    (pagecache.frames). The template may only print holes; its branches test the
    `shape` variables (a few booleans and small numbers).
    """

    def mark(view):
        view.hub_shared_page = True
        view.hub_query = tuple(query)
        view.hub_holes = tuple(holes)
        view.hub_shape = tuple(shape)
        return view

    return mark if view is None else mark(view)


MAX_RETURN_PATH = 500


def return_path(request):
    """Where site-wide forms (cookie banner, language) send the reader back to: this
    page's path and query, or only its path when that is too long to carry."""
    full_path = request.get_full_path()
    return full_path if len(full_path) <= MAX_RETURN_PATH else request.path


def once_per_request(request, name, compute):
    """`compute()`'s value, worked out once per request however many parts of the page
    ask (two slot guests showing the same state, say)."""
    values = request.__dict__.setdefault("hub_once", {})
    if name not in values:
        values[name] = compute()
    return values[name]


def tag_page(request, *keys):
    """Name what the page shows, as surrogate keys ("article-12", "articles"): a change
    to any of them purges the page from every cache (pagecache/CONTRACT.md)."""
    request.cache_keys = getattr(request, "cache_keys", set()) | set(keys)


def same_origin_post(view):
    """For a POST that carries no CSRF token because its form is on pages shared by
    every reader: it only sets the visitor's own cookies or starts a rate-limited
    double opt-in. A browser says where the form was (Sec-Fetch-Site, else Origin, else
    Referer); anything from another site is refused with 403."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and not _from_this_site(request):
            return HttpResponseForbidden(_("This form must be sent from this site."))
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)


def _from_this_site(request):
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    origin = urlsplit(source)
    return (origin.scheme, origin.netloc) == (request.scheme, request.get_host())


def personal_for_members(view):
    """Mark a shared page that shows logged-in readers more than personal slot guests
    (the home page's recommendations): it is rendered in full for each of them."""
    view.hub_personal_for_members = True
    return view
