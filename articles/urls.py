from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/seen.gif", views.article_seen, name="seen"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("experts/<slug:slug>/", views.expert_detail, name="expert_detail"),
    path("steering-committee/", views.steering_committee, name="steering_committee"),
    path("search/", views.search, name="search"),
]
