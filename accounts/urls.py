from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.my_account, name="my_account"),
]
