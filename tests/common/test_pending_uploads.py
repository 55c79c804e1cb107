"""A chosen file survives a form error (common.pending_uploads): kept under pending/,
carried by a signed reference, used on the next valid submit, checked as a fresh upload,
and deleted once used or stale."""

import os
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from brand.models import Brand
from common import pending_uploads
from tests.articles.factories import image_upload
from tests.articles.test_admin import article_form
from tests.brand.conftest import png_bytes

pytestmark = pytest.mark.django_db

ADD = "admin:articles_article_add"


@pytest.fixture
def editor(client, make_editor):
    client.force_login(make_editor(is_superuser=True))


def kept_token(html, field="lead_image"):
    match = re.search(rf'name="{field}__kept" value="([^"]+)"', html)
    return match and match.group(1)


def pending_files():
    try:
        return default_storage.listdir("pending")[1]
    except FileNotFoundError:
        return []


def with_picture(**overrides):
    data = article_form(**overrides)
    data["lead_image"] = image_upload("lead.jpg")
    data["lead_image_alt"] = "Cells under a microscope"
    return data


def test_a_file_chosen_before_a_form_error_is_kept_and_used(
    client, editor, django_capture_on_commit_callbacks
):
    first = client.post(reverse(ADD), with_picture(title=""))

    assert first.status_code == 200
    html = first.content.decode()
    assert "This field is required." in html
    assert "Kept: lead.jpg (choose another to replace it)" in html
    assert len(pending_files()) == 1
    fixed = article_form()
    fixed["lead_image_alt"] = "Cells under a microscope"
    fixed["lead_image__kept"] = kept_token(html)

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(reverse(ADD), fixed)

    assert second.status_code == 302
    article = Article.objects.get()
    assert article.lead_image.name.endswith(".jpg")
    assert not article.lead_image.name.startswith("pending/")
    assert default_storage.exists(article.lead_image.name)
    assert pending_files() == []  # the kept copy is gone once used


def test_a_new_file_replaces_the_kept_one(client, editor):
    html = client.post(reverse(ADD), with_picture(title="")).content.decode()
    data = with_picture()
    data["lead_image"] = image_upload("other.png")
    data["lead_image__kept"] = kept_token(html)

    client.post(reverse(ADD), data)

    assert Article.objects.get().lead_image.name.endswith(".png")


def test_a_kept_file_is_kept_again_through_a_second_error(client, editor):
    html = client.post(reverse(ADD), with_picture(title="")).content.decode()
    again = article_form(title="")
    again["lead_image__kept"] = kept_token(html)

    html2 = client.post(reverse(ADD), again).content.decode()

    assert "Kept: lead.jpg" in html2
    assert kept_token(html2) == kept_token(html)
    assert len(pending_files()) == 1  # not copied a second time


def test_a_file_its_own_field_refuses_is_not_kept(client, editor):
    data = article_form(title="")
    data["lead_image"] = SimpleUploadedFile("lead.png", b"not really a png", "image/png")

    html = client.post(reverse(ADD), data).content.decode()

    assert "Upload a" in html  # the field's own error
    assert "Kept:" not in html
    assert pending_files() == []


def test_a_kept_file_is_checked_as_a_fresh_upload(client, editor):
    """A reference to something that is no image (or a forged one) gets the field's error."""
    name = default_storage.save("pending/abc.jpg", ContentFile(b"<html>not an image</html>"))
    token = signing.dumps(
        {"name": name, "original": "lead.jpg", "type": "image/jpeg"}, salt=pending_uploads.SALT
    )
    data = article_form()
    data["lead_image_alt"] = "x"
    data["lead_image__kept"] = token

    response = client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert "Upload a" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps({"name": "pending/none.jpg", "original": "a.jpg"}, salt="other"),
        signing.dumps(
            {"name": "articles/elsewhere.jpg", "original": "a.jpg"}, salt=pending_uploads.SALT
        ),
    ],
)
def test_a_bad_or_foreign_reference_is_ignored(client, editor, token):
    data = article_form()
    data["lead_image__kept"] = token

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302
    assert not Article.objects.get().lead_image


def test_a_stale_reference_is_refused(client, editor):
    html = client.post(reverse(ADD), with_picture(title="")).content.decode()
    token = kept_token(html)
    later = time.time() + pending_uploads.MAX_AGE.total_seconds() + 60
    data = article_form()
    data["lead_image__kept"] = token

    with mock.patch("django.core.signing.time.time", return_value=later):
        client.post(reverse(ADD), data)

    assert not Article.objects.get().lead_image


def test_stale_kept_files_are_swept():
    old = default_storage.save("pending/old.jpg", ContentFile(b"x"))
    new = default_storage.save("pending/new.jpg", ContentFile(b"x"))
    a_day_ago = time.time() - pending_uploads.MAX_AGE.total_seconds() - 60
    os.utime(default_storage.path(old), (a_day_ago, a_day_ago))

    assert pending_uploads.sweep() == [old]
    assert pending_files() == ["new.jpg"]
    assert default_storage.exists(new)


def test_with_a_task_queue_a_kept_file_is_deleted_a_day_later_if_unused(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    pending_uploads.keep(image_upload("lead.jpg"))

    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("forget_pending_upload")
    assert queued.run_after > timezone.now() + pending_uploads.MAX_AGE - timedelta(minutes=1)
    name = queued.args_kwargs["args"][0]
    assert default_storage.exists(name)
    pending_uploads.forget_pending_upload.call(name)
    assert not default_storage.exists(name)


def test_the_brand_logo_is_kept_across_a_form_error(client, editor):
    logo = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    data = {"name": "", "tagline": "", "accent": "#0b4f8a", "logo": logo}

    html = client.post(reverse("admin:brand_brand_add"), data).content.decode()

    assert "Kept: logo.png" in html
    data = {"name": "Haematology Hub", "tagline": "", "accent": "#0b4f8a"}
    data["logo__kept"] = kept_token(html, "logo")
    response = client.post(reverse("admin:brand_brand_add"), data)
    assert response.status_code == 302
    assert Brand.objects.get().logo.name.endswith(".png")
