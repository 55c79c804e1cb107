"""Uploads served by Django itself (HUB_SERVE_MEDIA): images as images, with nosniff;
any other file as a download, never as a page of the site."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.brand.conftest import SVG_LOGO, png_bytes

pytestmark = pytest.mark.django_db

PAGE = b"<!doctype html><title>x</title><script>alert(document.cookie)</script>"


def stored(name, content):
    return "/media/" + default_storage.save(name, ContentFile(content))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("brand/mark.png", png_bytes(), "image/png"),
        ("renditions/cells/lead-640w-v1.jpg", png_bytes(format="JPEG"), "image/jpeg"),
        ("renditions/cells/lead-640w-v1.webp", png_bytes(format="WEBP"), "image/webp"),
        ("brand/mark.svg", SVG_LOGO, "image/svg+xml"),
    ],
)
def test_an_image_is_served_with_its_own_type_and_nosniff(client, name, content, content_type):
    response = client.get(stored(name, content))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    "name", ["brand/page.html", "brand/page.htm", "brand/page.xhtml", "notes.txt", "x.pdf", "x"]
)
def test_any_other_file_is_a_download_never_a_page(client, name):
    response = client.get(stored(name, PAGE))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_or_a_folder_is_not_found(client):
    stored("brand/mark.png", png_bytes())

    assert client.get("/media/brand/gone.png").status_code == 404
    assert client.get("/media/brand/").status_code == 404
    assert client.get("/media/../hub/settings.py").status_code in (400, 404)
