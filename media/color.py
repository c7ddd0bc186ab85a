"""Colour steps: PALETTE COLOR through its LUTs, and deep RGB scaled down to 8 bits.

YBR_FULL / YBR_FULL_422 / YBR_RCT / YBR_ICT never reach here: pydicom's decoders hand
them back as RGB (see `decode.Frame.photometric`), planar configuration already undone.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels.processing import apply_color_lut


def palette_table(domain: np.ndarray, attrs: Dataset) -> np.ndarray:
    """(N, 3) uint8 RGB for each stored value in `domain`."""
    rgb = apply_color_lut(domain, attrs)
    if rgb.dtype != np.uint8 and int(rgb.max(initial=0)) > 255:
        # 16-bit palette entries: keep the top byte. Some writers put 8-bit values in a
        # 16-bit descriptor; those are left as they are instead of turned black.
        rgb = rgb >> 8
    return rgb.astype(np.uint8)


def rgb_to_8bit(pixels: np.ndarray, bits_stored: int) -> np.ndarray:
    """RGB of any depth -> uint8, scaling the stored range to 0..255."""
    if pixels.dtype == np.uint8:
        return np.ascontiguousarray(pixels)
    top = float(2**bits_stored - 1)
    scaled = pixels.astype(np.float64) * (255.0 / top)
    return np.rint(np.clip(scaled, 0.0, 255.0)).astype(np.uint8)
