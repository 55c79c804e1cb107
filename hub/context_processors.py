"""Values every page template needs."""

import functools

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Sponsorship
from common import memo
from common.http import return_path
from hubs import directory

# The main navigation, in order: a URL name, or a group of them under one label (a
# disclosure in the header, so the row stays short in every language).
MAIN_NAVIGATION = [
    ("home", _("Home")),
    ("articles:list", _("Articles")),
    ("articles:topic_list", _("Topics")),
    ("newsletter:subscribe", _("Newsletter")),
    (
        # Not "About": translated, it is the same words as its first item ("Über uns").
        _("About the Hub"),
        [
            ("about", _("About Us")),
            ("articles:steering_committee", _("Steering Committee")),
            ("funders", _("Funders")),
        ],
    ),
    ("contact", _("Contact")),
]
FUNDERS_CACHE_KEY = "hub:footer-funders:{}"  # per hub
# Saving a sponsor clears it at once; the timeout covers bulk updates that send no signal.
FUNDERS_CACHE_SECONDS = 300


def _link(url_name, label, current_path):
    """A link, marked `page` on its own page and `true` on the pages under it (the
    values of aria-current)."""
    url = reverse(url_name)
    if current_path == url:
        current = "page"
    elif url != "/" and current_path.startswith(url):
        current = "true"
    else:
        current = ""
    return {"url": url, "label": label, "current": current}


@functools.lru_cache(maxsize=1024)
def _navigation(current_path, script_prefix):
    """The menu for a page: the same for every request to that address (the labels are
    translated where they are shown), so kept for the addresses asked most."""
    items = []
    for first, second in MAIN_NAVIGATION:
        if isinstance(second, list):
            children = [_link(name, label, current_path) for name, label in second]
            current = any(child["current"] for child in children)
            items.append({"label": first, "children": children, "current": current})
        else:
            items.append(_link(first, second, current_path))
    return items


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _navigation.cache_clear()


def footer_funders():
    """The current hub's funders' names by funding level, kept until a sponsor changes."""
    hub_id = directory.current().id
    keys = {directory.surrogate_key(hub_id)}
    return memo.content(f"footer-funders-{hub_id}", keys, lambda: _stored_funders(hub_id))


def _stored_funders(hub_id):
    key = FUNDERS_CACHE_KEY.format(hub_id)
    names = cache.get(key)
    if names is None:
        listed = Sponsorship.objects.listed(hub_id)
        names = list(listed.values_list("sponsor__name", flat=True))
        cache.set(key, names, timeout=FUNDERS_CACHE_SECONDS)
    return tuple(names)


def forget_footer_funders(**kwargs):
    cache.delete_many([FUNDERS_CACHE_KEY.format(hub.id) for hub in directory.directory().hubs])


def site(request):
    return {
        "main_navigation": _navigation(request.path, get_script_prefix()),
        "search_url": reverse("articles:search"),
        "footer_funders": footer_funders(),
        "offered_languages": directory.current().offered,  # the hub's (hubs.middleware)
        "return_path": return_path(request),
    }
