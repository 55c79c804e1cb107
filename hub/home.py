"""The home page's sections: the shared ones every reader sees, and a logged-in reader's
own, which fill the `home_reader` slot as personal holes in the shared page.

Each article shows once on the page. The shared sections cannot depend on the reader,
so the reader's sections skip what the shared ones show.
"""

from accounts.recommendations import recommend
from articles.models import Article
from quizzes.models import Attempt

HOME_LATEST = 6
HOME_FEATURED = 3
HOME_RECOMMENDED = 3
HOME_BOOKMARKS = 3


def shared_sections():
    """Featured, then Latest without what Featured shows: the same for every reader."""
    published = Article.objects.published().for_cards()
    featured = list(published.filter(featured=True)[:HOME_FEATURED])
    latest = list(published.exclude(pk__in=[a.pk for a in featured])[:HOME_LATEST])
    return featured, latest


def _shown_to_everyone(request):
    """The primary keys of the shared sections' articles, looked up once per request."""
    if not hasattr(request, "_home_shared_pks"):
        published = Article.objects.published()
        featured = list(
            published.filter(featured=True).values_list("pk", flat=True)[:HOME_FEATURED]
        )
        latest = published.exclude(pk__in=featured).values_list("pk", flat=True)[:HOME_LATEST]
        request._home_shared_pks = set(featured) | set(latest)
    return request._home_shared_pks


def continue_reading(request, _obj):
    """The reader's latest bookmarks that the shared sections do not already show."""
    if not request.user.is_authenticated:
        return {}
    articles = (
        Article.objects.published()
        .filter(bookmarks__user=request.user)
        .exclude(pk__in=_shown_to_everyone(request))
        .order_by("-bookmarks__created_at", "-pk")
        .for_cards()[:HOME_BOOKMARKS]
    )
    return {"continue_bookmarks": list(articles)}


def next_quiz_step(request, _obj):
    """The newest quiz the reader took before reading and has not yet taken after."""
    if not request.user.is_authenticated:
        return {}
    return {"awaiting": Attempt.objects.awaiting_post_test(request.user).first()}


def recommended(request, _obj):
    """Recommendations (never the reader's bookmarks) the shared sections do not show."""
    if not request.user.is_authenticated:
        return {}
    shown = _shown_to_everyone(request)
    candidates = recommend(request.user, HOME_RECOMMENDED + len(shown))
    picks = [r for r in candidates if r.article.pk not in shown][:HOME_RECOMMENDED]
    return {"recommendations": picks}
