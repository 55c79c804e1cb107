from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from articles import slots
        from quizzes import invitation

        slots.register("article_top", "quizzes/_invitation.html", invitation.TOP)
        slots.register("article_end", "quizzes/_invitation.html", invitation.END)
