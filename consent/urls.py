from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("accept-all/", views.accept_all, name="accept_all"),
    path("reject-all/", views.reject_all, name="reject_all"),
    path("choose/", views.choose, name="choose"),
]
