from django.urls import path

from quizzes import cme_views, views

app_name = "quizzes"

urlpatterns = [
    path("<int:quiz_id>/results/", views.result, name="result"),
    path("<int:quiz_id>/record/", views.record, name="record"),
    path("<int:quiz_id>/evaluation/", cme_views.evaluate, name="evaluate"),
    path("<int:quiz_id>/certificate/", cme_views.certificate, name="certificate"),
    path("<int:quiz_id>/certificate.pdf", cme_views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<str:code>/",
        cme_views.verify_certificate,
        name="verify_certificate",
    ),
    path("follow-up/<str:token>/", cme_views.follow_up, name="follow_up"),
    path("follow-up/<str:token>/stop/", cme_views.stop_follow_ups, name="stop_follow_ups"),
    path("<int:quiz_id>/<str:stage>/", views.take, name="take"),
    path("history/", views.history, name="history"),
]
