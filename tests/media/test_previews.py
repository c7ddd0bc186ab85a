"""Series previews from a synthesised 40-slice CT: valid, deterministic, memory-flat."""

from __future__ import annotations

import io
import tracemalloc

import numpy as np
from PIL import Image

from media.previews import cine, evenly_spaced, montage, slices, thumbnail
from tests.media.conftest import make_ct_slice
from tests.media.reference import BY_NAME


def _frames(image: Image.Image) -> int:
    """How many frames an animated image holds (Pillow's plugins add `n_frames`; 1 when still)."""
    return int(getattr(image, "n_frames", 1))


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_evenly_spaced_keeps_ends() -> None:
    assert evenly_spaced(5, 16) == [0, 1, 2, 3, 4]
    picked = evenly_spaced(500, 16)
    assert len(picked) == 16 and picked[0] == 0 and picked[-1] == 499


def test_thumbnail_is_the_middle_slice(ct_series) -> None:
    image = _open(thumbnail(ct_series))
    assert image.format == "WEBP" and image.size == (256, 256)
    # The middle slice has the biggest "bone" ball: more bright pixels than slice 0's.
    first = _open(thumbnail(ct_series, key_index=0, fmt="png"))
    middle = _open(thumbnail(ct_series, fmt="png"))
    assert (np.asarray(middle) > 200).sum() > (np.asarray(first) > 200).sum() * 4


def test_thumbnail_same_bytes_from_files_and_datasets(ct_series, ct_series_files) -> None:
    assert thumbnail(ct_series) == thumbnail(ct_series_files) == thumbnail(ct_series)


def test_montage_is_a_grid(ct_series_files) -> None:
    data = montage(ct_series_files, count=16, tile=96)
    image = _open(data)
    assert image.size == (4 * 96, 4 * 96)
    assert montage(ct_series_files, count=16, tile=96) == data
    grid = np.asarray(image.convert("L"))
    tile_means = [grid[r * 96 : (r + 1) * 96, c * 96 : (c + 1) * 96].mean() for r in range(4) for c in range(4)]
    assert min(tile_means) > 20  # every tile holds a rendered slice, not an empty cell


def test_cine_is_animated_and_capped(ct_series_files) -> None:
    data = cine(ct_series_files, max_frames=60, size=128)
    image = _open(data)
    assert image.format == "WEBP" and _frames(image) == 40
    assert image.size == (128, 128)
    assert _frames(_open(cine(ct_series_files, max_frames=12, size=64))) == 12
    assert cine(ct_series_files, max_frames=60, size=128) == data


def test_multiframe_object_is_a_stack() -> None:
    path = BY_NAME["emri_small.dcm"].path
    assert len(slices([path])) == 10
    assert _frames(_open(cine([path], size=64))) == 10


def test_undecodable_slices_become_placeholders(tmp_path, ct_series_files) -> None:
    broken = tmp_path / "broken.dcm"
    broken.write_bytes(b"garbage" * 100)
    series = [*ct_series_files[:3], broken, *ct_series_files[3:6]]
    assert _open(montage(series, count=16, tile=64)).size == (3 * 64, 3 * 64)
    assert _frames(_open(cine(series, size=64))) == 7
    assert _open(thumbnail([broken], size=64)).size == (64, 64)
    assert _open(thumbnail([], size=64)).size == (64, 64)


def test_previews_read_one_slice_at_a_time(tmp_path) -> None:
    # 150 slices of 256x256: as float64 the stack would be ~79 MB, as raw int16 ~20 MB.
    paths = []
    for i in range(150):
        path = tmp_path / f"s{i}.dcm"
        make_ct_slice(i, size=256, count=150).save_as(path, enforce_file_format=True)
        paths.append(path)
    tracemalloc.start()
    try:
        cine(paths, max_frames=60, size=128)
        montage(paths)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * 1024 * 1024
