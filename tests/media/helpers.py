"""Shared test helpers: render a reference file and correlate two images."""

from __future__ import annotations

import numpy as np
import pydicom
from pydicom.pixels import apply_modality_lut

from media.decode import frame_attributes, read_frame
from media.render import RenderOptions, render_dataset
from tests.media.reference import Ref


def read(ref: Ref) -> pydicom.Dataset:
    return pydicom.dcmread(ref.path, force=True)


def frames_to_check(ref: Ref) -> list[int]:
    return sorted({1, ref.frames})


def minmax_window(ds: pydicom.Dataset, frame: int) -> tuple[float, float]:
    """dcmtk's +Wm: the window spanning the frame's modality values, end to end."""
    values = apply_modality_lut(read_frame(ds, frame).pixels, frame_attributes(ds, frame))
    low, high = float(values.min()), float(values.max())
    return (low + high) / 2, max(high - low, 1.0)


def dcmtk_flags(ref: Ref, ds: pydicom.Dataset, frame: int) -> tuple[list[str], RenderOptions]:
    """The dcmj2pnm VOI flags and our options that select the same window."""
    frame_flag = ["+F", str(frame)]
    if not ref.is_grey:
        return frame_flag, RenderOptions(frame=frame)
    if ref.voi == "window":
        return [*frame_flag, "+Wi", "1"], RenderOptions(frame=frame)  # ours reads the file's too
    if ref.voi == "voi-lut":
        return [*frame_flag, "+Wl", "1"], RenderOptions(frame=frame)
    return [*frame_flag, "+Wm"], RenderOptions(frame=frame, window=minmax_window(ds, frame))


def ours(ds: pydicom.Dataset, options: RenderOptions) -> np.ndarray:
    return np.asarray(render_dataset(ds, options))


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson r over all pixel values (all channels); 1.0 for two identical flat images."""
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    x, y = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    if x.std() == 0 or y.std() == 0:
        return 1.0 if x.std() == y.std() == 0 else 0.0
    return float(np.corrcoef(x, y)[0, 1])
