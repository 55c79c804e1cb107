"""Named places on the core's pages that other apps fill.

The core app never names its guests: an app registers a template for a slot in its
AppConfig.ready(), with an optional function adding context, and the core's
templates render `{% fill "name" object %}`. Slots, and the object they get:

- ``card_actions`` (article): under an article card (e.g. the bookmark button);
- ``article_actions`` (article): in the article's header (bookmark, translation);
- ``article_top`` (article): before the learning objectives (the quiz before reading);
- ``article_end`` (article): after the key learnings (the quiz after reading);
- ``listing_head`` (topic or None): in the <head> of the article list and topic pages;
- ``listing_links`` (topic or None): under the title of those pages (e.g. feeds).
"""

from dataclasses import dataclass, field

SLOTS = (
    "card_actions",
    "article_actions",
    "article_top",
    "article_end",
    "listing_head",
    "listing_links",
)


@dataclass(order=True)
class Guest:
    order: int
    template: str = field(compare=False)
    context: object = field(compare=False, default=None)


_guests = {slot: [] for slot in SLOTS}


def register(slot, template, context=None, order=100):
    """Render `template` in `slot`; `context(request, object)` may add variables."""
    if slot not in _guests:
        raise ValueError(f"Unknown article slot {slot!r}; known: {', '.join(SLOTS)}")
    guests = _guests[slot]
    if any(guest.template == template and guest.context == context for guest in guests):
        return  # ready() may run twice (tests, autoreload)
    guests.append(Guest(order, template, context))
    guests.sort()


def guests(slot):
    return list(_guests[slot])
