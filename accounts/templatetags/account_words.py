"""allauth's English words in the Hub's voice: sentence case, not Title Case.

allauth writes "Change Password", "Activate Authenticator App", "Two-Factor
Authentication"; the Hub writes "Change password". Its element templates
(templates/allauth/elements) and page titles pass what they show through
`sentence_case`, which in English lowers a capitalised word that does not start a
sentence, keeping acronyms (TOTP), "I" and the words of the brand's name. Other languages
keep allauth's translations as they are (German capitalises its nouns).
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from brand.models import current as current_brand

register = template.Library()

TAG = re.compile(r"(<[^>]*>)")
# A capitalised word (or the part of one after a hyphen), and what comes before it.
WORD = re.compile(r"(?P<before>^|[\s\-(“\"]+)(?P<word>[A-Z][a-z]+)\b")
SENTENCE_END = re.compile(r"[.?!:]\s*$")
KEEP = {"I", "Hub"}


def _lower_title_case(text, keep):
    start = re.search(r"\w", text)
    if start is None:
        return text

    def lower(match):
        before, word = match.group("before"), match.group("word")
        first = match.start("word") == start.start()
        if first or word in keep or SENTENCE_END.search(text[: match.start("word")]):
            return match.group(0)
        return before + word.lower()

    return WORD.sub(lower, text)


@register.filter(is_safe=True)
def sentence_case(value):
    if not (get_language() or "en").startswith("en"):
        return value
    keep = KEEP | set(current_brand().name.split())
    safe = isinstance(value, SafeData)
    html = str(value) if safe else str(conditional_escape(value))
    # Text between tags only; each text run is a sentence start when it is the first.
    parts = TAG.split(html)
    seen_text = False
    for index, part in enumerate(parts):
        if index % 2 or not part.strip():
            continue
        if seen_text:
            parts[index] = _lower_title_case("x " + part, keep)[2:]
        else:
            parts[index] = _lower_title_case(part, keep)
            seen_text = True
    # Only letters' case changed in text that was escaped (or safe) already.
    return mark_safe("".join(parts))  # noqa: S308


LABEL = re.compile(r"(<label\b[^>]*>)(.*?)(</label>)", re.S)


@register.filter(is_safe=True)
def sentence_case_labels(value):
    """A rendered form with its labels (and nothing else: not the countries in a list) in
    sentence case: allauth's "Current Password", "Remember Me"."""
    html = str(value if isinstance(value, SafeData) else conditional_escape(value))

    def label(match):
        text = mark_safe(match.group(2))  # noqa: S308 - part of the escaped form above
        return match.group(1) + sentence_case(text) + match.group(3)

    return mark_safe(LABEL.sub(label, html))  # noqa: S308 - only letters' case changed
