"""Site-wide pages: home and robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

ROBOTS_DISALLOW = ["/admin/", "/accounts/"]


@require_GET
def home(request):
    return render(request, "hub/home.html")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
