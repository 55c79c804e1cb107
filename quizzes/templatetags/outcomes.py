"""Numbers on outcomes pages, formatted exactly as the CSVs format them (common.numbers)."""

from django import template
from django.utils.translation import gettext as _

from common import numbers

register = template.Library()
DASH = "—"


@register.filter
def p_value(p):
    text = numbers.p_value(p)
    return DASH if text is None else text


@register.filter
def fixed(value, places=2):
    text = numbers.fixed(value, int(places))
    return DASH if text is None else text


@register.filter
def signed(value, places=2):
    """A change with its sign: +0.40, −0.13, 0.00."""
    text = numbers.fixed(value, int(places))
    if text is None:
        return DASH
    return text if text.startswith("-") or text.lstrip("0.") == "" else f"+{text}"


@register.filter
def pct(value):
    return DASH if value is None else f"{value}%"


@register.filter
def bar(value, scale=3):
    """Bar length in SVG units for a share in per cent."""
    return 0 if value is None else int(numbers.half_up(value * int(scale)))


@register.simple_tag
def fewer_than():
    return _("fewer than 5 readers")


@register.simple_tag
def withheld():
    """Why a figure is missing: too few readers here, or it would reveal a smaller group."""
    return _(
        "Withheld: fewer than 5 readers, or it would let a smaller group be had by subtraction."
    )


@register.filter
def effect_word(label):
    words = {
        "negligible": _("negligible"),
        "small": _("small"),
        "medium": _("medium"),
        "large": _("large"),
    }
    return words.get(label, DASH)


@register.filter
def method_word(method):
    return {"exact": _("exact"), "normal approximation": _("normal approximation")}.get(
        method, DASH
    )


BAR, GAP, GROUP_GAP, LABEL_WIDTH, FULL = 14, 2, 10, 40, 300
COLOURS = ["#8a96a0", "#2f6d8a"]  # before, after (or one series)


@register.inclusion_tag("admin/quizzes/quiz/_bars.html")
def bars(rows, legend="", label_width=LABEL_WIDTH):
    """A horizontal bar chart in SVG: rows of (label, [share, …]) in per cent, the labels
    in the first `label_width` units (short ones, "Q1", by default).

    Purely visual (aria-hidden): every chart sits next to a table with its numbers.
    """
    shapes, y = [], 0
    for label, shares in rows:
        top = y
        for series, share in enumerate(shares):
            width = 0 if share is None else int(numbers.half_up(share * FULL / 100))
            shapes.append(
                {
                    "y": y,
                    "width": width,
                    "colour": COLOURS[series % len(COLOURS)] if len(shares) > 1 else COLOURS[1],
                    "text_x": label_width + width + 4,
                    "text": DASH if share is None else f"{share}%",
                }
            )
            y += BAR + GAP
        shapes[-len(shares)]["label"] = label
        shapes[-len(shares)]["label_y"] = top
        y += GROUP_GAP
    return {
        "shapes": shapes,
        "height": max(y, 1),
        "width": label_width + FULL + 50,
        "x": label_width,
        "bar": BAR,
        "legend": legend,
    }


@register.filter
def share_of(part, whole):
    """part as a share of whole, in per cent, halves up."""
    return numbers.percent(part, whole)
