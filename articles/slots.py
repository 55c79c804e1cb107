"""Named places on article pages and cards that other apps fill.

The core app never names its guests: an app registers a template for a slot in its
AppConfig.ready(), with an optional function adding context, and the article
templates render `{% article_slot "name" article %}`. Slots:

- ``card_actions``: under an article card (e.g. the bookmark button);
- ``article_actions``: in the article's header (bookmark, translation);
- ``article_top``: before the learning objectives (e.g. the quiz before reading);
- ``article_end``: after the key learnings (e.g. the quiz after reading).
"""

from dataclasses import dataclass, field

SLOTS = ("card_actions", "article_actions", "article_top", "article_end")


@dataclass(order=True)
class Guest:
    order: int
    template: str = field(compare=False)
    context: object = field(compare=False, default=None)


_guests = {slot: [] for slot in SLOTS}


def register(slot, template, context=None, order=100):
    """Render `template` in `slot`; `context(request, article)` may add variables."""
    if slot not in _guests:
        raise ValueError(f"Unknown article slot {slot!r}; known: {', '.join(SLOTS)}")
    guests = _guests[slot]
    if any(guest.template == template and guest.context == context for guest in guests):
        return  # ready() may run twice (tests, autoreload)
    guests.append(Guest(order, template, context))
    guests.sort()


def guests(slot):
    return list(_guests[slot])
