"""Steps 2 and 3 of the grey-scale pipeline: modality LUT, then VOI (window or VOI LUT).

Every step here is vectorised over whatever array it gets. `pixels.py` feeds them the
whole range of stored values once (a few thousand entries) and then indexes the image
with the resulting table, which is what makes a 512x512 slice cost well under 1 ms.
"""

from __future__ import annotations

import warnings
from typing import Literal, NamedTuple

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels.processing import apply_modality_lut
from pydicom.pixels.processing import apply_voi as apply_voi_lut_sequence

from media.errors import ErrorCode, RenderError
from media.presets import DEFAULT_CT_PRESET, PRESETS

VoiFunction = Literal["LINEAR", "LINEAR_EXACT", "SIGMOID"]
_FUNCTIONS = ("LINEAR", "LINEAR_EXACT", "SIGMOID")
# A robust default for images without a window: ignores the odd hot or dead pixel.
PERCENTILES = (0.5, 99.5)


class Window(NamedTuple):
    center: float
    width: float
    function: VoiFunction = "LINEAR"


def apply_modality(values: np.ndarray, attrs: Dataset) -> np.ndarray:
    """Stored values -> modality values (HU for CT) via pydicom's Modality LUT step."""
    return apply_modality_lut(values, attrs)


def file_window(attrs: Dataset) -> Window | None:
    """The first window the header offers, with its VOI LUT Function."""
    if "WindowCenter" not in attrs or "WindowWidth" not in attrs:
        return None
    center, width = attrs["WindowCenter"], attrs["WindowWidth"]
    c = center.value[0] if center.VM > 1 else center.value
    w = width.value[0] if width.VM > 1 else width.value
    if c is None or w is None or float(w) <= 0:
        return None  # an empty or zero window in the header is as good as none
    function = str(attrs.get("VOILUTFunction") or "LINEAR").upper()
    return Window(float(c), float(w), function if function in _FUNCTIONS else "LINEAR")  # type: ignore[arg-type]


def percentile_window(values: np.ndarray, counts: np.ndarray | None = None) -> Window:
    """A window over the 0.5-99.5 % range of `values` (weighted by `counts` if given).

    Falls back to the full range when the percentiles coincide (e.g. a binary mask that
    is mostly background), and to width 1 for a flat image.
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if counts is None:
        counts = np.ones(values.shape, dtype=np.int64)
    present = counts > 0
    values, counts = values[present], counts[present]
    if values.size == 0:
        return Window(0.0, 1.0, "LINEAR_EXACT")
    order = np.argsort(values, kind="stable")
    values, cumulative = values[order], np.cumsum(counts[order])
    targets = np.asarray(PERCENTILES) / 100.0 * cumulative[-1]
    low, high = values[np.searchsorted(cumulative, targets).clip(0, values.size - 1)]
    if high <= low:
        low, high = values[0], values[-1]
    width = float(high - low) or 1.0
    return Window(float(low + high) / 2.0, width, "LINEAR_EXACT")


def resolve_window(
    attrs: Dataset,
    values: np.ndarray,
    counts: np.ndarray | None,
    *,
    window: tuple[float, float] | None = None,
    preset: str | None = None,
) -> Window | None:
    """Which window applies: caller's, preset, file's, CT default, else percentile.

    None means "use the file's VOI LUT Sequence". A file window beats a VOI LUT
    Sequence when both exist, as in most viewers.
    """
    if window is not None:
        # DICOM LINEAR needs width >= 1; narrower caller windows (dose, parametric maps)
        # are honoured exactly instead of refused.
        return Window(window[0], window[1], "LINEAR" if window[1] >= 1 else "LINEAR_EXACT")
    if preset is not None:
        if preset not in PRESETS:
            raise RenderError(ErrorCode.INVALID_INPUT, f"unknown preset {preset!r}", field="preset")
        return Window(PRESETS[preset].center, PRESETS[preset].width)
    from_file = file_window(attrs)
    if from_file is not None:
        return from_file
    if attrs.get("VOILUTSequence"):
        return None
    if _is_ct(attrs):
        default = PRESETS[DEFAULT_CT_PRESET]
        return Window(default.center, default.width)
    return percentile_window(values, counts)


def _is_ct(attrs: Dataset) -> bool:
    # Only rescaled CT is in HU; a CT secondary capture without rescale is not.
    return attrs.get("Modality") == "CT" and "RescaleIntercept" in attrs


def uses_percentile(attrs: Dataset) -> bool:
    """True when, without caller input, the window comes from the pixels themselves."""
    return file_window(attrs) is None and not attrs.get("VOILUTSequence") and not _is_ct(attrs)


def apply_window(values: np.ndarray, window: Window) -> np.ndarray:
    """Modality values -> 0..255 float, per PS3.3 C.11.2.1.2 (LINEAR, LINEAR_EXACT, SIGMOID)."""
    center, width, function = window
    x = np.asarray(values, dtype=np.float64)
    if function == "SIGMOID":
        # Clipped exponent: far tails saturate to 0/255 without float overflow warnings.
        return 255.0 / (1.0 + np.exp(np.clip(-4.0 * (x - center) / width, -60.0, 60.0)))
    if function == "LINEAR" and width >= 1:
        center, width = center - 0.5, max(width - 1.0, 1e-9)
    return np.clip((x - center) / width + 0.5, 0.0, 1.0) * 255.0


def apply_voi_sequence(values: np.ndarray, attrs: Dataset) -> np.ndarray:
    """Modality values -> 0..255 float through the first VOI LUT Sequence item."""
    depth = int(attrs.VOILUTSequence[0].LUTDescriptor[2])
    with warnings.catch_warnings():
        # pydicom warns on float input; the LUT is indexed by integers, so round first.
        warnings.simplefilter("ignore")
        mapped = apply_voi_lut_sequence(np.rint(values).astype(np.int64), attrs)
    scaled: np.ndarray = mapped.astype(np.float64) * (255.0 / (2**depth - 1))
    return scaled


def to_8bit(values: np.ndarray, attrs: Dataset, window: Window | None, invert: bool) -> np.ndarray:
    """The last grey-scale step: VOI, then MONOCHROME1 inversion, rounded to uint8."""
    shown = apply_window(values, window) if window is not None else apply_voi_sequence(values, attrs)
    if invert:
        shown = 255.0 - shown
    return np.rint(shown).astype(np.uint8)  # type: ignore[no-any-return]  # numpy types `255.0 - array` as Any
