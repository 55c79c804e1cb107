from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Original demo content (articles, experts, quizzes), all flagged as demo."""

    name = "demo"
    verbose_name = _("Demo content")
