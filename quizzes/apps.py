from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from articles import slots
        from common import memo
        from quizzes import invitation
        from quizzes.models import Attempt

        template = "quizzes/_invitation.html"
        slots.register(
            "article_top", template, invitation.TOP, personal=True, vary=invitation.shown
        )
        slots.register(
            "article_end", template, invitation.END, personal=True, vary=invitation.shown
        )
        # The invitations' scores are kept per reader (common.memo).
        memo.follow_rows(Attempt, "user_id")
