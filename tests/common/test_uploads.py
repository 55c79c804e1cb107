"""A replaced or deleted upload leaves no file behind: not the original, not a rendition."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import images
from articles.models import Article
from common import uploads
from tests.articles.factories import image_upload, make_article, make_expert, make_sponsor
from tests.articles.test_admin import article_form
from tests.conftest import run_worker

pytestmark = pytest.mark.django_db


def files_of(name, shape):
    return [name, *images.renditions_of(shape)(name)]


def stored(names):
    return [name for name in names if default_storage.exists(name)]


def pictured_article(**fields):
    return make_article(lead_image=image_upload(), lead_image_alt="Cells", **fields)


def test_replacing_a_lead_image_in_the_admin_deletes_the_old_one_and_its_renditions(
    client, make_editor, django_capture_on_commit_callbacks
):
    client.force_login(make_editor(is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:articles_article_add"),
            article_form(lead_image=image_upload("first.jpg"), lead_image_alt="The first"),
        )
    article = Article.objects.get()
    old = files_of(article.lead_image.name, images.LEAD)
    assert stored(old) == old  # the original and its 10 renditions

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form(
                title=article.title,
                slug=article.slug,
                lead_image=image_upload("second.jpg"),
                lead_image_alt="The second",
            ),
        )

    article.refresh_from_db()
    new = files_of(article.lead_image.name, images.LEAD)
    assert response.status_code == 302
    assert article.lead_image.name.startswith("articles/second")
    assert stored(old) == []
    assert stored(new) == new


def test_deleting_an_expert_deletes_their_photo_and_its_renditions(
    django_capture_on_commit_callbacks,
):
    expert = make_expert(photo=image_upload("ada.png", (400, 400)), photo_alt="Dr Ada Lee")
    files = files_of(expert.photo.name, images.PORTRAIT)

    with django_capture_on_commit_callbacks(execute=True):
        expert.delete()

    assert len(files) == 9 and stored(files) == []


def test_saving_without_a_new_file_deletes_nothing(django_capture_on_commit_callbacks):
    article = pictured_article()
    files = files_of(article.lead_image.name, images.LEAD)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.title = "Retitled"
        article.save()

    assert stored(files) == files
    assert not any("delete_files" in repr(callback) for callback in callbacks)


def test_a_change_that_rolls_back_deletes_nothing(django_capture_on_commit_callbacks):
    article = pictured_article()
    files = files_of(article.lead_image.name, images.LEAD)

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                article.lead_image = image_upload("other.jpg")
                article.save()
                raise RuntimeError("the editor's save failed")
        except RuntimeError:
            pass

    assert stored(files) == files


def test_a_file_another_row_still_names_is_kept(django_capture_on_commit_callbacks):
    first = pictured_article(title="First")
    copy = make_article("Saved as new", lead_image=first.lead_image.name, lead_image_alt="Cells")
    files = files_of(first.lead_image.name, images.LEAD)

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()

    assert stored(files) == files
    assert Article.objects.get(pk=copy.pk).lead_image.name == files[0]


def test_a_sponsor_logo_replaced_is_deleted(django_capture_on_commit_callbacks):
    sponsor = make_sponsor("Demo Pharma", logo=ContentFile(b"old", "old.png"))
    old = sponsor.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        sponsor.logo = ContentFile(b"new", "new.png")
        sponsor.save()

    assert not default_storage.exists(old) and default_storage.exists(sponsor.logo.name)


def test_a_storage_failure_is_tried_again_later(
    task_queue, django_capture_on_commit_callbacks, caplog
):
    article = pictured_article()
    run_worker()  # its sizes
    files = files_of(article.lead_image.name, images.LEAD)
    assert stored(files) == files
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    caplog.set_level(logging.WARNING, logger="common.uploads")

    storage = type(default_storage._wrapped)
    with mock.patch.object(storage, "delete", side_effect=OSError("bucket away")):
        run_worker()
    after_failure = stored(files)
    retry = DBTaskResult.objects.get(status="READY")
    waited = retry.run_after - timezone.now()
    retry.run_after = timezone.now() - timedelta(seconds=1)  # as if the delay had passed
    retry.save(update_fields=["run_after"])
    run_worker()

    assert after_failure == files
    assert "Could not delete" in caplog.text
    assert not DBTaskResult.objects.filter(status="FAILED").exists()  # handed on, not failed
    assert timedelta(seconds=50) < waited <= uploads.RETRY_DELAYS[0]
    assert stored(files) == []


def test_sizes_shared_with_an_older_upload_of_the_same_stem_are_kept(
    django_capture_on_commit_callbacks,
):
    older = pictured_article(title="Older")
    shared = files_of(older.lead_image.name, images.LEAD)[1:]
    stem = older.lead_image.name.rsplit(".", 1)[0]
    other = make_article("Same stem")  # uploaded before names were made unique:
    Article.objects.filter(pk=other.pk).update(lead_image=f"{stem}.png", lead_image_alt="Cells")
    other.refresh_from_db()
    default_storage.save(f"{stem}.png", ContentFile(b"png"))

    with django_capture_on_commit_callbacks(execute=True):
        other.delete()

    assert not default_storage.exists(f"{stem}.png")  # its own file goes
    assert stored(shared) == shared  # the sizes the older upload still uses stay


def test_new_uploads_never_share_a_stem():
    first = pictured_article(title="One")
    second = pictured_article(title="Two")

    stems = {article.lead_image.name.rsplit(".", 1)[0] for article in (first, second)}
    assert len(stems) == 2
    assert all(name.startswith("articles/lead-") for name in [first.lead_image.name])
