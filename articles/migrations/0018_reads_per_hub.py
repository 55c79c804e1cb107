import django.db.models.deletion
from django.db import migrations, models


def where_their_article_lives(apps, schema_editor):
    """Reads so far were of their article's home hub (before hubs, the first)."""
    Article = apps.get_model("articles", "Article")
    ArticleRead = apps.get_model("articles", "ArticleRead")
    for article_id, hub_id in Article.objects.values_list("pk", "hub_id"):
        ArticleRead.objects.filter(article_id=article_id).update(hub_id=hub_id)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_sponsorships_and_committees_per_hub"),
        ("hubs", "0002_default_hub"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="articleread",
            name="articles_one_read_per_reader_day",
        ),
        migrations.AddField(
            model_name="articleread",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
            ),
        ),
        migrations.RunPython(where_their_article_lives, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="articleread",
            name="hub",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
            ),
        ),
        migrations.AddConstraint(
            model_name="articleread",
            constraint=models.UniqueConstraint(
                fields=("article", "hub", "day", "reader_hash"),
                name="articles_one_read_per_reader_hub_and_day",
            ),
        ),
    ]
