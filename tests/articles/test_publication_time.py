"""A published article always has a publication time: the database refuses anything else.

Without one its page, the admin list and the feeds crashed (a 500) when a row was
published by .update(), a bulk action or an import that skipped Article.save().
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import make_article, make_type

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_published_article_without_a_time():
    article = make_article(published=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="published", published_at=None)


def test_the_database_refuses_removing_the_time_of_a_published_article():
    article = make_article()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_drafts_may_have_no_time_yet():
    article = make_article()

    Article.objects.filter(pk=article.pk).update(status="draft", published_at=None)

    assert Article.objects.drafts().get().published_at is None


def test_saving_a_published_article_gives_it_the_time_of_publishing():
    article = Article(title="T", slug="t", summary="S", body="B", article_type=make_type())
    article.status = Article.Status.PUBLISHED
    before = timezone.now()

    article.save()

    assert before <= Article.objects.get().published_at <= timezone.now()


def test_validating_a_published_article_without_a_time_fills_it_in():
    """The admin form validates the constraint before save(): clean() sets the time first."""
    article = make_article(published=False)
    article.status, article.published_at = Article.Status.PUBLISHED, None

    article.full_clean()

    assert article.published_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_published_rows_without_a_time_one():
    before, after = (
        [("articles", "0006_seed_search_synonyms")],
        [("articles", "0007_published_article_has_a_time")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    kind = old.get_model("articles", "ArticleType").objects.create(name="Old", slug="old")
    make = old.get_model("articles", "Article").objects.create
    make(title="Broken", slug="broken", summary="", body="", article_type=kind, status="published")
    make(title="Draft", slug="draft", summary="", body="", article_type=kind, status="draft")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    # The model as it was then: later migrations add columns the table does not have yet.
    migrated = executor.loader.project_state(after).apps.get_model("articles", "Article")
    assert migrated.objects.get(slug="broken").published_at is not None
    assert migrated.objects.get(slug="draft").published_at is None
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
