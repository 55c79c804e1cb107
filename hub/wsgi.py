"""WSGI entry point (gunicorn hub.wsgi): Django, with stored pages served first."""

import logging
import os

import django

# The log formats (hub.settings.LOGGING) use no caller, thread or process: the logging
# module need not look them up for every record (its documented optimisations; a few
# microseconds of every stored page's request line).
logging._srcfile = None
logging.logThreads = False
logging.logProcesses = False
logging.logMultiprocessing = False

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
django.setup(set_prefix=False)

from hub.handler import PageCacheHandler  # noqa: E402  (needs the apps loaded)

application = PageCacheHandler()
