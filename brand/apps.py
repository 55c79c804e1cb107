from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class BrandConfig(AppConfig):
    name = "brand"
    verbose_name = _("Brand")

    def ready(self):
        from brand.models import Brand, forget_current
        from common.uploads import remove_old_files

        for signal in (post_save, post_delete):
            signal.connect(forget_current, sender=Brand, dispatch_uid=f"brand-{signal}")
        remove_old_files(Brand, "logo")
        remove_old_files(Brand, "social_image")
