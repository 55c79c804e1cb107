from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from articles import slots
        from quizzes import invitation

        template = "quizzes/_invitation.html"
        slots.register("article_top", template, invitation.TOP, personal=True)
        slots.register("article_end", template, invitation.END, personal=True)
