"""Small builders for article data: each test says what matters to it."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from articles.models import (
    Article,
    ArticleExpert,
    ArticleType,
    Expert,
    KeyLearning,
    LearningObjective,
    Reference,
    Sponsor,
    Topic,
)

_numbers = count(1)


def make_type(name="Article", slug=None):
    slug = slug or name.lower().replace(" ", "-")
    return ArticleType.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def make_topic(name=None, parent=None, **fields):
    n = next(_numbers)
    name = name or f"Topic {n}"
    return Topic.objects.create(
        name=name,
        slug=f"{name.lower().replace(' ', '-').replace('/', '-')}-{n}",
        parent=parent,
        **fields,
    )


def make_expert(name=None, **fields):
    n = next(_numbers)
    return Expert.objects.create(name=name or f"Dr Expert {n}", slug=f"expert-{n}", **fields)


def make_sponsor(name=None, level=Sponsor.Level.GOLD, **fields):
    n = next(_numbers)
    return Sponsor.objects.create(
        name=name or f"Sponsor {n}", slug=f"sponsor-{n}", level=level, **fields
    )


def make_article(
    title=None,
    *,
    topics=(),
    experts=(),
    references=(),
    objectives=(),
    learnings=(),
    published=True,
    age=timedelta(days=1),
    **fields,
):
    """A published article (by default) with the given related rows, rendered as on save."""
    n = next(_numbers)
    fields.setdefault("article_type", make_type())
    fields.setdefault("summary", f"Summary of article {n}.")
    fields.setdefault("body", f"Body text of article {n}.")
    article = Article.objects.create(
        title=title or f"Article {n}",
        slug=fields.pop("slug", f"article-{n}"),
        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
        published_at=timezone.now() - age,
        **fields,
    )
    article.topics.set(topics)
    for order, expert in enumerate(experts):
        ArticleExpert.objects.create(article=article, expert=expert, order=order)
    for order, text in enumerate(objectives):
        LearningObjective.objects.create(article=article, text=text, order=order)
    for order, text in enumerate(learnings):
        KeyLearning.objects.create(article=article, text=text, order=order)
    for order, ref in enumerate(references):
        Reference.objects.create(article=article, order=order, **ref)
    article.save()
    return article
