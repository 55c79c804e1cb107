"""Original pictures for the demo content, drawn with Pillow when the demo is loaded.

Abstract cell-like illustrations in a topic's colour for articles, and illustrated
(not photographed) portraits for the fictional experts: nothing here shows a real person,
and no picture is stored in the repository. The same slug always draws the same picture.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

# The topic colours of static/css/hub.css, as RGB for drawing.
PALETTE = {
    "blue": (47, 109, 179),
    "teal": (23, 130, 127),
    "green": (61, 138, 76),
    "amber": (183, 121, 31),
    "rose": (184, 67, 106),
    "violet": (113, 80, 173),
}
SKIN = [(241, 204, 176), (224, 172, 137), (198, 134, 96), (150, 98, 66), (108, 70, 48)]
HAIR = [(40, 32, 28), (92, 60, 38), (150, 110, 70), (200, 170, 120), (120, 120, 125)]
SCALE = 2  # drawn at twice the size, then reduced: smooth edges


def _mix(colour, other, amount):
    return tuple(round(c + (o - c) * amount) for c, o in zip(colour, other, strict=True))


def _jpeg(image, quality=88):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def illustration(slug, colour, size=(1280, 720)):
    """Cells of varied size in a soft field of the topic's colour (JPEG bytes)."""
    rng = random.Random(slug)  # noqa: S311 - a repeatable drawing, not a secret
    base = PALETTE.get(colour, PALETTE["blue"])
    width, height = size  # drawn at full size: the renditions are smaller anyway
    image = Image.new("RGB", (width, height), _mix(base, (255, 255, 255), 0.86))
    draw = ImageDraw.Draw(image)

    # A faint dot grid, like a counting chamber.
    step = 36
    dot = _mix(base, (255, 255, 255), 0.7)
    for x in range(step // 2, width, step):
        for y in range(step // 2, height, step):
            draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=dot)

    for _ in range(rng.randint(9, 14)):
        radius = rng.randint(40, 150)
        x, y = rng.randint(0, width), rng.randint(0, height)
        membrane = _mix(base, (255, 255, 255), rng.uniform(0.35, 0.6))
        cytoplasm = _mix(base, (255, 255, 255), rng.uniform(0.65, 0.8))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=membrane)
        inner = radius - 7
        draw.ellipse((x - inner, y - inner, x + inner, y + inner), fill=cytoplasm)
        # An off-centre nucleus, as in a plasma cell.
        nucleus = radius * rng.uniform(0.35, 0.5)
        nx = x + rng.uniform(-0.3, 0.3) * radius
        ny = y + rng.uniform(-0.3, 0.3) * radius
        draw.ellipse(
            (nx - nucleus, ny - nucleus, nx + nucleus, ny + nucleus),
            fill=_mix(base, (0, 0, 0), rng.uniform(0.05, 0.3)),
        )
    return _jpeg(image.filter(ImageFilter.SMOOTH))


def portrait(slug, colour, size=400):
    """A flat, illustrated head and shoulders on a coloured ground (JPEG bytes)."""
    rng = random.Random(slug)  # noqa: S311 - a repeatable drawing, not a secret
    base = PALETTE.get(colour, PALETTE["blue"])
    full = size * SCALE
    image = Image.new("RGB", (full, full), _mix(base, (255, 255, 255), 0.8))
    draw = ImageDraw.Draw(image)
    skin, hair = rng.choice(SKIN), rng.choice(HAIR)
    clothes = _mix(base, (0, 0, 0), rng.uniform(0.2, 0.45))
    u = full / 100  # drawing units: the picture is 100 × 100

    draw.ellipse((18 * u, 74 * u, 82 * u, 140 * u), fill=clothes)  # shoulders
    draw.rectangle((43 * u, 58 * u, 57 * u, 78 * u), fill=_mix(skin, (0, 0, 0), 0.08))  # neck
    long_hair = rng.random() < 0.5
    if long_hair:
        draw.rounded_rectangle((27 * u, 22 * u, 73 * u, 76 * u), radius=20 * u, fill=hair)
    draw.ellipse((29 * u, 19 * u, 71 * u, 58 * u), fill=hair)  # hair behind the head
    draw.ellipse((32 * u, 24 * u, 68 * u, 66 * u), fill=skin)  # face
    draw.chord((32 * u, 22 * u, 68 * u, 46 * u), 180, 360, fill=hair)  # fringe
    eye = _mix(skin, (0, 0, 0), 0.7)
    for x in (43, 57):
        draw.ellipse(((x - 1.6) * u, 43 * u, (x + 1.6) * u, 46.5 * u), fill=eye)
    draw.arc((44 * u, 49 * u, 56 * u, 58 * u), 20, 160, fill=eye, width=max(2, int(u)))
    if rng.random() < 0.4:  # glasses
        for x in (43, 57):
            draw.ellipse(((x - 5) * u, 40 * u, (x + 5) * u, 49.5 * u), outline=eye, width=int(u))
        draw.line((48 * u, 44 * u, 52 * u, 44 * u), fill=eye, width=int(u))
    return _jpeg(image.resize((size, size), Image.LANCZOS))
