import django.db.models.deletion
from django.db import migrations, models

import articles.models.hubs


READER_RECORDS = ("attempt", "evaluation", "commitment")


def attempts_where_their_article_lives(apps, schema_editor):
    """Attempts, evaluations and commitments so far were taken on their article's home
    hub (before hubs, the first)."""
    Quiz = apps.get_model("quizzes", "Quiz")
    for quiz_id, hub_id in Quiz.objects.values_list("pk", "article__hub_id"):
        for name in READER_RECORDS:
            apps.get_model("quizzes", name).objects.filter(quiz_id=quiz_id).update(hub_id=hub_id)


def count_every_quiz(apps, schema_editor):
    """The report's counts again, now by hub (quizzes.tallies)."""
    from quizzes.tallies import recount

    Attempt, Answer = apps.get_model("quizzes", "Attempt"), apps.get_model("quizzes", "Answer")
    OutcomeCount = apps.get_model("quizzes", "OutcomeCount")
    OutcomeCount.objects.all().delete()
    for quiz_id in Attempt.objects.values_list("quiz_id", flat=True).distinct().order_by():
        recount(quiz_id, Attempt, Answer, OutcomeCount)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_content_on_hubs"),
        ("hubs", "0002_default_hub"),
        ("quizzes", "0009_outcome_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.RunPython(attempts_where_their_article_lives, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attempt",
            name="hub",
            field=models.ForeignKey(
                default=articles.models.hubs.default_hub,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="hub",
            field=models.ForeignKey(
                default=articles.models.hubs.default_hub,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="hub",
            field=models.ForeignKey(
                default=articles.models.hubs.default_hub,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hubs.hub",
                verbose_name="hub",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="outcomecount",
            name="quizzes_outcome_count_once",
        ),
        migrations.AddField(
            model_name="outcomecount",
            name="hub",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
            ),
        ),
        migrations.RunPython(count_every_quiz, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outcomecount",
            name="hub",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
            ),
        ),
        migrations.AddConstraint(
            model_name="outcomecount",
            constraint=models.UniqueConstraint(
                fields=(
                    "quiz",
                    "hub",
                    "quarter",
                    "dimension",
                    "value",
                    "kind",
                    "item",
                    "before",
                    "after",
                ),
                name="quizzes_outcome_count_once_per_hub",
            ),
        ),
        migrations.AddField(
            model_name="answersexport",
            name="hubs",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="hubs counted"
            ),
        ),
    ]
