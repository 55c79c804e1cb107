"""Accent colours: hex values, their contrast with the page (WCAG 2.2), a darker shade."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# Text and buttons in the accent colour sit on white: WCAG AA for normal text.
MINIMUM_CONTRAST = 4.5
# The lightest grey panel the accent is used on (--wash in static/css/hub.css).
WASH = "#f3f6f9"
# The darker shade (hover, headings) keeps this share of each channel.
DARK_SHARE = 0.75


def _channel(value):
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def relative_luminance(colour):
    red, green, blue = (_channel(value) for value in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(colour, background="#ffffff"):
    """WCAG contrast ratio of two colours, the lighter one second."""
    return (relative_luminance(background) + 0.05) / (relative_luminance(colour) + 0.05)


def darker(colour):
    return "#" + "".join(f"{round(value * DARK_SHARE):02x}" for value in _rgb(colour))


def validate_accent(value):
    """A #rrggbb colour that white text on it, and it on white, can be read (AA)."""
    value = (value or "").lower()
    if not HEX_COLOUR.match(value):
        raise ValidationError(
            _("Enter a colour as # and six hexadecimal digits, for example #0b4f8a."),
            code="invalid",
        )
    for background, ratio in (
        (_("white"), contrast(value)),
        (_("light grey"), contrast(value, WASH)),
    ):
        # Shown rounded down, so a failing colour never reads as 4.50:1.
        if ratio < MINIMUM_CONTRAST:
            raise ValidationError(
                _(
                    "This colour's contrast against %(background)s is %(ratio).2f:1; it needs "
                    "at least %(minimum)s:1 so that links and buttons stay readable. Choose a "
                    "darker shade."
                ),
                code="low_contrast",
                params={
                    "background": background,
                    "ratio": int(ratio * 100) / 100,
                    "minimum": MINIMUM_CONTRAST,
                },
            )
