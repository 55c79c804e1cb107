"""The accent colour keeps text readable (WCAG AA), or the editor is told the ratio."""

import pytest
from django.core.exceptions import ValidationError

from brand.colours import contrast, darker, validate_accent
from brand.forms import BrandForm

pytestmark = pytest.mark.django_db  # the form checks the one-brand rule


def test_contrast_matches_the_wcag_formula():
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#ffffff") == pytest.approx(1)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_a_pale_accent_is_refused_with_its_ratio():
    form = BrandForm({"name": "Blood Matters", "accent": "#ff9900"})

    assert not form.is_valid()
    assert form.errors["accent"] == [
        "This colour's contrast against white is 2.14:1; it needs at least 4.5:1 so that "
        "links and buttons stay readable. Choose a darker shade."
    ]


def test_an_accent_readable_on_white_but_not_on_the_grey_panels_is_refused():
    with pytest.raises(ValidationError, match=r"against light grey is 4\.18:1"):
        validate_accent("#767676")


@pytest.mark.parametrize("value", ["0b4f8a", "#0b4f8", "#0b4f8g", "navy", ""])
def test_an_accent_that_is_not_hex_is_refused(value):
    with pytest.raises(ValidationError, match="six hexadecimal digits"):
        validate_accent(value)


def test_an_accent_in_capitals_is_stored_in_lower_case():
    form = BrandForm({"name": "Blood Matters", "accent": "#0B5D6B"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["accent"] == "#0b5d6b"


def test_the_darker_shade_is_darker_still():
    assert darker("#0b5d6b") == "#084650"
    assert contrast(darker("#0b5d6b")) > contrast("#0b5d6b")
