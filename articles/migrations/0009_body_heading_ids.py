"""The body's h2 and h3 headings get ids, for the on-page contents to link to.

New saves add them (Article.render); this fills the articles saved before.
"""

from django.db import migrations

from articles.rendering import heading_ids


def add_heading_ids(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body_html"):
        html = heading_ids(article.body_html)
        if html != article.body_html:
            Article.objects.filter(pk=article.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_search_and_reach_merged")]

    operations = [
        migrations.RunPython(add_heading_ids, migrations.RunPython.noop, elidable=False),
    ]
