"""The resize fast path: an exact integer reduction is a box average, still alias-free."""

from __future__ import annotations

import numpy as np
from PIL import Image

from media.render import resize


def test_exact_halving_averages_blocks() -> None:
    board = (np.indices((512, 512)).sum(axis=0) % 2 * 200).astype(np.uint8)  # 1-px checkerboard
    small = resize(Image.fromarray(board), 256)
    assert small.size == (256, 256)
    assert np.all(np.asarray(small) == 100)  # each 2x2 block is half 0, half 200


def test_uneven_sizes_take_the_lanczos_path_and_keep_the_aspect_ratio() -> None:
    image = Image.new("L", (640, 480), 50)
    assert resize(image, 256).size == (256, 192)
    assert resize(Image.new("L", (512, 300), 50), 256).size == (256, 150)
    assert resize(image, 640) is image and resize(image, None) is image
