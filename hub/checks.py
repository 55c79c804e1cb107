"""System checks of the Hub's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def media_served_by_django(app_configs, **kwargs):
    """Uploads are editors' files: in production a web server or object storage
    serves them, with types it is told, not the app."""
    if settings.DEBUG or not settings.HUB_SERVE_MEDIA:
        return []
    return [
        checks.Warning(
            "HUB_SERVE_MEDIA is on with DEBUG off: Django serves uploaded media.",
            hint=(
                "Serve MEDIA_ROOT from the web server in front (nginx `location /media/` "
                "with `X-Content-Type-Options: nosniff`) or from object storage, and set "
                "HUB_SERVE_MEDIA=off (docs/deploy.md)."
            ),
            id="hub.W001",
        )
    ]
