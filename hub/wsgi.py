"""WSGI entry point (gunicorn hub.wsgi): Django, with stored pages served first."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
django.setup(set_prefix=False)

from hub.handler import PageCacheHandler  # noqa: E402  (needs the apps loaded)

application = PageCacheHandler()
