"""Search that forgives: a vocabulary for "did you mean", and experts found by name.

On PostgreSQL pg_trgm is enabled and the vocabulary gets a trigram index, which finds
the words that look like a typo. Existing experts get their folded name; existing
articles their search text again, now with their experts' names; the vocabulary is
filled from what is there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from articles.search_text import searchable, vocabulary, weighted_vector

INDEX = "articles_searchterm_term_trgm"


class EnableTrigrams(TrigramExtension):
    """Django's operation looks for the extension on the way back on any database."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_searchterm "
            "USING gin (term gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def fill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleExpert = apps.get_model("articles", "ArticleExpert")
    Expert = apps.get_model("articles", "Expert")
    Topic = apps.get_model("articles", "Topic")
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    SearchTerm = apps.get_model("articles", "SearchTerm")
    postgresql = schema_editor.connection.vendor == "postgresql"
    for expert in Expert.objects.only("pk", "name"):
        Expert.objects.filter(pk=expert.pk).update(search_name=searchable(expert.name))
    for article in Article.objects.only("pk", "summary", "search_document"):
        names = ArticleExpert.objects.filter(article=article).order_by("order")
        experts = " ".join(names.values_list("expert__name", flat=True))
        if not experts:
            continue
        document = f"{article.search_document} {experts}"
        Article.objects.filter(pk=article.pk).update(
            search_document=document, search_text=searchable(document)
        )
        if postgresql:
            Article.objects.filter(pk=article.pk).update(
                search_vector=weighted_vector(article.summary)
            )
    words = vocabulary(
        *Article.objects.exclude(status="draft").values_list("title", flat=True),
        *Topic.objects.values_list("name", flat=True),
        *SearchSynonym.objects.values_list("terms", flat=True),
        *Expert.objects.values_list("name", flat=True),
    )
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=word) for word in sorted(words)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_uploads_named_for_their_format")]

    operations = [
        EnableTrigrams(),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=100, unique=True)),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
                "ordering": ["term"],
            },
        ),
        migrations.AddField(
            model_name="expert",
            name="search_name",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
