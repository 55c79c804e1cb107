"""Logged-in readers' shared pages: one kept shell per page, holes filled per reader.

An article page differs between logged-in readers only in a few places (the bookmark
buttons, the quiz invitations, the feed links): the personal guests of the core's
slots (articles.slots). This middleware, last in the stack so that Django's session,
authentication, CSRF and security middleware have all run, renders such a page once
with those guests left as holes and keeps the shell in this process
(pagecache.local, dropped by the same purges as every kept page). Each reader's
request renders only the holes, in one template context, and gets their own CSRF
token from django.middleware.csrf.get_token. The holes are filled on every request
for the objects the shell names (model and primary key, loaded with the shell and kept
with it: they are what the page shows, so the same changes purge both), so a reader's
parts cannot end up under another article or outlive a change to their data. A hole
is rendered for the reader, or, for a guest that declares what it shows of the reader
(articles.slots.Guest.vary), taken from the HTML rendered for an earlier reader with
the same value. What the holes read of the reader (bookmarks, scores) is kept by
common.memo.

Never shared: staff and superusers, a page whose rendering asked about a permission
(the user model says so in `permissions_consulted`), a page with a message to show,
views marked `personal_for_members`, and anything but a plain 200 without cookies,
Cache-Control of its own or a CSP nonce.
"""

import functools
import re

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, Engine
from django.template.response import SimpleTemplateResponse
from django.utils.module_loading import import_string

from articles import slots
from pagecache import local, variant
from pagecache.middleware import CACHE_HEADER, is_shared, seconds_to_live

CSRF_PLACEHOLDER = "__hub_csrf_token__"
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
CSRF_KEPT = rf"\g<1>{CSRF_PLACEHOLDER}\g<2>"  # a kept form's token, put in per request
VARIANTS_PER_HOLE = 8  # on average: the rendered holes a shell keeps for its readers


@functools.cache
def _guest_fingerprint():
    """Which guests fill which slots (registered once, at start-up)."""
    return repr([(slot, [g.template for g in slots.guests(slot)]) for slot in slots.SLOTS])


def shell_key(request, view_func):
    """The key of the shell this logged-in reader's page is made from, or None."""
    user = getattr(request, "user", None)
    if (
        not settings.HUB_PAGE_CACHE
        or request.method not in ("GET", "HEAD")
        or not is_shared(view_func)
        or getattr(view_func, "hub_personal_for_members", False)
        or user is None
        or not user.is_authenticated
        or user.is_staff
        or user.is_superuser
        or "messages" in request.COOKIES
        or "_messages" in request.session
        or request.path != request.path_info
    ):
        return None
    found = variant.of(request)
    if found is None:
        return None
    meta = request.META
    return (
        _guest_fingerprint(),
        request.scheme,
        request.get_host(),
        request.path_info,
        meta.get("QUERY_STRING", ""),
        found,
    )


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not getattr(request, "csp_nonce", None)  # True once a nonce was made
        and not getattr(request.user, "permissions_consulted", False)
    )


def load_objects(holes):
    """The objects the holes were left for, one query per model."""
    wanted = {}
    for hole in holes:
        if hole.model:
            wanted.setdefault(hole.model, set()).add(hole.pk)
    return {
        model: apps.get_model(model).objects.in_bulk(list(pks)) for model, pks in wanted.items()
    }


@functools.cache
def _context_processors():
    """The project's context processors, from the TEMPLATES setting (each hole's template
    sees what it would see in the page)."""
    backend = next(
        t for t in settings.TEMPLATES
        if t["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    )  # fmt: skip
    return [
        import_string(name) for name in backend.get("OPTIONS", {}).get("context_processors", [])
    ]


@receiver(setting_changed)
def _templates_changed(setting, **kwargs):
    if setting == "TEMPLATES":
        _context_processors.cache_clear()


def _hole_context(request):
    """The context the holes are rendered in: what the page's own template saw."""
    values = {"csrf_token": get_token(request)}  # Django's built-in csrf processor
    for processor in _context_processors():
        values.update(processor(request))
    return Context(values)


def render_holes(request, holes, objects, kept=None):
    """Each hole's HTML for this reader, all in one template context.

    `kept`: the shell's rendered holes by (hole, what the guest shows of its reader:
    Guest.vary), their CSRF tokens left as placeholders. A reader with the same value as
    one before gets that HTML; a guest without `vary` is rendered every time."""
    if not holes:
        return []
    engine = Engine.get_default()
    context = None
    rendered = []
    for number, hole in enumerate(holes):
        guest = slots.guests(hole.slot)[hole.guest]
        obj = objects[hole.model].get(hole.pk) if hole.model else None
        if hole.model and obj is None:  # deleted since the shell was made: nothing to show
            rendered.append("")
            continue
        kept_as = None
        if kept is not None and guest.vary is not None:
            kept_as = (number, guest.vary(request, obj))
            html = kept.get(kept_as)
            if html is not None:
                rendered.append(html)
                continue
        if context is None:
            context = _hole_context(request)
        extra = guest.context(request, obj) if guest.context else {}
        named = {obj._meta.model_name: obj} if obj is not None else {}
        with context.push({**named, **extra}):
            html = engine.get_template(guest.template).render(context)
        if kept_as is not None and len(kept) < VARIANTS_PER_HOLE * len(holes):
            kept[kept_as] = CSRF_FIELD.sub(CSRF_KEPT, html)
        rendered.append(html)
    return rendered


def _pieces(content, count):
    """The shell's text between its holes' markers, or None if they are not all there
    in order (the page is then not kept)."""
    pieces = []
    for number in range(count):
        before, marker, content = content.partition(slots.hole_marker(number))
        if not marker:
            return None
        pieces.append(before)
    pieces.append(content)
    return pieces


def _joined(pieces, rendered):
    joined = [pieces[0]]
    for html, piece in zip(rendered, pieces[1:], strict=True):
        joined += (html, piece)
    return "".join(joined)


class MemberPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        key = shell_key(request, view_func)
        if key is None:
            return None
        watch = local.watch()
        copy, version = watch.lookup("shells", key)
        if copy is not None:
            shell = copy.value
            request.page_cache = "member-hit"
            content = _joined(
                shell["pieces"],
                render_holes(request, shell["holes"], shell["objects"], shell["rendered"]),
            )
            content = content.replace(CSRF_PLACEHOLDER, get_token(request))
            response = shell["response"](content)
            response[CACHE_HEADER] = "member-hit"
            return response

        request.page_cache = "member-miss"
        request.page_holes = []
        response = view_func(request, *view_args, **view_kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        holes = request.__dict__.pop("page_holes")
        if response.streaming:
            return response
        content = response.content.decode()
        pieces = _pieces(content, len(holes))
        if pieces is None:
            return response  # left as the view made it: holes stay empty markers
        objects = load_objects(holes)
        rendered = {}
        if version is not None and _storable(request, response):
            watch.keep(
                "shells",
                key,
                {
                    "pieces": [CSRF_FIELD.sub(CSRF_KEPT, piece) for piece in pieces],
                    "holes": holes,
                    "objects": objects,
                    "rendered": rendered,
                    "response": functools.partial(
                        # A rendered TemplateResponse is an HttpResponse with its content.
                        HttpResponse
                        if isinstance(response, SimpleTemplateResponse)
                        else type(response),
                        headers={k: v for k, v in response.items() if k != "Content-Length"},
                    ),
                },
                size=len(response.content),
                keys=getattr(request, "cache_keys", ()),
                version=version,
                seconds=seconds_to_live(),
            )
        response.content = _joined(pieces, render_holes(request, holes, objects, rendered))
        response[CACHE_HEADER] = "member-miss"
        return response
