"""Values every page template needs."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The main navigation, in order. An entry appears once its page exists, so the
# menu never links to a page the Hub does not serve.
MAIN_NAVIGATION = [
    ("home", _("Home")),
    ("articles:topic_list", _("Topics")),
    ("articles:steering_committee", _("Steering Committee")),
    ("about", _("About Us")),
    ("newsletter:subscribe", _("Newsletter")),
    ("contact", _("Contact")),
]


def _navigation(current_path):
    items = []
    for url_name, label in MAIN_NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        is_current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"url": url, "label": label, "current": is_current})
    return items


def _optional_url(url_name):
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def site(request):
    return {
        "site_name": settings.HUB_SITE_NAME,
        "main_navigation": _navigation(request.path),
        "search_url": _optional_url("articles:search"),
    }
