"""WSGI entry point (gunicorn hub.wsgi): Django, behind this server's own page cache."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
# No check of each pooled connection before a request (a round trip each): a request
# that meets a dropped connection is answered again by RetryLostConnections below.
os.environ.setdefault("DJANGO_DB_HEALTH_CHECKS", "off")

django_application = get_wsgi_application()

from hub import request_log  # noqa: E402  (needs the apps loaded)
from hub.retry import RetryLostConnections  # noqa: E402
from pagecache.wsgi import LocalCache  # noqa: E402

application = LocalCache(RetryLostConnections(django_application), log=request_log)
