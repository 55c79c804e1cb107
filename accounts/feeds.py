"""Personal feeds: the article feeds at an address only one reader knows.

A feed reader carries no cookie and cannot pass the HCP gate, and the content is for
healthcare professionals only, so the feeds are not public: the address carries the
reader's feed key (User.feed_key), found through its unique index. An unknown key,
or the key of a deactivated or deleted reader, is a 404. Items carry what the
article feeds give (titles, summaries, links, dates, experts, topics), no article text.
"""

import re

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.models import User
from articles import feeds

# What secrets.token_urlsafe() produces; anything else (a NUL byte, say) is not looked up.
FEED_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


class PersonalFeed:
    """Put in front of an article feed: the first URL argument is a reader's feed key."""

    def __call__(self, request, key, **kwargs):
        if (
            not FEED_KEY.fullmatch(key)
            or not User.objects.filter(feed_key=key, is_active=True).exists()
        ):
            raise Http404("No such feed.")
        response = super().__call__(request, **kwargs)
        # A personal address: not for search engines, nor for shared caches.
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private"
        return response


class PersonalLatestArticlesFeed(PersonalFeed, feeds.LatestArticlesFeed):
    pass


class PersonalLatestArticlesAtomFeed(PersonalFeed, feeds.LatestArticlesAtomFeed):
    pass


class PersonalTopicFeed(PersonalFeed, feeds.TopicFeed):
    pass


class PersonalTopicAtomFeed(PersonalFeed, feeds.TopicAtomFeed):
    pass


def feed_moved(request, **kwargs):
    """The public feed addresses of old: gone (feed readers stop asking), and why."""
    context = {"my_account_url": reverse("accounts:my_account") + "#feeds"}
    return render(request, "accounts/feed_moved.html", context, status=410)
