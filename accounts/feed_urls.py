"""Personal feed addresses, mounted at /feeds/ (exempt from the HCP gate: the key is the check)."""

from django.urls import path

from accounts import feeds

app_name = "feeds"

urlpatterns = [
    path("rss/", feeds.feed_moved),
    path("atom/", feeds.feed_moved),
    path("<str:key>/rss/", feeds.PersonalLatestArticlesFeed(), name="rss"),
    path("<str:key>/atom/", feeds.PersonalLatestArticlesAtomFeed(), name="atom"),
    path("<str:key>/topics/<slug:slug>/rss/", feeds.PersonalTopicFeed(), name="topic_rss"),
    path("<str:key>/topics/<slug:slug>/atom/", feeds.PersonalTopicAtomFeed(), name="topic_atom"),
]
