"""Other encodings of the same pixels render the same: exactly when lossless."""

from __future__ import annotations

import numpy as np
import pytest

from media.render import RenderOptions
from tests.media.helpers import correlation, frames_to_check, ours, read
from tests.media.reference import BY_NAME, LOSSLESS_TWINS, LOSSY_TWINS


@pytest.mark.parametrize(("original", "twin"), LOSSLESS_TWINS, ids=[t for _, t in LOSSLESS_TWINS])
def test_lossless_twin_renders_identically(original: str, twin: str) -> None:
    a, b = BY_NAME[original], BY_NAME[twin]
    assert a.frames == b.frames
    for frame in frames_to_check(a):
        for size in (None, 128):
            options = RenderOptions(frame=frame, size=size)
            assert np.array_equal(ours(read(a), options), ours(read(b), options)), (frame, size)


@pytest.mark.parametrize(("original", "twin"), LOSSY_TWINS, ids=[t for _, t in LOSSY_TWINS])
def test_lossy_twin_correlates(original: str, twin: str) -> None:
    options = RenderOptions()
    assert correlation(ours(read(BY_NAME[original]), options), ours(read(BY_NAME[twin]), options)) >= 0.99
