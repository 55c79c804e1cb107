"""Template helpers for article pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from articles import slots
from articles.rendering import link_citations_and_trials

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def ld_json(data):
    """Embed schema.org data; a title such as "</script>" cannot break out of the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.filter(needs_autoescape=True)
def trial_links(value, autoescape=True):
    """Link NCT numbers in short editor text (objectives, key learnings, introductions)."""
    text = conditional_escape(value) if autoescape else value
    return mark_safe(link_citations_and_trials(str(text), reference_count=0))  # noqa: S308


@register.filter
def iso_datetime(value):
    """A machine-readable time for <time datetime>, to the second (HTML allows no microseconds)."""
    if not value:
        return ""
    return localtime(value).isoformat(timespec="seconds")


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """An address for other sites (link previews); one that is already absolute stays."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


def _hours_minutes_seconds(duration):
    minutes, seconds = divmod(int(duration.total_seconds()), 60)
    return (*divmod(minutes, 60), seconds)


@register.filter
def clock(duration):
    """A video's length as players show it: 12:34, or 1:02:03."""
    if duration is None:
        return ""
    hours, minutes, seconds = _hours_minutes_seconds(duration)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@register.filter
def iso_duration(duration):
    """The same length for <time datetime>: PT12M34S."""
    if duration is None:
        return ""
    parts = zip(_hours_minutes_seconds(duration), "HMS", strict=True)
    return "PT" + ("".join(f"{n}{unit}" for n, unit in parts if n) or "0S")


@register.simple_tag(takes_context=True)
def fill(context, name, obj=None):
    """Render what other apps registered for this slot (see articles.slots).

    When the request is being rendered as a page shared by logged-in readers (the
    request has a `page_holes` list), a personal guest leaves a marked hole instead,
    described in that list, for the page cache to fill per reader.
    """
    engine = context.template.engine
    request = context.get("request")
    holes = getattr(request, "page_holes", None)
    parts = []
    for index, guest in enumerate(slots.guests(name)):
        if guest.personal and holes is not None:
            parts.append(slots.hole_marker(len(holes)))
            holes.append(slots.Hole(name, index, obj))
            continue
        extra = guest.context(request, obj) if guest.context else {}
        with context.push(**extra):
            parts.append(engine.get_template(guest.template).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped by Django
