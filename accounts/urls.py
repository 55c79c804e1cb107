from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("profile/", views.profile, name="profile"),
    path("interests/", views.interests, name="interests"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("bookmarks/<int:article_id>/", views.bookmark, name="bookmark"),
    path("recommended/", views.recommended, name="recommended"),
    path("feeds/reset/", views.reset_feed_key, name="reset_feed_key"),
    path("data/export/", views.export_data, name="export_data"),
    path("delete/", views.delete_account, name="delete_account"),
]
