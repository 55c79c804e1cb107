"""Per-reader values that article cards and pages need."""

from django.utils.functional import SimpleLazyObject

from accounts.models import Bookmark
from common import memo

BOOKMARKS = "bookmarks"  # their name among a reader's kept values (accounts.sessions reads them)


def bookmarked_ids(user):
    """The ids of the articles `user` bookmarked (kept per reader: common.memo)."""
    return memo.personal(
        memo.reader_tag(user.pk),
        BOOKMARKS,
        lambda: frozenset(Bookmark.objects.filter(user=user).values_list("article_id", flat=True)),
    )


def bookmarks(request):
    """The ids of the reader's bookmarked articles, fetched once and only if a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bookmarked_ids": frozenset()}
    return {"bookmarked_ids": SimpleLazyObject(lambda: bookmarked_ids(user))}
