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
"""

import functools

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template import Context, engines
from django.utils import translation

from articles import reach, slots
from hub.page_cache import (
    CACHE_HEADER,
    cache_key,
    consent_cookie,
    read,
    seconds_to_live,
    shareable,
    start_generation,
    with_token,
)


@functools.cache
def _guest_fingerprint():
    """Which guests fill which slots (registered once, at start-up): a deploy that changes
    them must not reuse shells."""
    return repr([(slot, [g.template for g in slots.guests(slot)]) for slot in slots.SLOTS])


def shell_key(request, view_func):
    """The shared shell's key for this logged-in reader's request, or None."""
    user = getattr(request, "user", None)
    if (
        not settings.HUB_PAGE_CACHE
        or request.method != "GET"
        or not getattr(view_func, "hub_shared_page", False)
        or getattr(view_func, "hub_personal_for_members", False)
        or user is None
        or not user.is_authenticated
        or user.is_staff
        or user.is_superuser
        or "messages" in request.COOKIES
        or "_messages" in request.session
    ):
        return None
    varies = (
        "member",
        _guest_fingerprint(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        consent_cookie(request),
    )
    return cache_key("shell:", varies)


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
    if not holes:
        return content
    engine = engines["django"].engine
    values = {}
    for processor in engine.template_context_processors:
        values.update(processor(request))
    context = Context(values)
    objects = _load_objects(holes)
    for number, hole in enumerate(holes):
        guest = slots.guests(hole.slot)[hole.guest]
        obj = objects[hole.model].get(hole.pk) if hole.model else None
        extra = guest.context(request, obj) if guest.context else {}
        named = {obj._meta.model_name: obj} if obj is not None else {}
        with context.push({**named, **extra}):
            html = engine.get_template(guest.template).render(context)
        content = content.replace(slots.hole_marker(number), html, 1)
    return content


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
        stored, generation = read(key)
        if stored is not None and stored["generation"] == generation:
            request.page_cache = "member-hit"
            if stored.get("reach_article"):
                reach.record_read(stored["reach_article"], reach.reader_key(request))
            response = HttpResponse(headers=stored["headers"])
            response.content = self._personal(request, stored["content"], stored["holes"])
            response[CACHE_HEADER] = "member-hit"
            return response

        request.page_cache = "member-miss"
        request.page_holes = []
        response = view_func(request, *view_args, **view_kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        holes = request.__dict__.pop("page_holes")
        if _storable(request, response):
            shell, headers = shareable(response)
            generation = generation or start_generation()
            if generation:
                cache.set(
                    key,
                    {"generation": generation, "headers": headers, "content": shell,
                     "holes": holes, "reach_article": getattr(request, "reach_article_id", None)},
                    timeout=seconds_to_live(),
                )  # fmt: skip
            response.content = self._personal(request, shell, holes)
        else:
            response.content = fill_holes(request, response.content.decode(), holes)
        response[CACHE_HEADER] = "member-miss"
        return response

    @staticmethod
    def _personal(request, shell, holes):
        return with_token(request, fill_holes(request, shell, holes))
