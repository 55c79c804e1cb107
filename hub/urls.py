"""Root URL configuration: each app mounts its own URLs here."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from accounts import feeds as accounts_feeds
from accounts import views as accounts_views
from articles.sitemaps import SITEMAPS
from hub import consent, contact, views
from hub.models import SITE_PAGES
from hub.sitemaps import StaticPagesSitemap

admin.site.site_header = "Hub editors' desk"
admin.site.site_title = "Hub admin"
admin.site.index_title = "Content and readers"
# The admin logs in through allauth: the same rate limits and two-factor check.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": StaticPagesSitemap, **SITEMAPS}},
        name="sitemap",
    ),
    path("", include("articles.urls")),
    path("feeds/", include("accounts.feed_urls")),
    # Topic feeds used to be public here, behind the gate.
    path("topics/<slug:slug>/feed/<str:kind>/", accounts_feeds.feed_moved),
    path("funders/", views.funders, name="funders"),
    *(path(f"{slug}/", views.page, {"slug": slug}, name=slug) for slug in SITE_PAGES),
    path("pages/<slug:slug>/", views.page, name="page"),
    path("cookies/", consent.cookie_settings, name="cookie_settings"),
    path("cookies/accept-all/", consent.accept_all, name="cookies_accept_all"),
    path("cookies/reject-all/", consent.reject_all, name="cookies_reject_all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("newsletter/", include("hub.newsletter_urls")),
    path("contact/", contact.contact, name="contact"),
    path("contact/thanks/", contact.thanks, name="contact_thanks"),
    path("hcp/declare/", accounts_views.hcp_declare, name="hcp_declare"),
    path("hcp/dismiss-panel/", accounts_views.dismiss_panel, name="dismiss_panel"),
    path("accounts/", include("accounts.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# Uploads (expert photos, sponsor logos) in local development; production serves
# them from its storage backend.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
