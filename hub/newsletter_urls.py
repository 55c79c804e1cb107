from django.urls import path

from hub import newsletter

app_name = "newsletter"

urlpatterns = [
    path("", newsletter.subscribe, name="subscribe"),
    path("check-your-email/", newsletter.check_email, name="check_email"),
    path("confirm/<str:token>/", newsletter.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", newsletter.unsubscribe, name="unsubscribe"),
]
