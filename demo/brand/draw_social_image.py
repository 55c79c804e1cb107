"""Draws social.png, the demo brand's image for shared links (run by hand, with Pillow).

The mark is the one in logo.svg; the type is DejaVu Sans, whose licence allows this."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

TEAL, RED, WHITE, MIST = "#0b5d6b", "#b3202f", "#ffffff", "#d7ecef"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SCALE = 5  # the 48-unit mark, 240 pixels wide


def mark(draw, left, top):
    def at(x, y):
        return left + x * SCALE, top + y * SCALE

    draw.rounded_rectangle([at(0, 0), at(48, 48)], radius=10 * SCALE, fill=WHITE)
    # The drop: a circle with a point on top, as the SVG's curves draw it.
    draw.ellipse([at(12, 17.5), at(36, 41)], fill=TEAL)
    draw.polygon([at(24, 7), at(13.2, 24), at(34.8, 24)], fill=TEAL)
    draw.ellipse([at(17.5, 23), at(30.5, 36)], fill=RED)
    draw.ellipse([at(21.4, 26.9), at(26.6, 32.1)], fill=WHITE)


def main():
    image = Image.new("RGB", (1200, 630), TEAL)
    draw = ImageDraw.Draw(image)
    mark(draw, 110, 195)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 68)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 34)
    draw.text((400, 236), "Haematology Hub", font=bold, fill=WHITE)
    draw.text((402, 335), "Expert-led education for", font=regular, fill=MIST)
    draw.text((402, 380), "healthcare professionals", font=regular, fill=MIST)
    draw.text(
        (110, 560),
        "Demo brand",
        font=ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 24),
        fill=MIST,
    )
    image.save(Path(__file__).with_name("social.png"), optimize=True)


if __name__ == "__main__":
    main()
