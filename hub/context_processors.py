"""Values every page template needs."""

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Sponsor
from common import memo

# The main navigation, in order.
MAIN_NAVIGATION = [
    ("home", _("Home")),
    ("articles:topic_list", _("Topics")),
    ("articles:steering_committee", _("Steering Committee")),
    ("about", _("About Us")),
    ("newsletter:subscribe", _("Newsletter")),
    ("contact", _("Contact")),
]
FUNDERS_CACHE_KEY = "hub:footer-funders"
# Saving a sponsor clears it at once; the timeout covers bulk updates that send no signal.
FUNDERS_CACHE_SECONDS = 300


def _navigation(current_path):
    items = []
    for url_name, label in MAIN_NAVIGATION:
        url = reverse(url_name)
        is_current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"url": url, "label": label, "current": is_current})
    return items


def footer_funders():
    """Active sponsors' names by funding level, kept until a sponsor changes."""
    return memo.content("footer-funders", {"site"}, _stored_funders)


def _stored_funders():
    names = cache.get(FUNDERS_CACHE_KEY)
    if names is None:
        names = list(Sponsor.objects.filter(is_active=True).values_list("name", flat=True))
        cache.set(FUNDERS_CACHE_KEY, names, timeout=FUNDERS_CACHE_SECONDS)
    return tuple(names)


def forget_footer_funders(**kwargs):
    cache.delete(FUNDERS_CACHE_KEY)


def site(request):
    full_path = request.get_full_path()
    return {
        "main_navigation": _navigation(request.path),
        "search_url": reverse("articles:search"),
        "footer_funders": footer_funders(),
        # Where site-wide forms (cookie banner, language) send the reader back to.
        "return_path": full_path if len(full_path) <= 500 else request.path,
    }
