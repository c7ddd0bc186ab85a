"""A neutral grey stand-in for images that cannot be rendered, so callers never crash."""

from __future__ import annotations

import textwrap

from PIL import Image, ImageDraw, ImageFont

_GREY = 96
_INK = 224


def placeholder(size: int = 256, reason: str = "Image unavailable") -> Image.Image:
    """A square grey image with `reason` (shortened) written in the middle."""
    size = max(16, min(int(size), 4096))
    image = Image.new("L", (size, size), _GREY)
    if size < 48:
        return image  # too small for legible text; the grey square still says "missing"
    font = ImageFont.load_default(size=max(8, size // 16))
    chars = max(8, int(size / (size // 16 * 0.6)))
    text = "\n".join(textwrap.wrap(reason.strip() or "Image unavailable", chars)[:4])
    draw = ImageDraw.Draw(image)
    draw.multiline_text((size / 2, size / 2), text, fill=_INK, font=font, anchor="mm", align="center")
    return image
