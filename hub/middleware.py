"""Middleware that belongs to the project as a whole."""

from django.http import JsonResponse

from hub.health import run_checks


class HealthCheckMiddleware:
    """Answer /healthz before host validation and HTTPS redirects.

    Load balancers probe app servers by IP address over plain HTTP, which
    ALLOWED_HOSTS and SECURE_SSL_REDIRECT would otherwise turn away.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            checks = run_checks()
            serving = checks["database"] == "ok"
            if not serving:
                status = "error"
            elif all(result == "ok" for result in checks.values()):
                status = "ok"
            else:
                status = "degraded"
            response = JsonResponse(
                {"status": status, "checks": checks}, status=200 if serving else 503
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
