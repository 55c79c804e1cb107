"""A logged-in reader's personal feed addresses, for page heads and feed links."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_feeds(context, topic=None):
    """{"rss": …, "atom": …}: absolute addresses of all articles or of one topic; {} for visitors.

    A visitor has no personal address, and a keyless one would only get the HCP gate.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    key = user.feed_key
    if not topic:
        paths = {kind: reverse(f"feeds:{kind}", args=[key]) for kind in ("rss", "atom")}
    else:
        paths = {
            kind: reverse(f"feeds:topic_{kind}", args=[key, topic.slug]) for kind in ("rss", "atom")
        }
    return {kind: request.build_absolute_uri(path) for kind, path in paths.items()}
