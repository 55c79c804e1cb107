"""Site-wide pages: home, editable site pages, cookie settings, funders and robots.txt."""

import posixpath

from cookie_consent.models import CookieGroup
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.static import serve

from accounts.views import panel_dismissed
from articles.models import Article, Sponsorship, Topic
from common import image_files
from common.http import gate_exempt, shared_page, tag_page
from consent.decisions import consent_state
from hub.models import Page
from hub.request_log import current_request_id
from hubs import directory as hubs

ROBOTS_DISALLOW = ["/admin/", "/accounts/"]


@shared_page
@require_safe
def home(request):
    """A logged-in reader's "For you" first, then the stories, each article once; both
    fill slots of the page (see hub.home)."""
    tag_page(request, "articles")
    return render(
        request,
        "hub/home.html",
        {
            "topic_tree": Topic.tree(list(Topic.objects.on_hub())),
            "show_personalise_panel": (
                not request.user.is_authenticated and not panel_dismissed(request)
            ),
        },
    )


@gate_exempt
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages (such as the admin) that name no icon."""
    return redirect(static("favicon.svg"), permanent=True)


@gate_exempt
@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@gate_exempt
@shared_page
@require_safe
def page(request, slug):
    if slug == "cookie-policy":  # shown with the cookie list and choices
        return redirect("cookie_settings", permanent=True)
    found = get_object_or_404(Page, hub_id=hubs.current().id, slug=slug)
    return render(request, "hub/page.html", {"page": found})


@shared_page
@require_safe
def funders(request):
    tag_page(request, "articles")
    sponsorships = Sponsorship.objects.listed().prefetch_related(
        Prefetch("sponsor__articles", queryset=Article.objects.published(), to_attr="supported")
    )
    return render(request, "hub/funders.html", {"sponsorships": sponsorships})


@gate_exempt
@require_safe
def cookie_settings(request):
    """The cookie policy, every cookie from the database, and a choice per optional group."""
    groups = CookieGroup.objects.prefetch_related("cookie_set").order_by("ordering")
    state = consent_state(request)
    return render(
        request,
        "hub/cookie_settings.html",
        {
            "page": Page.objects.filter(hub_id=hubs.current().id, slug="cookie-policy").first(),
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
@require_safe
def media(request, path):
    """A file from local uploads (settings.HUB_SERVE_MEDIA); object storage serves its own.

    Only the image types uploads and renditions have (common.image_files) are served as
    what they are; anything else in the folder is a download, never a page of the site."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    kind = image_files.content_type(path)
    if kind is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=posixpath.basename(path)
        )
    else:
        response["Content-Type"] = kind
    response["X-Content-Type-Options"] = "nosniff"
    return response
