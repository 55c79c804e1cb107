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
            watch = local.watch()
            if hasattr(watch, "begin_request"):
                watch.begin_request()

        def finished(**kwargs):
            watch = local.watch()
            if hasattr(watch, "end_request"):
                watch.end_request()

        request_started.connect(started, weak=False, dispatch_uid="pagecache-request-started")
        request_finished.connect(finished, weak=False, dispatch_uid="pagecache-request-finished")
