"""One rounding rule for every figure the Hub shows or exports: halves up.

Python's round() sends halves to the even neighbour (round(62.5) == 62), so a page and
a CSV built with different habits disagree. Everything goes through half_up() instead.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def exact(value):
    """A Decimal for an int, a Fraction, a Decimal or a float (by its shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def half_up(value, places=0):
    """`value` rounded to `places` decimals, halves away from zero; None stays None."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return exact(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(part, whole, places=0):
    """100 × part / whole, rounded halves up, from exact integers; None when whole is 0."""
    if not whole:
        return None
    return half_up(Fraction(100 * part, whole), places)


def ratio(part, whole):
    """part / whole as an exact Fraction, or None when whole is 0."""
    return Fraction(part, whole) if whole else None


def p_value(p):
    """A P value as reported: "<0.001" below a thousandth, else 3 decimals halves up."""
    if p is None:
        return None
    if p < 0.001:
        return "<0.001"
    return str(half_up(p, 3))


def fixed(value, places=2):
    """`value` as text with `places` decimals, halves up; None stays None."""
    rounded = half_up(value, places)
    return None if rounded is None else str(rounded)
