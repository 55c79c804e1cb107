from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from common import memo
        from pagecache import local
        from pagecache.memo import Memo

        memo.install(Memo())

        # A request reads the database's news once (pagecache.invalidation.Listening).
        def started(**kwargs):
            local.watch().begin_request()

        def finished(**kwargs):
            local.watch().end_request()

        request_started.connect(started, weak=False, dispatch_uid="pagecache-request-started")
        request_finished.connect(finished, weak=False, dispatch_uid="pagecache-request-finished")
