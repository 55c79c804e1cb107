"""Root URL configuration: each app mounts its own URLs here."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.i18n import set_language

from accounts import feeds as accounts_feeds
from accounts import views as accounts_views
from articles.sitemaps import SITEMAPS
from common.http import gate_exempt, gate_exempt_urls, same_origin_post
from hub import contact, views
from hub.models import SITE_PAGES
from hub.sitemaps import StaticPagesSitemap

# The admin site is the editors' desk (hub.desk): its log-in runs allauth's, with the
# same rate limits and two-factor step as the readers' log-in.
handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path(
        "sitemap.xml",
        gate_exempt(sitemap),
        {"sitemaps": {"pages": StaticPagesSitemap, **SITEMAPS}},
        name="sitemap",
    ),
    path("", include("brand.urls")),
    path("", include("articles.urls")),
    # Personal feeds: the key in the address is the check, for feed readers without cookies.
    path("feeds/", gate_exempt_urls(include("accounts.feed_urls"))),
    # Topic feeds used to be public here, behind the gate.
    path("topics/<slug:slug>/feed/<str:kind>/", accounts_feeds.feed_moved),
    path("funders/", views.funders, name="funders"),
    *(path(f"{slug}/", views.page, {"slug": slug}, name=slug) for slug in SITE_PAGES),
    path("pages/<slug:slug>/", views.page, name="page"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("cookies/", include("consent.urls")),
    # The language form is on shared pages, so it carries no CSRF token (common.http).
    path("i18n/setlang/", gate_exempt(same_origin_post(set_language)), name="set_language"),
    path("newsletter/", include("newsletter.urls")),
    path("contact/", contact.contact, name="contact"),
    path("contact/thanks/", contact.thanks, name="contact_thanks"),
    path("hcp/declare/", accounts_views.hcp_declare, name="hcp_declare"),
    path("hcp/dismiss-panel/", accounts_views.dismiss_panel, name="dismiss_panel"),
    # Log-in, sign-up and the reader's own pages (which ask for a log-in) stay open.
    path("accounts/", gate_exempt_urls(include("accounts.urls"))),
    path("quizzes/", include("quizzes.urls")),
    path("accounts/", gate_exempt_urls(include("allauth.urls"))),
    path("admin/", gate_exempt_urls(admin.site.urls)),
]

# Uploads (lead images, expert photos and their renditions, sponsor logos) kept on this
# machine's disk are served from here, in development and on a single server (`make
# serve`); with object storage (several servers) the storage's own address serves them.
if settings.HUB_SERVE_MEDIA:
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", views.media))
