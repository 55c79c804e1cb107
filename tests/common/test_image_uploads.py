"""Every image upload follows one rule: Pillow names the real format, the field takes
that format, and the file's name ends with that format's extension. A PNG named
page.html (a PNG/HTML polyglot) is a form error in the admin, never a stored file."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, Expert, Sponsor
from brand.models import Brand
from hubs.directory import default as default_hub
from tests.articles.test_admin import article_form

pytestmark = pytest.mark.django_db

POLYGLOT_TAIL = b"<html><script>alert(document.cookie)</script></html>"


def upload(name, image_format, size=(400, 400), tail=b""):
    """A file named `name` holding an `image_format` image (and `tail`), as a browser
    sends it."""
    buffer = io.BytesIO()
    mode = "RGBA" if image_format in ("PNG", "WEBP", "GIF") else "RGB"
    Image.new(mode, size, (40, 110, 180, 255)[: len(mode)]).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue() + tail, "image/png")


@pytest.fixture
def editor_client(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    return client


def stored_files():
    directories, files = default_storage.listdir("") if default_storage.exists("") else ([], [])
    found = list(files)
    for directory in directories:
        found += [f"{directory}/{name}" for name in default_storage.listdir(directory)[1]]
    return found


def post(client, url_name, data):
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200, "a form error, not a redirect (stored) or a 500"
    return response.context["adminform"].form.errors


def brand(**files):
    return {"name": "Blood Matters", "tagline": "", "accent": "#0b4f8a", **files}


def expert(**files):
    return {
        "name": "Dr Ada Lee",
        "slug": "ada-lee",
        "hub": str(default_hub().id),
        "order": "0",
        "photo_alt": "Dr Ada Lee",
        # The disclosures inline (listed, added on their own page) sends its management form.
        "disclosures-TOTAL_FORMS": "0",
        "disclosures-INITIAL_FORMS": "0",
        **files,
    }


def sponsor(**files):
    return {
        "name": "Northwind",
        "slug": "northwind",
        "sponsorships-TOTAL_FORMS": "1",
        "sponsorships-INITIAL_FORMS": "0",
        "sponsorships-0-hub": default_hub().id,
        "sponsorships-0-level": "2",
        "sponsorships-0-order": "0",
        "sponsorships-0-is_active": "on",
        **files,
    }


def article(**files):
    return article_form(lead_image_alt="Cells in a blood film", **files)


MISNAMED = [
    ("picture.html", "PNG"),
    ("picture.svg", "PNG"),
    ("picture.png", "JPEG"),
    ("picture.jpg", "PNG"),
    ("picture.pdf", "PNG"),
    ("picture", "JPEG"),
]
RENAME = "image: its name must end in"


@pytest.mark.parametrize(("name", "image_format"), MISNAMED)
@pytest.mark.parametrize(
    ("url_name", "form", "field", "model"),
    [
        ("admin:brand_brand_add", brand, "logo", Brand),
        ("admin:brand_brand_add", brand, "social_image", Brand),
        ("admin:articles_article_add", article, "lead_image", Article),
        ("admin:articles_expert_add", expert, "photo", Expert),
        ("admin:articles_sponsor_add", sponsor, "logo", Sponsor),
    ],
)
def test_an_image_named_as_another_type_is_a_form_error(
    editor_client, url_name, form, field, model, name, image_format
):
    errors = post(
        editor_client, url_name, form(**{field: upload(name, image_format, tail=POLYGLOT_TAIL)})
    )

    assert field in errors, errors
    assert not model.objects.exists()
    assert stored_files() == []


def test_the_error_says_what_the_file_is_and_how_to_name_it(editor_client):
    errors = post(editor_client, "admin:brand_brand_add", brand(logo=upload("x.html", "PNG")))

    assert errors["logo"] == ["This is a PNG image: its name must end in .png."]


@pytest.mark.parametrize(
    ("url_name", "form", "field", "image_format", "name"),
    [
        ("admin:articles_article_add", article, "lead_image", "GIF", "cells.gif"),
        ("admin:articles_article_add", article, "lead_image", "BMP", "cells.bmp"),
        ("admin:articles_expert_add", expert, "photo", "TIFF", "ada.tiff"),
        ("admin:articles_sponsor_add", sponsor, "logo", "GIF", "logo.gif"),
        ("admin:brand_brand_add", brand, "social_image", "WEBP", "share.webp"),
    ],
)
def test_only_the_formats_a_field_is_meant_for_are_taken(
    editor_client, url_name, form, field, image_format, name
):
    errors = post(editor_client, url_name, form(**{field: upload(name, image_format)}))

    assert field in errors, errors
    assert stored_files() == []


@pytest.mark.parametrize(
    ("url_name", "form", "field", "model", "name", "image_format"),
    [
        ("admin:brand_brand_add", brand, "logo", Brand, "mark.PNG", "PNG"),
        ("admin:brand_brand_add", brand, "social_image", Brand, "share.jpeg", "JPEG"),
        ("admin:articles_article_add", article, "lead_image", Article, "cells.webp", "WEBP"),
        ("admin:articles_article_add", article, "lead_image", Article, "cells.JPG", "JPEG"),
        ("admin:articles_expert_add", expert, "photo", Expert, "ada.png", "PNG"),
        ("admin:articles_sponsor_add", sponsor, "logo", Sponsor, "logo.jpg", "JPEG"),
    ],
)
def test_an_image_named_for_what_it_is_is_stored(
    editor_client, url_name, form, field, model, name, image_format
):
    response = editor_client.post(reverse(url_name), form(**{field: upload(name, image_format)}))

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = getattr(model.objects.get(), field)
    assert default_storage.exists(stored.name)
