"""Root URL configuration: each app mounts its own URLs here."""

from django.contrib import admin
from django.urls import include, path

from hub import views

admin.site.site_header = "Hub editors' desk"
admin.site.site_title = "Hub admin"
admin.site.index_title = "Content and readers"

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
