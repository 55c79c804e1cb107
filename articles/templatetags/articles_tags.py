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
def fill(context, name, obj=None):
    """Render what other apps registered for this slot (see articles.slots)."""
    engine = context.template.engine
    request = context.get("request")
    parts = []
    for guest in slots.guests(name):
        extra = guest.context(request, obj) if guest.context else {}
        with context.push(**extra):
            parts.append(engine.get_template(guest.template).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped by Django
