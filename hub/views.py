"""Site-wide pages: home, editable site pages, cookie settings, funders and robots.txt."""

from cookie_consent.models import CookieGroup
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.static import serve

from accounts.recommendations import recommend
from accounts.views import panel_dismissed
from articles.models import Article, Sponsor, Topic
from common.http import gate_exempt, personal_for_members, shared_page
from consent.decisions import consent_state
from hub.models import Page
from hub.request_log import current_request_id

ROBOTS_DISALLOW = ["/admin/", "/accounts/"]
HOME_LATEST = 6
HOME_FEATURED = 3
HOME_RECOMMENDED = 3


@shared_page
@personal_for_members
@require_GET
def home(request):
    """Recommended, Featured, Latest, in that order down the page: each article once.

    A later section skips what an earlier one shows and fills its places with the next
    articles, so an article that is recommended, featured and new appears only at the top.
    """
    published = Article.objects.published().for_cards()
    signed_in = request.user.is_authenticated
    recommendations = recommend(request.user, HOME_RECOMMENDED) if signed_in else []
    shown = {recommendation.article.pk for recommendation in recommendations}
    featured = list(published.filter(featured=True).exclude(pk__in=shown)[:HOME_FEATURED])
    shown.update(article.pk for article in featured)
    return render(
        request,
        "hub/home.html",
        {
            "featured": featured,
            "latest": published.exclude(pk__in=shown)[:HOME_LATEST],
            "topic_tree": Topic.tree(list(Topic.objects.all())),
            "recommendations": recommendations,
            "show_personalise_panel": not signed_in and not panel_dismissed(request),
        },
    )


@gate_exempt
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages (such as the admin) that name no icon."""
    return redirect(static("favicon.svg"), permanent=True)


@gate_exempt
@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@gate_exempt
@shared_page
@require_GET
def page(request, slug):
    if slug == "cookie-policy":  # shown with the cookie list and choices
        return redirect("cookie_settings", permanent=True)
    return render(request, "hub/page.html", {"page": get_object_or_404(Page, slug=slug)})


@shared_page
@require_GET
def funders(request):
    sponsors = Sponsor.objects.filter(is_active=True).prefetch_related(
        Prefetch("articles", queryset=Article.objects.published(), to_attr="supported")
    )
    return render(request, "hub/funders.html", {"sponsors": sponsors})


@gate_exempt
@require_GET
def cookie_settings(request):
    """The cookie policy, every cookie from the database, and a choice per optional group."""
    groups = CookieGroup.objects.prefetch_related("cookie_set").order_by("ordering")
    state = consent_state(request)
    return render(
        request,
        "hub/cookie_settings.html",
        {
            "page": Page.objects.filter(slug="cookie-policy").first(),
            "groups": [
                {
                    "group": group,
                    "cookies": list(group.cookie_set.all()),
                    "state": state.get(group.varname),
                }
                for group in groups
            ],
        },
    )


def server_error(request):
    """The 500 page, with the id an operator finds the failure by (no database needed)."""
    page = loader.get_template("500.html").render({"request_id": current_request_id()})
    return HttpResponseServerError(page)


@gate_exempt
@require_GET
def media(request, path):
    """A file from local uploads (settings.HUB_SERVE_MEDIA); object storage serves its own."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
