"""Burned-in text found in the pixels (Tesseract OCR): proposed regions to blank, and whether to hold.

One frame is read through the same pipeline the renderer uses (media.pixels), so the OCR sees
what a person would see. Small images are enlarged first: Tesseract reads text about 20-30
pixels high best, and ultrasound overlays are often 8-12. Regions come back in the stored
image's pixel coordinates, padded a little so a blanked box covers the glyphs' anti-aliasing.

Tesseract also "reads" speckle and bone edges as one- or two-letter words, so a word is
proposed only with enough confidence and PROPOSE_CHARS letters or digits, and holds an image
only with more of both; a lone L/R marker (not identifying) does neither.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image, ImageOps
from pydicom.dataset import Dataset

MIN_CONFIDENCE: Final = 60.0  # Tesseract's word confidence (0..100) for a proposed region
# Holding an image no header marks as at risk takes a surer word: on a chest film Tesseract
# reads "fae" at 62 in the lung fields, while real overlays read at 85-96 (see the note).
HOLD_CONFIDENCE: Final = 75.0
PROPOSE_CHARS: Final = 2  # "OB", "2D", "60": short, but a reviewer should see them boxed
HOLD_CHARS: Final = 3  # a lone L/R marker or a stray "=" holds nothing
TARGET_EDGE: Final = 1280  # enlarge smaller images towards this longest edge (at most 2x)
MAX_SCALE: Final = 2
PAD: Final = 2  # pixels around each word, in stored coordinates
# Sparse text (psm 11): overlays are scattered words, not a page of paragraphs.
TESSERACT_CONFIG: Final = "--psm 11"
PASS_FORMAT: Final = "PPM"  # Pillow writes a grey ("L") image as binary PGM under this name


@dataclass(frozen=True)
class Region:
    """A rectangle in the stored image's pixel coordinates (x to the right, y down)."""

    x: int
    y: int
    width: int
    height: int

    def as_dict(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class TextFound:
    regions: tuple[Region, ...]
    words: tuple[tuple[str, float], ...]  # (word, confidence): for measuring, never stored or logged

    @property
    def holds(self) -> bool:
        """Text sure enough to hold an image that its header did not mark."""
        return any(conf >= HOLD_CONFIDENCE and _meaningful(word, HOLD_CHARS) for word, conf in self.words)


NOTHING: Final = TextFound((), ())


def available() -> bool:
    """Whether the tesseract program is installed (the Debian package tesseract-ocr)."""
    return shutil.which("tesseract") is not None


def _meaningful(word: str, chars: int) -> bool:
    return sum(ch.isalnum() for ch in word) >= chars


def _merge(boxes: list[Region]) -> list[Region]:
    """Boxes that touch or overlap become one: a line of text is one region to blank."""
    merged: list[Region] = []
    for box in sorted(boxes, key=lambda b: (b.y, b.x)):
        for i, other in enumerate(merged):
            if (
                box.x <= other.x + other.width + PAD
                and other.x <= box.x + box.width + PAD
                and box.y <= other.y + other.height
                and other.y <= box.y + box.height
            ):
                x0, y0 = min(box.x, other.x), min(box.y, other.y)
                x1 = max(box.x + box.width, other.x + other.width)
                y1 = max(box.y + box.height, other.y + other.height)
                merged[i] = Region(x0, y0, x1 - x0, y1 - y0)
                break
        else:
            merged.append(box)
    return merged


def _passes(pixels: np.ndarray, scale: int) -> list[Image.Image]:
    """Two views of the frame: the inverted grey image (light text on the dark image area), and
    the brightest channel cut at mid-grey (light text on a coloured band, such as a vendor's
    header with the date, which grey conversion dims into its background)."""
    rows, columns = pixels.shape[:2]
    grey = Image.fromarray(pixels).convert("L")
    brightest = Image.fromarray(pixels.max(axis=2) if pixels.ndim == 3 else pixels)
    views = [ImageOps.invert(grey), ImageOps.invert(brightest.point(lambda v: 255 if v > 127 else 0))]
    if scale > 1:
        views = [v.resize((columns * scale, rows * scale), Image.Resampling.BICUBIC) for v in views]
    return views


def text_in_image(pixels: np.ndarray) -> TextFound:
    """Words and their regions in an 8-bit grey or RGB frame (rows, columns[, 3])."""
    import pytesseract  # imported here: only import workers and reviews pay for it

    # Tesseract's OpenMP threads compete with the import's other workers for the same cores,
    # and were slower even alone: five reference images took 9.3 s threaded, 4.4 s with one
    # thread, reading the same words. An operator's own setting is left alone. pytesseract
    # passes this process's environment to Tesseract, so that is where the limit goes.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    rows, columns = pixels.shape[:2]
    scale = max(1, min(MAX_SCALE, TARGET_EDGE // max(rows, columns, 1)))
    boxes: list[Region] = []
    words: list[tuple[str, float]] = []
    for view in _passes(pixels, scale):
        # pytesseract hands Tesseract a temporary file in the image's format, PNG when it has
        # none; zlib-compressing two enlarged frames cost more than Tesseract's own reading.
        # PNM holds the same grey pixels uncompressed, so Tesseract reads exactly the same image.
        view.format = PASS_FORMAT
        data = pytesseract.image_to_data(view, config=TESSERACT_CONFIG, output_type=pytesseract.Output.DICT)
        for text, conf, left, top, width, height in zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"], strict=True
        ):
            word = str(text).strip()
            if not word or float(conf) < MIN_CONFIDENCE or not _meaningful(word, PROPOSE_CHARS):
                continue
            x0, y0 = max(0, left // scale - PAD), max(0, top // scale - PAD)
            x1 = min(columns, -(-(left + width) // scale) + PAD)
            y1 = min(rows, -(-(top + height) // scale) + PAD)
            boxes.append(Region(x0, y0, x1 - x0, y1 - y0))
            words.append((word, float(conf)))
    return TextFound(tuple(_merge(boxes)), tuple(words))


def text_in_frame(ds: Dataset, frame: int = 1) -> TextFound:
    """Text in one frame of a dataset with pixels (RenderError when they cannot be decoded)."""
    from media.pixels import frame_to_8bit

    return text_in_image(frame_to_8bit(ds, frame))
