"""Text rendered once with holes, filled many times: markers that no content contains.

A template rendered with `marker(n)` for the values that differ from one use to the
next gives text that `split()` cuts into the kept parts; `fill()` puts each use's
values in, escaped as the template's own `{{ value }}` would escape them. The values
may only be printed by the template, never tested or transformed: `split()` refuses a
text in which a marker did not come out whole (a filter such as `truncatechars` or
`json_script` changed it), and the caller then renders in full.

NUL cannot be stored in PostgreSQL text, Django's form fields refuse it and a search
query drops it (articles.search.clean_query): no content can contain the markers.
"""

import html
import re

from django.utils.safestring import SafeData, mark_safe

MARK = "\x00"
NAME = "hub-frame-hole-"
MARKER = re.compile(rf"\x00{NAME}(\d+)\x00")


def marker(number):
    return mark_safe(f"{MARK}{NAME}{number}{MARK}")  # noqa: S308 (no markup in it)


def split(content, count):
    """(text, hole number, text, hole number, …, text), or None if a marker did not
    come out whole. A hole may be printed more than once, or not at all (a branch the
    text did not take)."""
    parts = MARKER.split(content)
    found = len(parts) // 2
    numbers = {int(number) for number in parts[1::2]}
    if (
        not numbers <= set(range(count))
        or content.count(MARK) != 2 * found  # a marker cut short
        or content.count(NAME) != found  # a marker escaped or changed around its name
    ):
        return None
    return tuple(int(part) if n % 2 else part for n, part in enumerate(parts))


def _escaped(value):
    """conditional_escape(value), without its wrapper for lazy strings (none come here)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def fill(parts, values):
    """The text with each hole's value, escaped unless it is safe HTML: safe HTML."""
    escaped = [_escaped(value) for value in values]
    return mark_safe(  # noqa: S308 (rendered text, and values escaped here)
        "".join(escaped[part] if n % 2 else part for n, part in enumerate(parts))
    )
