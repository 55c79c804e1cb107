"""Figures round halves up, the same way on the page and in every CSV."""

from decimal import Decimal
from fractions import Fraction

from common.numbers import half_up, percent


def test_halves_go_up_not_to_even():
    assert round(62.5) == 62, "Python's own rule, which the Hub does not use"
    assert half_up(62.5) == Decimal("63")
    assert half_up(37.5) == Decimal("38")
    assert half_up(Fraction(17, 8), 2) == Decimal("2.13")  # 2.125


def test_floats_round_by_their_written_value():
    assert half_up(2.675, 2) == Decimal("2.68")  # binary 2.67499999… would give 2.67
    assert half_up(-0.5) == Decimal("-1")
    assert half_up(None) is None


def test_percent_from_counts():
    assert percent(5, 8) == Decimal("63")  # 62.5
    assert percent(3, 8) == Decimal("38")  # 37.5
    assert percent(1, 3, 1) == Decimal("33.3")
    assert percent(1, 0) is None


def test_p_values_and_fixed_decimals():
    from common.numbers import fixed, p_value

    assert p_value(0.0004) == "<0.001"
    assert p_value(0.0425) == "0.043"
    assert p_value(1.0) == "1.000"
    assert p_value(None) is None
    assert fixed(Fraction(17, 8)) == "2.13"
    assert fixed(-0.125, 2) == "-0.13"
