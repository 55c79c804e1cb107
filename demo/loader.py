"""Load demo/content.json into the database, creating only what is missing.

Anything that already exists (by slug) is left untouched, so running the loader
twice changes nothing and never overwrites an editor's changes to demo content. With
`pictures`, demo articles and experts that have no picture get one drawn for them
(demo/artwork.py); their renditions are made here, not left to the worker.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from articles import renditions
from articles.models import (
    Article,
    ArticleExpert,
    ArticleType,
    ContentRole,
    Disclosure,
    Expert,
    FinancialRelationship,
    KeyLearning,
    LearningObjective,
    Reference,
    Sponsor,
    Topic,
)
from brand.models import Brand
from demo import artwork
from hubs.models import Hub, HubHost
from quizzes.attempts import refresh_objective_changes
from quizzes.models import Choice, Question, Quiz

CONTENT = Path(__file__).with_name("content.json")
BRAND_FILES = Path(__file__).with_name("brand")
DEMO_BRAND = {
    "name": "Haematology Hub",
    "tagline": "Expert-led haematology education for healthcare professionals",
    "accent": "#0b5d6b",
}
LEVELS = {level.name.lower(): level for level in Sponsor.Level}
COLOURS = list(Topic.Colour)
# Left without a picture, to show what a card or an expert looks like without one.
NO_PICTURE = {"myeloma-highlights-2026-congress-season", "belantamab-ocular-toxicity-monitoring"}
NO_PORTRAIT_EVERY = 3  # every third expert shows initials


def _date(value):
    return date.fromisoformat(value) if value else None


def _get_or_create(model, slug, shared=(), **fields):
    found, new = model.objects.get_or_create(slug=slug, defaults=fields)
    if new and shared:
        found.shared_with.set(shared)
    return found, new


@transaction.atomic
def load_demo(path=CONTENT, pictures=False, hubs=False):
    """Create the demo content that is not there yet; return counts of what was created.

    Drawing pictures and their renditions takes seconds: `manage.py load_demo` does it,
    tests ask for it only where they look at pictures. With `hubs` (`manage.py
    load_demo` again) the demo is two hubs: the first, and a lymphoma hub on
    lymphoma.localhost sharing an expert, two topics and an article with it; without,
    everything is on the first hub."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = dict.fromkeys(
        ["hubs", "brand", "content types", "topics", "experts", "sponsors", "articles"], 0
    )
    created["quizzes"] = 0
    created["brand"] = _create_brand()
    places = {}
    if hubs:
        places, created["hubs"] = _create_hubs(data)

    first = Hub.objects.get(is_default=True)
    places["hub"] = first  # the first hub's slug in content.json

    def home(item):
        """Where an item lives and the hubs it is shared with."""
        return places.get(item.get("hub"), first), [
            places[slug] for slug in item.get("shared_with", ()) if slug in places
        ]

    types = {}
    for order, item in enumerate(data["content_types"]):
        types[item["slug"]], new = _get_or_create(
            ArticleType, item["slug"], name=item["name"], plural=f"{item['name']}s", order=order
        )
        created["content types"] += new

    topics = {}
    for order, item in enumerate(data["topics"]):
        hub, shared = home(item)
        topics[item["slug"]], new = _get_or_create(
            Topic,
            item["slug"],
            shared,
            hub=hub,
            name=item["name"],
            parent=topics.get(item["parent"]),
            description=item["description"],
            order=order,
            colour=COLOURS[order % len(COLOURS)],
            is_demo=True,
        )
        created["topics"] += new

    experts = {}
    for order, item in enumerate(data["experts"]):
        hub, shared = home(item)
        experts[item["slug"]], new = _get_or_create(
            Expert,
            item["slug"],
            shared,
            hub=hub,
            name=item["name"],
            role=item["role"],
            institution=item["institution"],
            city=item["city"],
            country=item["country"],
            bio=item["bio"],
            order=order,
            is_demo=True,
        )
        if new:
            experts[item["slug"]].committees.set(
                [places[slug] for slug in item["committee"] if slug in places]
            )
        created["experts"] += new

    created["disclosures"] = _create_disclosures(data, experts)

    sponsors = {}
    for item in data["sponsors"]:
        sponsors[item["slug"]], new = _get_or_create(
            Sponsor,
            item["slug"],
            (),
            name=item["name"],
            url=item["url"],
            is_demo=True,
        )
        if new:
            for slug, funding in item["funds"].items():
                if slug in places:
                    sponsors[item["slug"]].sponsorships.create(
                        hub=places[slug], level=LEVELS[funding["level"]], order=funding["order"]
                    )
        created["sponsors"] += new

    for item in data["articles"]:
        if Article.objects.filter(slug=item["slug"]).exists():
            continue
        article = _create_article(item, types, topics, experts, sponsors, *home(item))
        _make_cme(article, data, experts)
        created["articles"] += 1

    for item in data["quizzes"]:
        article = Article.objects.get(slug=item["article"])
        quiz = Quiz.objects.filter(article=article).first()
        if quiz:
            _tie_objectives(item, quiz)
            continue
        _create_quiz(item, article)
        created["quizzes"] += 1

    if pictures:
        created["pictures"] = _draw_missing_pictures(data)
    return created


def _create_hubs(data):
    """The demo's other hubs with their hosts and brands ({slug: hub}, how many are new).
    A hub's host without a port answers on any: lymphoma.localhost:8000 under `make
    run`. The first hub gets `localhost` too when it is on this machine, so both names
    a newcomer may type reach it."""
    first = Hub.objects.get(is_default=True)
    address = first.hosts.filter(is_primary=True).values_list("host", flat=True).first()
    if address in ("127.0.0.1", "localhost"):
        for host in ("127.0.0.1", "localhost"):
            HubHost.objects.get_or_create(host=host, defaults={"hub": first})
    places, new_hubs = {}, 0
    for item in data["hubs"]:
        hub, new = Hub.objects.get_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "languages": item.get("languages", "")},
        )
        places[item["slug"]] = hub
        new_hubs += new
        for order, host in enumerate(item["hosts"]):
            HubHost.objects.get_or_create(
                host=host, defaults={"hub": hub, "is_primary": order == 0}
            )
        if new:
            Brand.objects.create(hub=hub, is_demo=True, **item["brand"])
    return places, new_hubs


def _create_brand():
    """The demo's name, logo and colour, unless editors have set a brand of their own."""
    first = Hub.objects.get(is_default=True)
    if Brand.objects.filter(hub=first).exists():
        return 0
    if first.name == settings.HUB_SITE_NAME:  # the name migrate gave it
        first.name = DEMO_BRAND["name"]
        first.save(update_fields=["name"])
    Brand.objects.create(
        hub=first,
        **DEMO_BRAND,
        logo=_stored("brand/demo-logo.svg", BRAND_FILES / "logo.svg"),
        social_image=_stored("brand/demo-social.png", BRAND_FILES / "social.png"),
        is_demo=True,
    )
    return 1


def _stored(name, source):
    """The file under `name` in the media storage, copied from `source` the first time."""
    if not default_storage.exists(name):
        with source.open("rb") as file:
            name = default_storage.save(name, File(file))
    return name


def _draw_missing_pictures(data):
    """Demo articles and experts without a picture get one of our own drawing."""
    drawn = 0
    for item in data["articles"]:
        article = Article.objects.filter(slug=item["slug"], is_demo=True, lead_image="").first()
        if article is None or item["slug"] in NO_PICTURE:
            continue
        colour = article.topics.order_by("order").values_list("colour", flat=True).first()
        image = artwork.illustration(article.slug, colour or "blue")
        article.lead_image.save(f"demo-{article.slug}.jpg", ContentFile(image), save=False)
        article.lead_image_decorative = True  # abstract: it adds nothing a reader needs
        article.lead_image_alt = ""
        article.save()
        renditions.make_now(article, "lead_image")  # ready without waiting for a worker
        drawn += 1
    for order, item in enumerate(data["experts"]):
        expert = Expert.objects.filter(slug=item["slug"], is_demo=True, photo="").first()
        if expert is None or order % NO_PORTRAIT_EVERY == NO_PORTRAIT_EVERY - 1:
            continue
        image = artwork.portrait(expert.slug, COLOURS[order % len(COLOURS)])
        expert.photo.save(f"demo-{expert.slug}.jpg", ContentFile(image), save=False)
        expert.photo_alt = f"Illustrated portrait of {expert.name} (a fictional expert)"
        expert.photo_decorative = False
        expert.save()
        renditions.make_now(expert, "photo")
        drawn += 1
    return drawn


def _objective(article, number):
    """The article's learning objective numbered `number` (from 1), as the page lists them."""
    objectives = list(article.learning_objectives.all())
    return objectives[number - 1] if number and number <= len(objectives) else None


def _tie_objectives(item, quiz):
    """A demo quiz loaded before questions had objectives: tie the ones still untied."""
    if not quiz.is_demo:
        return
    questions = list(quiz.questions.all())
    if len(questions) != len(item["questions"]):
        return  # an editor has reshaped it: theirs now
    tied = False
    for question, q in zip(questions, item["questions"], strict=True):
        if question.objective_id is None and q.get("objective"):
            question.objective = _objective(quiz.article, q["objective"])
            question.save(update_fields=["objective"])
            tied = True
    if tied and quiz.has_answers():
        refresh_objective_changes(quiz)


def _create_quiz(item, article):
    quiz = Quiz.objects.create(
        article=article,
        title=item["title"],
        shuffle=item["shuffle"],
        confidence_question=item.get("confidence_question", ""),
        asks_intent=item.get("asks_intent", False),
        is_published=True,
        is_demo=True,
    )
    for order, q in enumerate(item["questions"]):
        question = Question.objects.create(
            quiz=quiz,
            text=q["text"],
            kind=q["kind"],
            explanation=q["explanation"],
            order=order,
            objective=_objective(article, q.get("objective")),
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=c["text"], is_correct=c["correct"], order=n)
            for n, c in enumerate(q["choices"])
        )


def _create_disclosures(data, experts):
    """Each demo expert's disclosure (fictional companies), unless they have one."""
    created = 0
    for item in data.get("disclosures", []):
        expert = experts[item["expert"]]
        if expert.disclosures.exists():
            continue
        disclosure = Disclosure.objects.create(
            person=expert,
            disclosed_on=date.fromisoformat(item["disclosed_on"]),
            nothing_to_disclose=not item["relationships"],
            mitigation=item.get("mitigation", ""),
            is_demo=True,
        )
        FinancialRelationship.objects.bulk_create(
            FinancialRelationship(
                disclosure=disclosure,
                company=relationship["company"],
                nature=relationship["nature"],
                detail=relationship.get("detail", ""),
                has_ended=relationship.get("has_ended", False),
            )
            for relationship in item["relationships"]
        )
        created += 1
    return created


def _make_cme(article, data, experts):
    """A demo article with a quiz is a CME activity, with its planners and reviewers;
    one shows what a credit designation looks like (marked as demo, no real credit)."""
    if article.slug not in {quiz["article"] for quiz in data["quizzes"]}:
        return
    ContentRole.objects.bulk_create(
        ContentRole(article=article, person=experts[role["expert"]], role=role["role"])
        for role in data.get("content_roles", [])
        if role["article"] == article.slug
    )
    article.is_cme = True
    credit = data.get("cme", {}).get("credit", {})
    if credit.get("article") == article.slug:
        article.carries_credit = True
        article.credit_type = credit["credit_type"]
        article.credit_amount = Decimal(credit["credit_amount"])
        article.accreditation_statement = credit["accreditation_statement"]
    article.save()


def _create_article(item, types, topics, experts, sponsors, hub, shared):
    article = Article.objects.create(
        hub=hub,
        slug=item["slug"],
        title=item["title"],
        article_type=types[item["type"]],
        summary=item["summary"],
        status=Article.Status.PUBLISHED,
        published_at=datetime.fromisoformat(item["published_at"]),
        last_reviewed=_date(item["last_reviewed"]),
        featured=item["featured"],
        sponsor=sponsors.get(item["sponsor"]),
        body=item["body"],
        question=item["question"],
        introduction=item["introduction"],
        video_url=item["video_url"],
        transcript=item["transcript"],
        is_demo=True,
    )
    article.topics.set([topics[slug] for slug in item["topics"]])
    article.shared_with.set(shared)
    ArticleExpert.objects.bulk_create(
        ArticleExpert(article=article, expert=experts[slug], order=order)
        for order, slug in enumerate(item["experts"])
    )
    LearningObjective.objects.bulk_create(
        LearningObjective(article=article, text=text, order=order)
        for order, text in enumerate(item["learning_objectives"])
    )
    KeyLearning.objects.bulk_create(
        KeyLearning(article=article, text=text, order=order)
        for order, text in enumerate(item["key_learnings"])
    )
    Reference.objects.bulk_create(
        Reference(
            article=article,
            order=order,
            authors=ref["authors"],
            title=ref["title"],
            source=ref["source"],
            url=ref["url"],
            published_on=_date(ref["published"]),
            accessed_on=_date(ref["accessed"]),
        )
        for order, ref in enumerate(item["references"])
    )
    article.save()  # render again: citations need the references, search the key learnings
    return article
