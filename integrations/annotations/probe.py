"""The ImageProbe content.annotations measures with: spacing and modality values read from the media store.

Each file is read once per probe (a save of many annotations on one image reads it once).
An unreadable image measures nothing rather than refusing the save: the points are what count.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pydicom
from pydicom.dataset import Dataset

from content.annotations.geometry import Point, Spacing
from media.decode import frame_attributes, read_frame
from media.errors import RenderError
from media.store import ContentStore
from media.voi import apply_modality


def _spacing_of(ds: Dataset) -> Spacing | None:
    """PixelSpacing, else ImagerPixelSpacing, else the enhanced objects' shared PixelMeasuresSequence."""
    for source in (ds, *_measures(ds)):
        for keyword in ("PixelSpacing", "ImagerPixelSpacing"):
            value = source.get(keyword)
            try:
                if value is not None and len(value) == 2 and float(value[0]) > 0 and float(value[1]) > 0:
                    return float(value[0]), float(value[1])
            except (TypeError, ValueError):
                continue
    return None


def _measures(ds: Dataset) -> list[Dataset]:
    shared = ds.get("SharedFunctionalGroupsSequence")
    if not shared:
        return []
    return list(shared[0].get("PixelMeasuresSequence") or [])


def _unit(ds: Dataset) -> str | None:
    if str(ds.get("Modality") or "") == "CT":
        return "HU"
    return str(ds.get("RescaleType") or "") or None


class StoreProbe:
    """Reads the stored (de-identified) originals by their content key."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        self._read = lru_cache(maxsize=8)(self._load)

    def _load(self, file_key: str) -> Dataset | None:
        path = self.store.path_for(file_key)
        if not path.is_file():
            return None
        try:
            return pydicom.dcmread(path, force=True)
        except Exception:  # a damaged file measures nothing; the annotation is still saved
            return None

    def spacing(self, file_key: str) -> Spacing | None:
        ds = self._read(file_key)
        return _spacing_of(ds) if ds is not None else None

    def _values(self, file_key: str, frame: int) -> tuple[np.ndarray, str | None] | None:
        ds = self._read(file_key)
        if ds is None:
            return None
        try:
            pixels = read_frame(ds, frame).pixels
        except RenderError:
            return None
        if pixels.ndim != 2:  # colour images have no single value to average
            return None
        values: Any = apply_modality(pixels, frame_attributes(ds, frame))
        return np.asarray(values, dtype=np.float64), _unit(ds)

    def ellipse_stats(
        self, file_key: str, frame: int, ellipse: tuple[Point, Point, Point, Point]
    ) -> tuple[float, float, str | None] | None:
        found = self._values(file_key, frame)
        if found is None:
            return None
        values, unit = found
        inside = ellipse_mask(values.shape, ellipse)
        if not inside.any():
            return None
        chosen = values[inside]
        return float(chosen.mean()), float(chosen.std()), unit

    def value_at(self, file_key: str, frame: int, point: Point) -> tuple[float, str | None] | None:
        found = self._values(file_key, frame)
        if found is None:
            return None
        values, unit = found
        rows, cols = values.shape
        r, c = min(int(point[1]), rows - 1), min(int(point[0]), cols - 1)
        return float(values[r, c]), unit


def ellipse_mask(shape: tuple[int, ...], ellipse: tuple[Point, Point, Point, Point]) -> np.ndarray:
    """The pixels whose centres lie inside the ellipse given by its two axes' ends."""
    (a0, a1, b0, b1) = ellipse
    cx, cy = (a0[0] + a1[0]) / 2, (a0[1] + a1[1]) / 2
    u = np.array([(a1[0] - a0[0]) / 2, (a1[1] - a0[1]) / 2])
    v = np.array([(b1[0] - b0[0]) / 2, (b1[1] - b0[1]) / 2])
    basis = np.column_stack([u, v])
    if abs(np.linalg.det(basis)) < 1e-9:
        return np.zeros(shape[:2], dtype=bool)
    inverse = np.linalg.inv(basis)
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    d = np.stack([cols + 0.5 - cx, rows + 0.5 - cy])  # pixel centres, relative to the ellipse's centre
    st = np.tensordot(inverse, d, axes=1)
    result: np.ndarray = (st[0] ** 2 + st[1] ** 2) <= 1.0
    return result
