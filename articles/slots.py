"""Named places on the core's pages that other apps fill.

The core app never names its guests: an app registers a template for a slot in its
AppConfig.ready(), with an optional function adding context, and the core's
templates render `{% fill "name" object %}`. Slots, and the object they get:

- ``card_actions`` (article): under an article card (e.g. the bookmark button);
- ``article_actions`` (article): in the article's header (the translation offer);
- ``article_aside`` (article): with the article's tools (the bookmark button), beside
  the text on wide screens, under the header on small ones;
- ``article_top`` (article): before the learning objectives, after those tools (the quiz
  before reading);
- ``article_end`` (article): after the key learnings (the quiz after reading);
- ``listing_head`` (topic or None): in the <head> of the article list, topic and home pages;
- ``listing_links`` (topic or None): under the title of those pages (e.g. feeds);
- ``home_reader`` (None): at the top of the home page, what a logged-in reader picks up
  again (their bookmarks, their next quiz step, recommendations);
- ``home_stories`` (None): the home page's stories after it (the lead story, Featured,
  Latest), which a personal guest may shape for the reader (leaving out what
  ``home_reader`` showed them).
"""

from dataclasses import dataclass, field

SLOTS = (
    "card_actions",
    "article_actions",
    "article_aside",
    "article_top",
    "article_end",
    "listing_head",
    "listing_links",
    "home_reader",
    "home_stories",
)


@dataclass(order=True)
class Guest:
    order: int
    template: str = field(compare=False)
    context: object = field(compare=False, default=None)
    # Differs from one logged-in reader to another (a bookmark, a quiz score): a page
    # cache that shares a page between readers renders it for each reader.
    personal: bool = field(compare=False, default=False)
    # For a personal guest: vary(request, object) gives a hashable value of everything
    # personal the template shows (whether the article is bookmarked; the reader's
    # scores). Readers with the same value see the same HTML (their CSRF token aside),
    # so a page cache may render it once for them all, as {% cache %} with vary_on.
    vary: object = field(compare=False, default=None)


_guests = {slot: [] for slot in SLOTS}


def register(slot, template, context=None, order=100, personal=False, vary=None):
    """Render `template` in `slot`; `context(request, object)` may add variables.

    `personal`: what the template shows depends on who the logged-in reader is;
    `vary(request, object)`: what of the reader it shows (see Guest.vary).
    """
    if slot not in _guests:
        raise ValueError(f"Unknown article slot {slot!r}; known: {', '.join(SLOTS)}")
    guests = _guests[slot]
    if any(guest.template == template and guest.context == context for guest in guests):
        return  # ready() may run twice (tests, autoreload)
    guests.append(Guest(order, template, context, personal, vary))
    guests.sort()


def guests(slot):
    return list(_guests[slot])


@dataclass
class Hole:
    """Where a personal guest was left out of a shared page: which slot, which guest,
    and the object the slot was filled for (kept as its model and primary key)."""

    slot: str
    guest: int
    model: str | None
    pk: object

    def __init__(self, slot, guest, obj=None, *, model=None, pk=None):
        self.slot, self.guest = slot, guest
        self.model = obj._meta.label_lower if obj is not None else model
        self.pk = obj.pk if obj is not None else pk


def hole_marker(number):
    return f"<!--hub-hole-{number}-->"
