"""Which responses a shared cache may keep, said the way HTTP says it.

SharedPageMiddleware sits near the top of the stack, so it sees each response as the
rest of the middleware left it (security headers, cookies, Vary). A response is made
public, for Varnish, a CDN or pagecache.wsgi to keep, only when all of this holds:
- the view is marked `common.http.shared_page` (or it is the HCP gate shown instead);
- a GET or HEAD with no session cookie (nobody logged in) and no message waiting;
- 200, not streamed, sets no cookie, used no CSP nonce, no Cache-Control of its own,
  and varies on nothing but cookies and language;
- the request has a variant (pagecache.variant) that a proxy can work out as well.
It then gets `Cache-Control: public, max-age=0, s-maxage=N` (browsers ask again each
time; caches keep it N seconds, less when a scheduled article is due), `Vary: Cookie,
Accept-Language`, `X-Hub-Variant` and `Surrogate-Key` (what it shows, for purges).
With proxies to purge (HUB_PURGE_URLS) it also carries `X-Hub-Content-Version`: the
content version this app server knew before the page was made. A change's PURGE
carries the version it committed, and the proxy keeps no page made under an older one
than the latest it was told of: a page rendered before a change, that reaches the
proxy after the change's PURGE, would otherwise be kept, stale. When the version
cannot be known (the app server cannot hear the database), the page is not shared.
A logged-in reader's pages are `private`.

A shared view names the query parameters it reads (`shared_page(query=...)`); a query
string that is not exactly those, once each, as Django would write them, is
redirected to the one that is, and the views answer 404 to values they do not know (a
content type, a page number), so query strings cannot make endless copies.
"""

import time

from django.conf import settings
from django.db.models import Min
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode

from articles.models import Article
from common import memo
from pagecache import local, variant
from pagecache.store import ALL

CACHE_HEADER = "X-Cache"
KEYS_HEADER = "Surrogate-Key"
VERSION_HEADER = "X-Hub-Content-Version"
VARY_ON = {"cookie", "accept-language"}


def is_shared(view):
    return getattr(view, "hub_shared_page", False)


DUE_CHECK_SECONDS = 60


def _next_due():
    """When the next scheduled article goes live, or None. Kept by each app server until
    an article changes, and read again each minute: an article going live changes no
    row, and until the next read a due time already past gives 1 s (below)."""

    def load():
        return (Article.objects.scheduled().aggregate(next=Min("published_at"))["next"],)

    minute = int(time.time() // DUE_CHECK_SECONDS)
    return memo.content(f"next-due-{minute}", {"articles"}, load)[0]


def seconds_to_live():
    """HUB_PAGE_CACHE_SECONDS, or less when a scheduled article is due before then."""
    due = _next_due()
    seconds = settings.HUB_PAGE_CACHE_SECONDS
    if due is not None:
        seconds = min(seconds, max(1, int((due - timezone.now()).total_seconds())))
    return seconds


def logged_in_or_messages(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def canonical_query(request, names):
    """The query string with only the parameters in `names`, each once, in their order."""
    return urlencode({name: values[0] for name, values in request.GET.lists() if name in names})


def public_variant(request, response):
    """The variant a shared cache may keep this response under, or None."""
    view = getattr(request, "hub_view", None)
    gate = getattr(response, "hcp_gate", False)
    if not (
        settings.HUB_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and (is_shared(view) or (gate and not request.META.get("QUERY_STRING")))
        and not logged_in_or_messages(request)
        and request.path == request.path_info  # no script prefix from a request header
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and (gate or not response.has_header("Cache-Control"))
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    ):
        return None
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= VARY_ON:
        return None
    return variant.of(request)


def _version_for_proxies(request):
    """The content version known before the page is made, for the proxies to compare
    with their latest PURGE's; None when there are no proxies or it cannot be known."""
    if not (
        settings.HUB_PURGE_URLS
        and settings.HUB_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not logged_in_or_messages(request)
    ):
        return None
    return local.watch().current()


class SharedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        version = _version_for_proxies(request)
        response = self.get_response(request)
        found = public_variant(request, response)
        if found is not None and settings.HUB_PURGE_URLS and version is None:
            found = None  # a proxy could not tell whether a change overtook the page
        if found is not None:
            for name in ("Cache-Control", "Expires"):  # the gate's never-cache, for browsers
                if response.has_header(name):
                    del response[name]
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds_to_live())
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            response[variant.HEADER] = found
            keys = getattr(request, "cache_keys", set()) | {ALL}
            response[KEYS_HEADER] = " ".join(sorted(keys))
            if version is not None:
                response[VERSION_HEADER] = str(version)
        elif settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header(
            "Cache-Control"
        ):
            patch_cache_control(response, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.hub_view = view_func
        names = getattr(view_func, "hub_query", None)
        if not is_shared(view_func) or names is None or request.method not in ("GET", "HEAD"):
            return None
        query = request.META.get("QUERY_STRING", "")
        canonical = canonical_query(request, names)
        if query != canonical:  # other parameters, repeats, empty parts, other spellings
            response = HttpResponsePermanentRedirect(
                request.path + (f"?{canonical}" if canonical else "")
            )
            patch_cache_control(response, no_store=True)
            return response
        return None
