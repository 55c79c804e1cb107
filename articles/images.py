"""Responsive renditions of uploaded images: made once, by the worker, after a save.

django-imagekit describes every rendition; articles/renditions.py has the worker make
them through the storage API when a lead image or a photo is saved, and marks the image
ready. Rendition names follow from the original's name alone, so a page builds its
srcset without asking the storage whether a file is there: a card costs no query and
no storage call.

Change a rendition's size, quality or crop and bump VERSION, then run
`manage.py generateimages` once: the new names will not exist until then.
"""

import functools
import posixpath
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit.processors import ResizeToFill

VERSION = "v1"
WEBP_QUALITY = 62
JPEG_QUALITY = 72
DIRECTORY = "renditions"


@dataclass(frozen=True)
class Shape:
    """One family of renditions: a crop (width:height) in several widths."""

    name: str
    ratio: tuple[int, int]
    widths: tuple[int, ...]
    default_width: int  # src of the fallback <img>, and its width/height attributes

    def height(self, width):
        return round(width * self.ratio[1] / self.ratio[0])


# 16:9 for lead images, cards and video posters; square for portraits.
LEAD = Shape("lead", (16, 9), (320, 480, 640, 960, 1280), 640)
PORTRAIT = Shape("portrait", (1, 1), (64, 128, 192, 320), 192)


def _unique_name(folder, filename):
    """`folder`/stem-xxxxxxxx.ext: renditions are named by the stem alone, so no two
    uploads may share one (photo.jpg and photo.png would share their sizes)."""
    stem, extension = posixpath.splitext(posixpath.basename(filename))
    return f"{folder}/{stem or 'image'}-{secrets.token_hex(4)}{extension}"


def lead_image_name(instance, filename):
    return _unique_name("articles", filename)


def photo_name(instance, filename):
    return _unique_name("experts", filename)


def fallback_format(source_name):
    """PNG originals (line art, transparency) fall back to PNG; everything else to JPEG."""
    return "PNG" if source_name.lower().endswith((".png", ".gif")) else "JPEG"


def rendition_name(source_name, shape, width, image_format):
    stem = posixpath.splitext(source_name)[0]
    extension = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}[image_format]
    return f"{DIRECTORY}/{stem}/{shape.name}-{width}w-{VERSION}.{extension}"


def renditions_of(shape):
    """A function naming every rendition of an original of `shape` (to delete them)."""

    def names(source_name):
        formats = ("WEBP", fallback_format(source_name))
        return [rendition_name(source_name, shape, w, f) for w in shape.widths for f in formats]

    return names


class Deferred:
    """imagekit's strategy for our renditions: nothing happens when a source is saved or
    a rendition is asked for (the worker makes them; `manage.py generateimages` too)."""

    def on_source_saved(self, file):
        pass

    def should_verify_existence(self, file):
        return False


class Rendition(ImageSpec):
    """One size of one image in one format; subclasses below fix which."""

    shape = LEAD
    width = 0
    webp = True
    cachefile_strategy = "articles.images.Deferred"

    @property
    def processors(self):
        return [ResizeToFill(self.width, self.shape.height(self.width))]

    @property
    def format(self):
        return "WEBP" if self.webp else fallback_format(self.source.name)

    @property
    def options(self):
        if self.format == "WEBP":
            return {"quality": WEBP_QUALITY}
        if self.format == "JPEG":
            return {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
        return {"optimize": True}

    @property
    def cachefile_name(self):
        if not self.source:
            return None
        return rendition_name(self.source.name, self.shape, self.width, self.format)


@functools.cache
def rendition_specs():
    """(generator id, spec class, shape) for every rendition the Hub makes."""
    return list(_rendition_specs())


def specs_of(shape):
    return [spec for _, spec, spec_shape in rendition_specs() if spec_shape == shape]


def _rendition_specs():
    for shape in (LEAD, PORTRAIT):
        for width in shape.widths:
            for webp in (True, False):
                kind = "webp" if webp else "fallback"
                spec = type(
                    f"{shape.name.title()}{width}{kind.title()}",
                    (Rendition,),
                    {"shape": shape, "width": width, "webp": webp},
                )
                yield f"articles:{shape.name}:{width}:{kind}", spec, shape


def register_renditions(sources):
    """Make renditions whenever one of `sources` ({shape: [(model, field name)]}) is saved."""
    from imagekit import register
    from imagekit.specs.sourcegroups import ImageFieldSourceGroup

    # One group per image field: every model instance created is checked against them.
    groups = {
        shape: [ImageFieldSourceGroup(model, field_name) for model, field_name in fields]
        for shape, fields in sources.items()
    }
    for generator_id, spec, shape in rendition_specs():
        register.generator(generator_id, spec)
        for group in groups[shape]:
            register.source_group(generator_id, group)


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs: srcsets per format, a fallback <img> and its text."""

    webp_srcset: str
    fallback_srcset: str
    fallback_type: str
    src: str
    width: int
    height: int
    alt: str

    @classmethod
    def of(cls, image_file, shape, alt=""):
        """The renditions of a saved image; None when there is no image."""
        if not image_file:
            return None
        name = image_file.name
        fallback = fallback_format(name)

        def srcset(image_format):
            return ", ".join(
                f"{default_storage.url(rendition_name(name, shape, w, image_format))} {w}w"
                for w in shape.widths
            )

        return cls(
            webp_srcset=srcset("WEBP"),
            fallback_srcset=srcset(fallback),
            fallback_type=f"image/{fallback.lower()}",
            src=default_storage.url(rendition_name(name, shape, shape.default_width, fallback)),
            width=shape.default_width,
            height=shape.height(shape.default_width),
            alt=alt,
        )


def rendition_url(image_file, shape, width, image_format=None):
    """One rendition's address, e.g. the large JPEG for a share preview."""
    image_format = image_format or fallback_format(image_file.name)
    return default_storage.url(rendition_name(image_file.name, shape, width, image_format))


def require_description(image, alt, decorative, alt_field):
    """The editor's rule for every image: describe it, or say that it is decorative."""
    if not image:
        return
    if decorative and alt.strip():
        raise ValidationError(
            {
                alt_field: _(
                    "A decorative image has no description: clear it, or untick “decorative”."
                )
            }
        )
    if not decorative and not alt.strip():
        raise ValidationError(
            {
                alt_field: _(
                    "Describe the image for readers who cannot see it, or tick “decorative” "
                    "if it adds nothing to the text."
                )
            }
        )


def description_constraints(prefix, field):
    """The rule above as database constraints on `field`, `field`_alt and `field`_decorative."""
    from django.db.models import CheckConstraint, Q

    alt, decorative = f"{field}_alt", f"{field}_decorative"
    return [
        CheckConstraint(
            condition=Q(**{field: ""}) | Q(**{decorative: True}) | ~Q(**{alt: ""}),
            name=f"{prefix}_{field}_described",
            violation_error_message=_("An image needs a description or the “decorative” tick."),
        ),
        CheckConstraint(
            condition=Q(**{decorative: False}) | Q(**{alt: ""}),
            name=f"{prefix}_{field}_decorative_undescribed",
            violation_error_message=_("A decorative image has no description."),
        ),
    ]
