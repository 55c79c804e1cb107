"""An SVG logo may draw, nothing else: scripts, outside links and embedded documents are
refused with an error that says what was found; a PNG is measured for the header."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from brand.forms import BrandForm
from brand.logos import clean_svg
from tests.brand.conftest import SVG_LOGO, png_bytes

pytestmark = pytest.mark.django_db  # the form checks the one-brand rule

OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def form(**files):
    data = {"name": "Blood Matters", "tagline": "", "accent": "#0b4f8a"}
    return BrandForm(data, {k: SimpleUploadedFile(*v) for k, v in files.items()})


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"<script>alert(1)</script>", "<script>"),
        (b'<rect width="10" height="10" onload="alert(1)"/>', "onload"),
        (b'<image href="https://tracker.example/pixel.png"/>', "<image>"),
        (b'<use href="https://evil.example/sprite.svg#a"/>', "a link outside the file"),
        (b'<use xlink:href="javascript:alert(1)"/>', "a link outside the file"),
        (b'<rect fill="url(https://evil.example/x)"/>', "a link outside the file"),
        (b"<foreignObject><body/></foreignObject>", "<foreignObject>"),
        (b'<a href="https://evil.example/"><rect/></a>', "<a>"),
        (b"<style>rect { fill: url(https://evil.example/) }</style>", "<style>"),
        (b'<rect style="fill:red"/>', "style"),
        (b'<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
    ],
)  # fmt: skip
def test_a_dangerous_svg_is_refused_saying_what_it_holds(body, named):
    with pytest.raises(ValidationError) as refused:
        clean_svg(OPEN + body + b"</svg>")

    assert named in refused.value.messages[0]


def test_an_svg_with_a_dtd_or_entities_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    )

    with pytest.raises(ValidationError, match="DTD"):
        clean_svg(bomb)


def test_what_is_stored_is_the_drawing_without_comments_or_processing_instructions():
    svg = (
        b'<?xml-stylesheet href="https://evil.example/x.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><!-- hidden -->'
        b'<rect width="10" height="10" fill="#000"/></svg>'
    )

    cleaned = clean_svg(svg).decode()

    assert clean_svg(cleaned.encode()).decode() == cleaned, "what is stored passes again"

    assert "xml-stylesheet" not in cleaned and "hidden" not in cleaned
    assert '<rect width="10" height="10" fill="#000"/>' in cleaned


def test_the_admin_form_refuses_a_malicious_logo_with_a_clear_error():
    bad = form(logo=("logo.svg", OPEN + b"<script>alert(1)</script></svg>", "image/svg+xml"))

    assert not bad.is_valid()
    assert bad.errors["logo"][0].startswith("The SVG contains <script>, which a logo may not")


def test_a_clean_svg_and_a_png_logo_are_accepted():
    for name, content in (("mark.svg", SVG_LOGO), ("mark.png", png_bytes())):
        good = form(logo=(name, content, "application/octet-stream"))
        assert good.is_valid(), good.errors


def test_a_logo_that_is_neither_svg_nor_png_is_refused():
    jpeg = form(logo=("logo.jpg", png_bytes(format="JPEG"), "image/jpeg"))
    renamed = form(logo=("logo.png", b"<html>not an image</html>", "image/png"))

    assert "Upload the logo as an SVG or a PNG file." in jpeg.errors["logo"]
    assert "Upload the logo as an SVG or a PNG file." in renamed.errors["logo"]


def test_the_social_image_must_be_a_png_or_jpeg():
    svg = form(social_image=("share.svg", SVG_LOGO, "image/svg+xml"))
    png = form(social_image=("share.png", png_bytes((1200, 630)), "image/png"))

    assert "PNG or JPEG" in svg.errors["social_image"][0]
    assert "social_image" not in png.errors
