"""A shared page cache for declared readers who are not logged in.

Most page views come from readers who passed the HCP gate without logging in, and
their pages are the same for all of them: the page cache stores such a page in the
shared cache (Redis in production) and serves it to the next such reader before the
session, authentication and view code run, with no database query.

It is the outermost middleware but the request log, so a stored page is the final
response, security and CSP headers included, and a hit costs one cache round trip.
What makes a page differ is in the key: scheme, host, path and query, language, the
consent cookie (its value is the same for everyone who made the same choices about
the same version of the groups), the cookie that hides the home page's sign-up
panel, and whether the visitor declared being an HCP (an undeclared visitor gets the
gate page, which is stored too, under its own key). Only views marked
`common.http.shared_page` are cached, only for GET requests with no session (nobody
logged in) and no pending message. The page's personal bits never reach another
visitor: CSRF tokens are stored as a placeholder and each reader gets their own on
the way out; a page that used a CSP nonce or set a cookie of its own is not stored;
a visitor still holding a cookie that consent may require removing goes the full way,
where django-cookie-consent removes it.

Saving or deleting any content (hub.apps wires the signals) changes the shared
generation, which invalidates every stored page on every app server at once; a
stored page also expires when the next scheduled article is due, and after
PAGE_CACHE_SECONDS in any case.
"""

import hashlib
import time
import uuid
from http.cookies import SimpleCookie

from cookie_consent.cache import all_cookie_groups
from cookie_consent.conf import settings as consent_settings
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Min
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from accounts.gate import COOKIE_NAME as GATE_COOKIE
from accounts.gate import declared_by_cookie
from accounts.views import panel_dismissed
from articles import reach
from articles.models import Article
from hub import page_memo
from hub.csrf_tokens import (
    CSRF_FIELD,
    CSRF_PLACEHOLDER,
    CSRF_PLACEHOLDER_BYTES,
    csrf_cookie_header,
    csrf_token,
)

GENERATION_KEY = "pagecache:generation"
CACHE_HEADER = "X-Page-Cache"


def forget_all_pages(**kwargs):
    """Invalidate every stored page (a signal receiver: content was saved or deleted),
    now and again once the change is committed: a page another server rendered in
    between, from the data before the change, is then invalidated too."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    memo = page_memo.watch()
    if memo is not None:
        memo.forget()


def start_generation():
    """The first generation, when there is none yet; None if another server just made one."""
    generation = uuid.uuid4().hex
    return generation if cache.add(GENERATION_KEY, generation, timeout=None) else None


# Per-process memos for the hit path, which runs on most requests: whether a path's
# view answers it (the URL configuration does not change while a process runs),
# which gate cookies were verified lately (re-verified after DECLARED_MEMO_SECONDS),
# which hosts Django accepts and which language a cookie and Accept-Language choose
# (both follow the settings, and are forgotten when a test changes them).
MEMO_SIZE = 10_000
DECLARED_MEMO_SECONDS = 60
_views = {}
_declared = {}
_hosts = {}
_languages = {}


def view_of(path):
    """The view function for a path (None when nothing answers it), remembered."""
    try:
        return _views[path]
    except KeyError:
        pass
    try:
        view = resolve(path).func
    except Resolver404:
        view = None
    if len(_views) >= MEMO_SIZE:
        _views.clear()
    _views[path] = view
    return view


def _is_shared(path):
    return getattr(view_of(path), "hub_shared_page", False)


MEMO_VALUE_LENGTH = 200  # longer header values are looked at each time, not remembered
_UNKNOWN = object()


def _host(request):
    """request.get_host(), or None when Django would refuse the host (remembered for a
    plain Host header; anything else, as Django reads it, each time)."""
    host = request.META.get("HTTP_HOST")
    memo = host is not None and len(host) <= MEMO_VALUE_LENGTH and not settings.USE_X_FORWARDED_HOST
    if memo:
        found = _hosts.get(host, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
    try:
        valid = request.get_host()
    except Exception:
        valid = None
    if memo:
        if len(_hosts) >= MEMO_SIZE:
            _hosts.clear()
        _hosts[host] = valid
    return valid


def _language(cookie, accept_language):
    """The language Django picks from the language cookie and Accept-Language
    (remembered, for values of a sensible length)."""
    key = (cookie, accept_language)
    language = _languages.get(key)
    if language is not None:
        return language
    request = HttpRequest()
    if cookie is not None:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    if accept_language is not None:
        request.META["HTTP_ACCEPT_LANGUAGE"] = accept_language
    language = translation.get_language_from_request(request)
    if len(cookie or "") + len(accept_language or "") <= MEMO_VALUE_LENGTH:
        if len(_languages) >= MEMO_SIZE:
            _languages.clear()
        _languages[key] = language
    return language


def _is_declared(request):
    value = request.COOKIES.get(GATE_COOKIE)
    if not value:
        return False
    now = time.monotonic()
    if _declared.get(value, 0) > now:
        return True
    if not declared_by_cookie(request):
        return False
    if len(_declared) >= MEMO_SIZE:
        _declared.clear()
    _declared[value] = now + DECLARED_MEMO_SECONDS
    return True


def cache_key(prefix, varies):
    """A short key for everything a stored page depends on."""
    return prefix + hashlib.sha256(repr(varies).encode()).hexdigest()


def consent_cookie(request):
    """The consent cookie's value: the same for everyone who made the same choices."""
    return request.COOKIES.get(consent_settings.COOKIE_CONSENT_NAME, "")


def read(key):
    """(the stored entry, the current generation): one round trip to the cache."""
    found = cache.get_many([key, GENERATION_KEY])
    return found.get(key), found.get(GENERATION_KEY)


def shareable(response):
    """The response's content with each CSRF token replaced by the placeholder, and its
    headers without those the way out sets again."""
    content = CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode())
    headers = {
        k: v for k, v in response.items() if k.lower() not in ("content-length", CACHE_HEADER)
    }
    return content, headers


def page_key(request):
    """The cache key for this request's page, or None when it must not be cached."""
    if not settings.HUB_PAGE_CACHE or request.method != "GET":
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None  # perhaps logged in, or a message to show once
    if not _is_shared(request.path_info):
        return None
    host = _host(request)
    if host is None:
        return None  # a host Django will refuse (400) on the full path
    meta = request.META
    varies = (
        _is_declared(request),
        request.scheme,
        host,
        request.path,
        meta.get("QUERY_STRING", ""),
        _language(cookies.get(settings.LANGUAGE_COOKIE_NAME), meta.get("HTTP_ACCEPT_LANGUAGE")),
        consent_cookie(request),
        panel_dismissed(request),
    )
    return cache_key("page:v3:", varies)  # v3: with the time it expires


def seconds_to_live():
    """PAGE_CACHE_SECONDS, or less when a scheduled article is due before then."""
    due = Article.objects.scheduled().aggregate(next=Min("published_at"))["next"]
    seconds = settings.HUB_PAGE_CACHE_SECONDS
    if due is not None:
        seconds = min(seconds, max(1, int((due - timezone.now()).total_seconds())))
    return seconds


def _storable(request, response):
    gate = getattr(response, "hcp_gate", False)  # no-cache for browsers, shared here
    return (
        response.status_code == 200
        and not response.streaming
        and (gate or not response.has_header("Cache-Control"))
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and not request.user.is_authenticated
    )


def _keep(memo, key, stored):
    """Give hub.page_memo a copy of a stored page, split where each reader's token goes
    (joining the pieces costs less than finding the placeholders on every hit)."""
    copy = {name: value for name, value in stored.items() if name != "content"}
    copy["parts"] = stored["content"].split(CSRF_PLACEHOLDER_BYTES)
    memo.keep(key, copy, size=len(stored["content"]))


def lookup(request):
    """(key, the stored page if it may be served, generation); key is None when this
    request's page is not cached at all."""
    key = page_key(request)
    if key is None:
        return None, None, None
    memo = page_memo.watch()
    stored = None if memo is None else memo.get(key)
    if stored is not None:
        generation = stored["generation"]
    else:
        stored, generation = read(key)
        if stored is None or stored["generation"] != generation:
            stored = None
        elif memo is not None:
            _keep(memo, key, stored)
    if stored is not None and stored["watched_cookies"].intersection(request.COOKIES):
        stored = None
    return key, stored, generation


_csrf = CsrfViewMiddleware(lambda request: None)


@receiver(setting_changed)
def _settings_changed(**kwargs):
    _hosts.clear()
    _languages.clear()


def replayed(request, stored):
    """(headers, body) of the stored page for this reader."""
    request.page_cache = "hit"
    if stored.get("reach_article"):
        reach.record_read(stored["reach_article"], reach.reader_key(request))
    return for_reader(request, stored["headers"], stored.get("parts") or stored["content"], "hit")


def for_reader(request, headers, content, label):
    """(headers, body) of a stored page with this reader's own CSRF token, and the CSRF
    cookie renewed (or new, if they had none), as Django's middleware would. `content`
    is the stored bytes, or their pieces between the CSRF placeholders."""
    headers = [*headers, (CACHE_HEADER, label)]
    parts = content.split(CSRF_PLACEHOLDER_BYTES) if isinstance(content, bytes) else content
    if len(parts) == 1:
        content = parts[0]  # no form on the page
    else:
        _csrf.process_request(request)  # the reader's secret, if their cookie is sound
        content = csrf_token(request).encode().join(parts)
        headers.append(("Set-Cookie", csrf_cookie_header(request.META["CSRF_COOKIE"])))
    headers.append(("Content-Length", str(len(content))))
    return headers, content


def replay(request, stored):
    """The stored page as a response (for the middleware; the WSGI handler uses replayed)."""
    headers, content = replayed(request, stored)
    response = HttpResponse(content)
    for name, value in headers:
        if name == "Set-Cookie":
            cookie = SimpleCookie()
            cookie.load(value)
            response.cookies.update(cookie)
        else:
            response[name] = value
    return response


class PageCacheMiddleware:
    """Serves and stores pages inside Django; hub.wsgi serves the hits before Django's
    handler (the same lookup and replay), so here they are the test client's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key, stored, generation = lookup(request)
        if key is None:
            request.page_cache = "bypass"
            response = self.get_response(request)
            response.setdefault(CACHE_HEADER, "bypass")  # the member shells may have said
            return response
        if stored is not None:
            return replay(request, stored)
        request.page_cache = "miss"
        response = self.get_response(request)
        if _storable(request, response):
            self._store(key, generation, response, getattr(request, "reach_article_id", None))
        response[CACHE_HEADER] = request.page_cache
        return response

    def _store(self, key, generation, response, reach_article):
        generation = generation or start_generation()
        if generation is None:
            return  # another server started a generation; store next time
        content, headers = shareable(response)
        # Cookies that consent may require removing (CleanCookiesMiddleware does it on
        # the full path): a visitor who holds one is not served from the cache.
        watched = {
            cookie.name
            for group in all_cookie_groups().values()
            if group.is_deletable
            for cookie in group.cookie_set.all()
        }
        seconds = seconds_to_live()
        stored = {
            "generation": generation,
            "headers": list(headers.items()),
            "content": content.encode(),
            "watched_cookies": frozenset(watched),
            "reach_article": reach_article,  # counted on every hit, as the view would
            "expires": time.time() + seconds,  # for copies kept by hub.page_memo
        }
        cache.set(key, stored, timeout=seconds)
        memo = page_memo.watch()
        if memo is not None:
            _keep(memo, key, stored)
