"""The worker makes an image's sizes after the save: the editor does not wait for them,
readers never see a broken image, and a storage failure is tried again."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import images, renditions
from articles.models import Article
from tests.articles.factories import image_upload, make_article
from tests.articles.test_admin import article_form
from tests.conftest import declare_hcp, run_worker

pytestmark = pytest.mark.django_db

LEAD_IMAGE = 'class="lead-image"'


def sizes(article):
    return images.renditions_of(images.LEAD)(article.lead_image.name)


def stored(names):
    return [name for name in names if default_storage.exists(name)]


def page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def test_an_upload_is_saved_at_once_and_its_sizes_made_by_the_worker(
    task_queue, client, make_editor
):
    editor = make_editor(is_superuser=True)
    client.force_login(editor)
    reader = declare_hcp(type(client)())

    saved = client.post(
        reverse("admin:articles_article_add"),
        article_form(lead_image=image_upload("cells.jpg"), lead_image_alt="Cells in a film"),
    )
    article = Article.objects.get()
    before = page(reader, article)
    admin_before = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    run_worker()
    article.refresh_from_db()
    after = page(reader, article)

    assert saved.status_code == 302
    assert stored(sizes(article)) == sizes(article) and len(sizes(article)) == 10
    assert article.lead_image_ready
    assert LEAD_IMAGE not in before  # the pattern stands in, never a missing file
    assert LEAD_IMAGE in after and "Cells in a film" in after  # the stored page was renewed
    assert "Being made by the background worker" in admin_before.content.decode()


def test_before_the_worker_ran_no_page_names_a_missing_size(task_queue, client):
    declare_hcp(client)
    article = make_article(lead_image=image_upload(), lead_image_alt="Cells")

    html = page(client, article) + client.get("/").content.decode()

    assert stored(sizes(article)) == []
    assert "renditions/" not in html


def test_a_storage_failure_is_tried_again_later(task_queue, caplog):
    article = make_article(lead_image=image_upload(), lead_image_alt="Cells")

    with mock.patch.object(
        type(default_storage._wrapped), "_save", side_effect=OSError("bucket away")
    ):
        run_worker()
    retry = DBTaskResult.objects.get(status="READY")
    waited = retry.run_after - timezone.now()
    retry.run_after = timezone.now() - timedelta(seconds=1)
    retry.save(update_fields=["run_after"])
    article.refresh_from_db()
    ready_after_failure = article.lead_image_ready
    run_worker()
    article.refresh_from_db()

    assert not ready_after_failure
    assert "Could not make the sizes" in caplog.text
    assert not DBTaskResult.objects.filter(status="FAILED").exists()  # handed on, not failed
    assert timedelta(seconds=50) < waited <= timedelta(minutes=1)
    assert article.lead_image_ready and stored(sizes(article)) == sizes(article)


def test_a_save_from_an_older_copy_keeps_the_sizes_made_meanwhile(task_queue):
    article = make_article(lead_image=image_upload(), lead_image_alt="Cells")
    older_copy = Article.objects.get(pk=article.pk)  # read before the worker ran

    run_worker()
    older_copy.title = "Retitled while the sizes were made"
    older_copy.save()

    assert Article.objects.get(pk=article.pk).lead_image_ready


def test_an_image_replaced_before_the_worker_ran_gets_only_its_own_sizes(task_queue):
    article = make_article(lead_image=image_upload("first.jpg"), lead_image_alt="Cells")
    first = sizes(article)
    article.lead_image = image_upload("second.jpg")
    article.save()

    run_worker()
    article.refresh_from_db()

    assert stored(first) == []  # the first image's task found it replaced
    assert article.lead_image_ready and stored(sizes(article)) == sizes(article)


def test_an_image_replaced_while_its_sizes_are_made_ends_up_with_its_own(task_queue):
    article = make_article(lead_image=image_upload("first.jpg"), lead_image_alt="Cells")
    generate = renditions.ImageCacheFile.generate
    swapped = []

    def editor_replaces_it_meanwhile(self, *args, **kwargs):
        if not swapped:
            swapped.append(True)
            editing = Article.objects.get(pk=article.pk)
            editing.lead_image = image_upload("second.jpg")
            editing.save()
        return generate(self, *args, **kwargs)

    with mock.patch.object(renditions.ImageCacheFile, "generate", editor_replaces_it_meanwhile):
        run_worker()
    article.refresh_from_db()

    assert swapped and article.lead_image.name.startswith("articles/second")
    assert article.lead_image_ready and stored(sizes(article)) == sizes(article)
