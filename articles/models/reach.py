"""How many declared readers opened an article each day, without knowing who they were."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article


class ArticleRead(models.Model):
    """One reader opened an article on a day: a keyed hash, never an IP or an account id.

    The hash is an HMAC with that day's random salt (DailySalt), which is discarded
    once the day is over, so yesterday's rows cannot be linked to anyone, not even
    by us. The constraint makes a second visit the same day count nothing. A read
    counts on the hub where the article was read (a shared article has readers on each).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    reader_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("article read")
        verbose_name_plural = _("article reads")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hub", "day", "reader_hash"],
                name="articles_one_read_per_reader_hub_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}"


class DailySalt(models.Model):
    """The secret of one day's reader hashes; deleted when the next day's is made."""

    day = models.DateField(primary_key=True)
    value = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)
