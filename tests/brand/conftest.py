import io

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded logos go to a scratch folder, not the development site's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(size=(120, 40), colour="#0b5d6b", format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=format)
    return buffer.getvalue()


SVG_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 48">'
    b'<rect width="96" height="48" rx="8" fill="#0b5d6b"/>'
    b'<circle cx="24" cy="24" r="10" fill="#ffffff"/></svg>'
)
