from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from articles import images, renditions, search
        from articles.models import Article, Expert, SearchSynonym, Sponsor, Topic
        from common.uploads import remove_old_files

        for model in (Article, Expert, SearchSynonym, Topic):
            for signal in (post_save, post_delete):
                signal.connect(
                    search.refresh_search_terms_after_commit,
                    sender=model,
                    dispatch_uid=f"search-terms-{model.__name__}-{signal is post_save}",
                )

        images.register_renditions(
            {images.LEAD: [(Article, "lead_image")], images.PORTRAIT: [(Expert, "photo")]}
        )
        renditions.make_when_saved(Article, "lead_image", "lead_image_ready", images.LEAD)
        renditions.make_when_saved(Expert, "photo", "photo_ready", images.PORTRAIT)
        # A replaced or deleted image takes its renditions with it.
        remove_old_files(Article, "lead_image", images.renditions_of(images.LEAD))
        remove_old_files(Expert, "photo", images.renditions_of(images.PORTRAIT))
        remove_old_files(Sponsor, "logo")
