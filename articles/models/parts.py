"""The parts an article is made of: its experts, learning objectives, key learnings
and numbered references, each edited inline with the article."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.models.catalogue import Expert


class ArticleExpert(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_experts")
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="article_roles"
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(fields=["article", "expert"], name="articles_expert_once"),
        ]

    def __str__(self):
        return str(self.expert)


class ArticleListItem(models.Model):
    """A numbered line of an article: a learning objective or a key learning."""

    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class LearningObjective(ArticleListItem):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="learning_objectives"
    )

    class Meta(ArticleListItem.Meta):
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")


class KeyLearning(ArticleListItem):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="key_learnings")

    class Meta(ArticleListItem.Meta):
        verbose_name = _("key learning")
        verbose_name_plural = _("key learnings")


class Reference(models.Model):
    """A numbered reference; [n] in the body links to the n-th one in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveIntegerField(_("order"), default=0)
    authors = models.CharField(_("authors or source"), max_length=500)
    title = models.CharField(_("title"), max_length=500)
    source = models.CharField(
        _("journal or publisher"),
        max_length=300,
        blank=True,
        help_text=_("e.g. N Engl J Med. 2024;391:393-407"),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self):
        return f"{self.authors_display}. {self.title}"

    @property
    def authors_display(self):
        """Authors without a closing full stop ("et al." ends with one); templates add it."""
        return self.authors.rstrip(". ")
