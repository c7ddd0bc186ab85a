"""RenderOptions refusals, cache keys, encoding, resizing and the undecodable path."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pydicom
import pytest
from PIL import Image

from media.errors import ErrorCode, RenderError
from media.render import RenderOptions, encode, placeholder, render_dataset, render_file
from tests.media.conftest import make_ct_slice
from tests.media.reference import BY_NAME


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"size": 0}, "size"),
        ({"size": 100_000}, "size"),
        ({"size": 15}, "size"),
        ({"size": 4097}, "size"),
        ({"size": True}, "size"),
        ({"frame": 0}, "frame"),
        ({"frame": -3}, "frame"),
        ({"window": (40, 0)}, "window"),
        ({"window": (40, -10)}, "window"),
        ({"window": (math.nan, 400)}, "window"),
        ({"preset": "kidney-ish"}, "preset"),
        ({"window": (40, 400), "preset": "brain"}, "window"),
        ({"format": "gif"}, "format"),
    ],
)
def test_absurd_options_are_refused(kwargs: dict, field: str) -> None:
    with pytest.raises(RenderError) as refused:
        RenderOptions(**kwargs)
    assert refused.value.code is ErrorCode.INVALID_INPUT
    assert refused.value.field == field


def test_frame_beyond_the_object_is_refused() -> None:
    ds = pydicom.dcmread(BY_NAME["emri_small.dcm"].path)
    assert render_dataset(ds, RenderOptions(frame=10)).size == (64, 64)
    with pytest.raises(RenderError) as refused:
        render_dataset(ds, RenderOptions(frame=11))
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_INPUT, "frame")


def test_cache_key_is_stable_and_tells_options_apart() -> None:
    base = RenderOptions(size=256, window=(40, 400))
    assert base.cache_key("a" * 64) == RenderOptions(size=256, window=(40.0, 400.0)).cache_key("a" * 64)
    variants = [
        base,
        RenderOptions(size=128, window=(40, 400)),
        RenderOptions(size=256, window=(40, 401)),
        RenderOptions(size=256, preset="lung"),
        RenderOptions(size=256, window=(40, 400), format="png"),
        RenderOptions(size=256, window=(40, 400), frame=2),
    ]
    keys = {v.cache_key("a" * 64) for v in variants} | {base.cache_key("b" * 64)}
    assert len(keys) == len(variants) + 1
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys), keys  # sha256 hex digests


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_render_file_encodes_deterministically(fmt: str) -> None:
    path = BY_NAME["693_UNCR.dcm"].path
    options = RenderOptions(size=256, format=fmt)  # type: ignore[arg-type]
    first, second = render_file(path, options), render_file(path, options)
    assert first == second
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == fmt.upper() and image.size == (256, 256)


def test_resize_keeps_aspect_ratio() -> None:
    # RG1 is 1841 x 1955 (w x h): the longest edge becomes 256, the other scales with it.
    image = render_dataset(pydicom.dcmread(BY_NAME["RG1_UNCR.dcm"].path), RenderOptions(size=256))
    assert image.size == (241, 256)
    small = render_dataset(pydicom.dcmread(BY_NAME["MR_small.dcm"].path), RenderOptions(size=200))
    assert small.size == (200, 200)  # upscaled too: a thumbnail grid needs a common size


def test_downsampling_does_not_alias() -> None:
    # A one-pixel checkerboard must average to flat grey, not beat into a moire pattern.
    ds = make_ct_slice(0, size=512)
    board = (np.indices((512, 512)).sum(axis=0) % 2 * 400 + 1024 - 200).astype(np.int16)
    ds.PixelData = board.tobytes()
    small = np.asarray(render_dataset(ds, RenderOptions(size=50, window=(0, 400))), dtype=float)
    assert small.std() < 3 and abs(small.mean() - 127.5) < 3


def test_garbage_and_truncated_files_are_undecodable(tmp_path) -> None:
    garbage = tmp_path / "garbage.dcm"
    garbage.write_bytes(b"\x00\x01not dicom at all" * 50)
    source = BY_NAME["CT_small.dcm"].path.read_bytes()
    truncated = tmp_path / "truncated.dcm"
    truncated.write_bytes(source[: len(source) - 9000])
    for path in (garbage, truncated, BY_NAME["MR_truncated.dcm"].path):
        with pytest.raises(RenderError) as refused:
            render_file(path, RenderOptions(size=64))
        assert refused.value.code is ErrorCode.UNDECODABLE
        assert refused.value.message
    image = placeholder(128, refused.value.message)
    pixels = np.asarray(image)
    assert image.size == (128, 128) and pixels.min() < pixels.max()  # text is drawn
    assert len(encode(image, "webp")) > 0
    assert placeholder(16, "x").size == (16, 16)
