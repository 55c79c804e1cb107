"""What an uploaded image may be: one rule for every image an editor uploads.

Pillow reads the file and names its real format; the field lists the formats it is
meant for, and the file's name must end with that format's extension. A PNG named
page.html (a PNG that is also a web page) is refused, so no upload is stored under a
name that a web server, object storage or hub.views.media would serve as anything but
the image it is. FORMATS is also the list of types hub.views.media serves.
"""

import posixpath

from django.core.exceptions import ValidationError
from django.core.validators import validate_image_file_extension
from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Pillow's name for each format an upload may have: its Content-Type and extensions.
FORMATS = {
    "PNG": ("image/png", (".png",)),
    "JPEG": ("image/jpeg", (".jpg", ".jpeg")),
    "WEBP": ("image/webp", (".webp",)),
    # Brand logos only, checked by brand.logos.clean_svg (Pillow does not read SVG).
    "SVG": ("image/svg+xml", (".svg",)),
}
PICTURE_FORMATS = ("JPEG", "PNG", "WEBP")
LABELS = {"WEBP": "WebP"}
_TYPES = {extension: kind for kind, extensions in FORMATS.values() for extension in extensions}


def content_type(name):
    """The Content-Type of a stored file by its extension, or None for a name that no
    upload or rendition has."""
    return _TYPES.get(posixpath.splitext(name)[1].lower())


def image_format(file):
    """Pillow's name for the format of the image in `file`, or None when it is none."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
            return image.format
    except Exception:  # as forms.ImageField: Pillow raises many kinds for a bad file
        return None
    finally:
        file.seek(0)


def describe(formats):
    return get_text_list([LABELS.get(name, name) for name in formats], _("or"))


def check(file, formats, message=None):
    """ValidationError unless `file` holds an image in one of `formats` and its name
    ends with one of that format's extensions. `message` says which formats a field
    takes, in its own words."""
    found = image_format(file)
    if found not in formats:
        raise ValidationError(
            message or _("Upload a %(formats)s image."),
            code="image_format",
            params={"formats": describe(formats)},
        )
    extensions = FORMATS[found][1]
    if posixpath.splitext(file.name)[1].lower() not in extensions:
        raise ValidationError(
            _("This is a %(format)s image: its name must end in %(extensions)s."),
            code="image_extension",
            params={"format": describe([found]), "extensions": get_text_list(extensions, _("or"))},
        )


class PictureField(models.ImageField):
    """An ImageField for `formats` only (JPEG, PNG or WebP unless told), by the rule
    above. Its form field checks each new upload; a file already stored is not read
    again when its row is saved."""

    def __init__(self, *args, formats=PICTURE_FORMATS, **kwargs):
        self.formats = tuple(formats)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.formats != PICTURE_FORMATS:
            kwargs["formats"] = self.formats
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        # In place of Django's check of the name alone, which takes any of Pillow's
        # seventy-odd extensions (.pdf and .ps among them) whatever the content.
        field.validators = [
            *(v for v in field.validators if v is not validate_image_file_extension),
            lambda file: check(file, self.formats),
        ]
        return field
