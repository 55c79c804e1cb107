from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("<int:quiz_id>/results/", views.result, name="result"),
    path("<int:quiz_id>/record/", views.record, name="record"),
    path("<int:quiz_id>/<str:stage>/", views.take, name="take"),
    path("history/", views.history, name="history"),
]
