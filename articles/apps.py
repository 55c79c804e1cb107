from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles import images
        from articles.models import Article, Expert

        images.register_renditions(
            {images.LEAD: [(Article, "lead_image")], images.PORTRAIT: [(Expert, "photo")]}
        )
