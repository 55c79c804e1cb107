"""Search compares folded text: create PostgreSQL's configuration, fill existing rows.

The configuration is English stemming without stop words ("T" in "T-cell" counts).
Every article saved before this migration gets its search_title and search_text, and
on PostgreSQL its tsvector rebuilt from them.
"""

from django.db import migrations

from articles.search_text import SEARCH_CONFIG, searchable, weighted_vector

DICTIONARY = f"{SEARCH_CONFIG}_stem"


def create_search_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TEXT SEARCH DICTIONARY {DICTIONARY} (TEMPLATE = snowball, LANGUAGE = english)"
    )
    schema_editor.execute(
        f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = pg_catalog.english)"
    )
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} "
        f"ALTER MAPPING REPLACE english_stem WITH {DICTIONARY}"
    )


def drop_search_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {SEARCH_CONFIG}")
    schema_editor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {DICTIONARY}")


def recompute_search_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    postgresql = schema_editor.connection.vendor == "postgresql"
    for article in Article.objects.only("pk", "title", "summary", "search_document"):
        Article.objects.filter(pk=article.pk).update(
            search_title=searchable(article.title),
            search_text=searchable(article.search_document),
        )
        if postgresql:
            Article.objects.filter(pk=article.pk).update(
                search_vector=weighted_vector(article.summary)
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_search_text_and_synonyms")]

    operations = [
        migrations.RunPython(create_search_config, drop_search_config, elidable=False),
        migrations.RunPython(recompute_search_text, migrations.RunPython.noop, elidable=False),
    ]
