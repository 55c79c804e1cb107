"""The words search compares, the same for stored articles and for readers' queries.

Text is folded to lower-case ASCII words: accents dropped, every other character a
word boundary, so "CAR-T", "car t" and "CAR T" are the same two words on either
database. Articles also store the solid spellings of their compounds ("cart",
"ciltacel", "tcell"), so a reader who types the word without its hyphen finds them.
"""

import re
import unicodedata
from itertools import pairwise

from django.contrib.postgres.search import SearchVector
from django.db.models import Value

# PostgreSQL: English stemming without a stop-word list, created by migration 0005:
# the "T" of "T-cell" and the "A" of "vitamin A" are words a clinician searches for.
SEARCH_CONFIG = "hub_english"

# Longest phrase search compares word by word (a synonym such as "immune effector
# cell-associated neurotoxicity syndrome" has six words).
MAX_PHRASE_WORDS = 8
WORD = re.compile(r"[a-z0-9]+")
HYPHENATED = re.compile(r"[a-z0-9]+(?:[-‐‑–][a-z0-9]+)+")
# One-letter English words, never glued to the word before them ("with a" is not "witha").
ENGLISH_ONE_LETTER_WORDS = {"a", "i"}
# Between the text and its solid spellings, so no phrase runs from one into the other.
SOLID_SPELLINGS = "|"


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text):
    """["car", "t", "cell"] for "CAR T-cell"."""
    return WORD.findall(fold(text))


def solid_spellings(folded, tokens):
    """Compounds written as one word: "car-t" and "car t" are also "cart"."""
    spellings = ["".join(WORD.findall(hyphenated)) for hyphenated in HYPHENATED.findall(folded)]
    spellings += [
        before + letter
        for before, letter in pairwise(tokens)
        if len(letter) == 1
        and letter.isalpha()
        and letter not in ENGLISH_ONE_LETTER_WORDS
        and len(before) > 1
    ]
    return list(dict.fromkeys(spellings))


def searchable(text):
    """The stored copy both databases search: " car t cell therapy | cart tcell "."""
    folded = fold(text)
    tokens = WORD.findall(folded)
    return f" {' '.join(tokens)} {SOLID_SPELLINGS} {' '.join(solid_spellings(folded, tokens))} "


def weighted_vector(summary):
    """PostgreSQL's stored tsvector: the title weighs most, then the summary, then the rest."""
    return (
        SearchVector("search_title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(searchable(summary)), weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_text", weight="C", config=SEARCH_CONFIG)
    )


# "Did you mean" offers words of at least this many letters, and no plain numbers.
MIN_TERM_LENGTH = 4


def vocabulary(*texts):
    """The words search may suggest, from titles, topic names, synonyms and expert names."""
    return {
        word
        for text in texts
        for word in words(text)
        if len(word) >= MIN_TERM_LENGTH and not word.isdigit() and len(word) <= 100
    }
