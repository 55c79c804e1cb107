"""Shared pages for logged-in readers: one cached shell per page, holes filled per reader.

An article page differs between logged-in readers only in a few places: the bookmark
buttons, the quiz invitations, the feed links. Those come from personal guests of the
core's slots (articles.slots). On a shared page (`common.http.shared_page`) the view
renders once with those guests left as holes; the shell is kept in the shared cache,
and each reader's request renders only the holes, in one template context, with a
handful of queries whatever the size of the page.

Staff (whose pages may show previews and editing powers), readers with a message to
show, and views marked `personal_for_members` are rendered in full. Shells are
invalidated with the anonymous page cache: the same generation, bumped by any content
change, on every server at once.

Each reader's rendered holes are kept too, beside a "card" holding their session
hash and the version of their personal data; saving or deleting anything of theirs
(a bookmark, an attempt, an interest, the account itself) drops the card, now and
once the transaction commits, so a new version starts and old holes are never shown
again. With a shell, holes and card in the cache, the WSGI handler (hub.handler)
answers a logged-in reader's page from the session alone, before any middleware:
one round trip for the session, one for the rest, and no query.
"""

import functools
import time
import uuid
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.template import Context, engines
from django.utils import translation
from django.utils.crypto import constant_time_compare

from articles import reach, slots
from hub import page_memo
from hub.csrf_tokens import CSRF_FIELD, CSRF_PLACEHOLDER, with_token
from hub.page_cache import (
    CACHE_HEADER,
    GENERATION_KEY,
    cache_key,
    consent_cookie,
    for_reader,
    seconds_to_live,
    shareable,
    start_generation,
    view_of,
)

CARD_SECONDS = 15 * 60  # a safety net: cards are dropped when a reader's data changes
# What a logged-in reader's session holds when it needs nothing but their identity
# (allauth's record of how they logged in included); anything more, such as a message
# to show or a login step under way, and Django handles the request.
PLAIN_SESSION_KEYS = frozenset(
    {
        SESSION_KEY,
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        "_session_expiry",
        "account_authentication_methods",
        "account_authentication_methods_user",
    }
)


def card_key(user_id):
    return f"member:card:{user_id}"


def holes_key(user_id, shell):
    return f"member:holes:{user_id}:{shell}"


def forget_reader(user_id):
    """Their personal parts changed: drop the card now, and again once the change is
    committed (a page rendered in between, from the data before it, is then dropped)."""
    if user_id is not None:
        key = card_key(user_id)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))


def _card(user, found):
    """The reader's card (found in the cache, or made now: before their holes render)."""
    card = found
    if card is None or card["hash"] != user.get_session_auth_hash():
        card = {"hash": user.get_session_auth_hash(), "version": uuid.uuid4().hex}
        cache.set(card_key(user.pk), card, CARD_SECONDS)
    return card


@functools.cache
def _guest_fingerprint():
    """Which guests fill which slots (registered once, at start-up): a deploy that changes
    them must not reuse shells."""
    return repr([(slot, [g.template for g in slots.guests(slot)]) for slot in slots.SLOTS])


def _shell_key(request, language):
    varies = (
        "member",
        _guest_fingerprint(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        language,
        consent_cookie(request),
    )
    return cache_key("shell:v2:", varies)  # v2: with the time it expires


def _member_view(view_func):
    return getattr(view_func, "hub_shared_page", False) and not getattr(
        view_func, "hub_personal_for_members", False
    )


def shell_key(request, view_func):
    """The shared shell's key for this logged-in reader's request, or None."""
    user = getattr(request, "user", None)
    if (
        not settings.HUB_PAGE_CACHE
        or request.method != "GET"
        or not _member_view(view_func)
        or user is None
        or not user.is_authenticated
        or user.is_staff
        or user.is_superuser
        or "messages" in request.COOKIES
        or "_messages" in request.session
    ):
        return None
    return _shell_key(request, translation.get_language())


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not isinstance(getattr(request, "_csp_nonce", None), str)
    )


def _load_objects(holes):
    """The objects the holes were left for, one query per model."""
    wanted = {}
    for hole in holes:
        if hole.model:
            wanted.setdefault(hole.model, set()).add(hole.pk)
    return {
        model: apps.get_model(model).objects.in_bulk(list(pks)) for model, pks in wanted.items()
    }


def fill_holes(request, content, holes):
    """Render each personal guest for this reader, all in one template context."""
    return assemble(content, render_holes(request, holes))


def assemble(content, rendered):
    for number, html in enumerate(rendered):
        content = content.replace(slots.hole_marker(number), html, 1)
    return content


def _pieces(content, count):
    """The shell's text between its holes' markers, or None if they are out of order."""
    pieces = []
    for number in range(count):
        before, marker, content = content.partition(slots.hole_marker(number))
        if not marker:
            return None
        pieces.append(before)
    pieces.append(content)
    return pieces


def _assembled(stored, rendered):
    """The shell with the reader's holes: joined from the pieces a copy keeps (one copy
    of the page rather than one per hole), or put in place marker by marker; None if
    the holes do not fit the copy (Django then makes the page)."""
    pieces = stored.get("pieces")
    if pieces is None:
        return assemble(stored["content"], rendered)
    if len(pieces) != len(rendered) + 1:
        return None
    joined = [pieces[0]]
    for html, piece in zip(rendered, pieces[1:], strict=True):
        joined += (html, piece)
    return "".join(joined)


def _keep_shell(memo, key, stored):
    """Give hub.page_memo a copy of a shell, in pieces between its holes."""
    pieces = _pieces(stored["content"], len(stored["holes"]))
    if pieces is not None:
        copy = {name: value for name, value in stored.items() if name != "content"}
        size = len(stored["content"].encode())  # in bytes, as MEMO_BYTES counts
        memo.keep(key, {**copy, "pieces": pieces}, size=size)


def render_holes(request, holes):
    """Each hole's HTML for this reader (their CSRF token left as the placeholder)."""
    if not holes:
        return []
    engine = engines["django"].engine
    values = {}
    for processor in engine.template_context_processors:
        values.update(processor(request))
    context = Context(values)
    objects = _load_objects(holes)
    rendered = []
    for hole in holes:
        guest = slots.guests(hole.slot)[hole.guest]
        obj = objects[hole.model].get(hole.pk) if hole.model else None
        extra = guest.context(request, obj) if guest.context else {}
        named = {obj._meta.model_name: obj} if obj is not None else {}
        with context.push({**named, **extra}):
            html = engine.get_template(guest.template).render(context)
        rendered.append(CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html))
    return rendered


class MemberPageMiddleware:
    """Last in the list: serves and stores shells around the view, for logged-in readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        key = shell_key(request, view_func)
        if key is None:
            return None
        user = request.user
        mine = holes_key(user.pk, key)
        found = cache.get_many([key, GENERATION_KEY, card_key(user.pk), mine])
        stored, generation = found.get(key), found.get(GENERATION_KEY)
        card = _card(user, found.get(card_key(user.pk)))
        if stored is not None and stored["generation"] == generation:
            request.page_cache = "member-hit"
            if stored.get("reach_article"):
                reach.record_read(stored["reach_article"], reach.reader_key(request))
            rendered = _fresh_holes(found.get(mine), card, generation)
            if rendered is None:
                rendered = render_holes(request, stored["holes"])
                _keep_holes(mine, rendered, card, generation)
            response = HttpResponse(headers=stored["headers"])
            response.content = with_token(request, assemble(stored["content"], rendered))
            response[CACHE_HEADER] = "member-hit"
            return response

        request.page_cache = "member-miss"
        request.page_holes = []
        response = view_func(request, *view_args, **view_kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        holes = request.__dict__.pop("page_holes")
        rendered = render_holes(request, holes)
        if _storable(request, response):
            shell, headers = shareable(response)
            generation = generation or start_generation()
            if generation:
                seconds = seconds_to_live()
                cache.set(
                    key,
                    {"generation": generation, "headers": headers, "content": shell,
                     "holes": holes, "reach_article": getattr(request, "reach_article_id", None),
                     "expires": time.time() + seconds},
                    timeout=seconds,
                )  # fmt: skip
                _keep_holes(mine, rendered, card, generation)
            response.content = with_token(request, assemble(shell, rendered))
        else:
            response.content = with_token(request, assemble(response.content.decode(), rendered))
        response[CACHE_HEADER] = "member-miss"
        return response


def _fresh_holes(kept, card, generation):
    if kept and kept["version"] == card["version"] and kept["generation"] == generation:
        return kept["holes"]
    return None


def _keep_holes(key, rendered, card, generation):
    entry = {"version": card["version"], "generation": generation, "holes": rendered}
    cache.set(key, entry, timeout=CARD_SECONDS)


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def stored_member_page(request):
    """For the WSGI handler, before any middleware: (headers, body) of a logged-in
    reader's page made of the stored shell and their stored holes, or None when Django
    must handle the request.

    The session must hold only the reader's identity, and its hash must match the card
    made when Django last authenticated them (a changed password drops the card).
    """
    cookies = request.COOKIES
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if (
        not session_key
        or not settings.HUB_PAGE_CACHE
        or request.method != "GET"
        or "messages" in cookies
        or not _member_view(view_of(request.path_info))
    ):
        return None
    session = _session_store()(session_key).load()
    user_id = session.get(SESSION_KEY)
    if (
        user_id is None
        or not session.keys() <= PLAIN_SESSION_KEYS
        or session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS
    ):
        return None
    try:
        key = _shell_key(request, translation.get_language_from_request(request))
    except Exception:  # a host Django refuses: it answers on the full path
        return None
    mine = holes_key(user_id, key)
    memo = page_memo.watch()
    stored = None if memo is None else memo.get(key)
    if stored is not None:  # this server's copy of the shell: only the reader's parts to read
        found = cache.get_many([card_key(user_id), mine])
        generation = stored["generation"]
    else:
        found = cache.get_many([key, GENERATION_KEY, card_key(user_id), mine])
        stored, generation = found.get(key), found.get(GENERATION_KEY)
        if memo is not None and stored is not None and stored["generation"] == generation:
            _keep_shell(memo, key, stored)
    card = found.get(card_key(user_id))
    if (
        stored is None
        or card is None
        or stored["generation"] != generation
        or not constant_time_compare(session.get(HASH_SESSION_KEY) or "", card["hash"])
    ):
        return None
    rendered = _fresh_holes(found.get(mine), card, generation)
    if rendered is None:
        return None
    content = _assembled(stored, rendered)
    if content is None:
        return None
    request.page_cache = "member-hit"
    if stored.get("reach_article"):
        reach.record_read(stored["reach_article"], f"user:{user_id}")
    return for_reader(request, stored["headers"].items(), content.encode(), "member-hit")
