"""Small builders for article data: each test says what matters to it."""

import io
from datetime import timedelta
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

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
from hubs import directory as hubs

_numbers = count(1)


def image_upload(name="lead.jpg", size=(1600, 900), colour=(40, 110, 180)):
    """An image file as a browser uploads it (JPEG, or PNG for a .png name)."""
    buffer = io.BytesIO()
    image_format = "PNG" if name.endswith(".png") else "JPEG"
    Image.new("RGB", size, colour).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


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


def make_expert(name=None, committee=False, **fields):
    """An expert; with `committee`, on the steering committee of the hub being served."""
    n = next(_numbers)
    expert = Expert.objects.create(name=name or f"Dr Expert {n}", slug=f"expert-{n}", **fields)
    if committee:
        expert.committees.add(hubs.current().id)
    return expert


def make_sponsor(name=None, level=Sponsor.Level.GOLD, hub=None, order=0, is_active=True, **fields):
    """A sponsor funding `hub` (the hub being served by default) at `level`; None for
    a sponsor funding no hub."""
    n = next(_numbers)
    sponsor = Sponsor.objects.create(name=name or f"Sponsor {n}", slug=f"sponsor-{n}", **fields)
    if level is not None:
        sponsor.sponsorships.create(
            hub_id=hub if isinstance(hub, int) else (hub or hubs.current()).id,
            level=level,
            order=order,
            is_active=is_active,
        )
    return sponsor


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
