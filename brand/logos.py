"""Logo and social image files: what an editor may upload, checked before it is stored.

An SVG is a document that can run scripts and fetch other resources when it is opened
on its own. A logo is accepted only if every element and attribute is on a short list
of drawing features, links point inside the file, and there is no DTD (parsed with
defusedxml); what is stored is the parsed drawing written out again, so comments and
processing instructions the parser skipped never reach a browser. A PNG logo or a social
image follows the rule of every image upload (common.image_files): the format the
field takes, under a name that ends with its extension.
"""

import io
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from common import image_files

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
MAX_LOGO_BYTES = 500 * 1024
MAX_SOCIAL_BYTES = 5 * 1024 * 1024

ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
    "clipPath", "symbol", "use",
}  # fmt: skip
ATTRIBUTES = {
    "id", "version", "viewBox", "preserveAspectRatio", "width", "height", "x", "y",
    "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points",
    "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path", "clip-rule",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "spreadMethod", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "letter-spacing", "dx", "dy", "role",
    "aria-label", "aria-hidden", "focusable", "href", f"{{{XLINK}}}href", f"{{{XML}}}space",
}  # fmt: skip
LINKS = {"href", f"{{{XLINK}}}href"}
# url(…) only to something inside the file: url(#gradient).
URL_VALUE = re.compile(r"url\(\s*(?!['\"]?#)", re.IGNORECASE)
UNSAFE_VALUE = re.compile(r"javascript:|data:|expression\(", re.IGNORECASE)

PREFIXES = {XLINK: "xlink:", XML: "xml:"}


def _local(name):
    namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    return namespace, local


def _refuse(what):
    return ValidationError(
        _(
            "The SVG contains %(what)s, which a logo may not have (scripts, links, "
            "embedded documents and styles are refused). Export it as plain shapes, or "
            "upload a PNG."
        ),
        code="unsafe_svg",
        params={"what": what},
    )


def clean_svg(data):
    """The SVG drawing in `data`, written out again, or ValidationError."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError):
        raise ValidationError(
            _("This file is not a valid SVG drawing (or it declares a DTD)."), code="invalid_svg"
        ) from None
    if root.tag != f"{{{SVG}}}svg":
        raise ValidationError(_("This file is not an SVG drawing."), code="invalid_svg")
    for element in root.iter():
        namespace, name = _local(element.tag)
        if namespace != SVG or name not in ELEMENTS:
            raise _refuse(f"<{name}>")
        for attribute, value in element.attrib.items():
            if attribute not in ATTRIBUTES:
                raise _refuse(_("the attribute “%s”") % _local(attribute)[1])
            if attribute in LINKS and not value.startswith("#"):
                raise _refuse(_("a link outside the file"))
            if URL_VALUE.search(value) or UNSAFE_VALUE.search(value):
                raise _refuse(_("a link outside the file"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + _write(root, top=True)).encode()


def _write(element, top=False):
    """One checked element as SVG text. Written here, not by ElementTree, whose prefixes
    for namespaces are global state that other modules change."""
    attributes = {
        PREFIXES.get(_local(name)[0], "") + _local(name)[1]: value
        for name, value in element.attrib.items()
    }
    if top:
        attributes = {"xmlns": SVG, "xmlns:xlink": XLINK, **attributes}
    name = _local(element.tag)[1]
    text = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
    inner = escape(element.text or "") + "".join(
        _write(child) + escape(child.tail or "") for child in element
    )
    return f"<{name}{text}>{inner}</{name}>" if inner else f"<{name}{text}/>"


def svg_size(data):
    """(width, height) from the viewBox, or the width and height, of a clean SVG."""
    root = fromstring(data, forbid_dtd=True)
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        if len(box) == 4:
            return round(float(box[2])), round(float(box[3]))
        return round(float(root.get("width"))), round(float(root.get("height")))
    except (TypeError, ValueError):
        return None, None


def is_svg(name):
    return name.lower().endswith(".svg")


def raster_size(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def read(file, limit):
    """The upload's bytes, refused when it is bigger than `limit`."""
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s KB; the limit is %(limit)s KB."),
            code="too_big",
            params={"size": file.size // 1024, "limit": limit // 1024},
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def validate_logo(file):
    data = read(file, MAX_LOGO_BYTES)
    if is_svg(file.name):
        clean_svg(data)
    else:
        image_files.check(file, ["PNG"], _("Upload the logo as an SVG or a PNG file."))


def validate_social_image(file):
    read(file, MAX_SOCIAL_BYTES)
    image_files.check(
        file,
        ["PNG", "JPEG"],
        _("Upload the social image as a PNG or JPEG file (1200 × 630 pixels works best)."),
    )
