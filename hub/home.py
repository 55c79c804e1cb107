"""The home page's sections: "For you", a logged-in reader's own, first; then the
stories every reader shares (a lead story, the rest of Featured, Latest).

Both are guests of the core's home slots and personal (articles.slots), so a page
shared by logged-in readers keeps neither: each is rendered for the reader on every
request (pagecache.members). That is what lets the reader's own section lead and the
shared ones give way: an article in "For you" is not repeated below it, and the
shared sections fill its place with the next story, so their grids stay whole. A
visitor who is not logged in has no "For you" and gets the stories in the shared page.
"""

from accounts.recommendations import recommend
from articles.models import Article
from common.http import once_per_request
from quizzes.models import Attempt

HOME_FEATURED = 3  # the lead story and two beside it
HOME_LATEST = 6  # whole rows of two and of three
HOME_RECOMMENDED = 3
HOME_BOOKMARKS = 3


def _for_you(request):
    """What the reader picks up again, worked out once per request (both guests ask):
    the next quiz step, recommendations from their interests and bookmarks (with the
    reason), and their latest bookmarks; each article once."""

    def work_out():
        awaiting = Attempt.objects.awaiting_post_test(request.user).first()
        taken = {awaiting.quiz.article_id} if awaiting else set()
        recommendations = [
            r
            for r in recommend(request.user, HOME_RECOMMENDED + len(taken))
            if r.personal and r.article.pk not in taken
        ][:HOME_RECOMMENDED]
        bookmarks = list(
            Article.objects.published()
            .filter(bookmarks__user=request.user)
            .exclude(pk__in=taken)
            .order_by("-bookmarks__created_at", "-pk")
            .for_cards()[:HOME_BOOKMARKS]
        )
        shown = taken | {r.article.pk for r in recommendations} | {a.pk for a in bookmarks}
        return {
            "awaiting": awaiting,
            "recommendations": recommendations,
            "continue_bookmarks": bookmarks,
            "for_you_pks": shown,
        }

    return once_per_request(request, "home-for-you", work_out)


def for_you(request, _obj):
    """The "For you" section's context; nothing for a visitor who is not logged in."""
    if not request.user.is_authenticated:
        return {}
    # Asked only when there is nothing to show (the template calls it then).
    return {**_for_you(request), "follows_topics": request.user.interests.exists}


def stories(request, _obj):
    """The shared stories, less what "For you" shows this reader: the lead story (the
    newest featured article, else the newest), two more featured beside it, then Latest."""
    skip = _for_you(request)["for_you_pks"] if request.user.is_authenticated else set()
    published = Article.objects.published().for_cards().exclude(pk__in=skip)
    featured = list(published.filter(featured=True)[:HOME_FEATURED])
    latest = list(published.exclude(pk__in=[a.pk for a in featured])[: HOME_LATEST + 1])
    if not featured and latest:
        featured = [latest.pop(0)]
    return {
        "lead": featured[0] if featured else None,
        "featured": featured[1:],
        "latest": latest[:HOME_LATEST],
    }
