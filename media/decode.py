"""Step 1 of the pipeline: one frame's stored values, through pydicom's pixel decoders.

Decoding a single frame (not `ds.pixel_array`) keeps memory flat for long multi-frame
objects: a 120-frame ultrasound clip is never held decoded in full.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels.decoders.base import get_decoder
from pydicom.pixels.utils import as_pixel_options
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from media.errors import ErrorCode, RenderError

# Attributes that enhanced (multi-frame functional group) objects move out of the top
# level; we read them per frame so an enhanced CT gets its rescale and window.
_FRAME_GROUPS = {
    "PixelValueTransformationSequence": ("RescaleSlope", "RescaleIntercept"),
    "FrameVOILUTSequence": ("WindowCenter", "WindowWidth", "VOILUTFunction"),
}


class Frame(NamedTuple):
    """Decoded stored values of one frame and the photometric interpretation they are in.

    `photometric` is what the decoder produced, not what the header says: YBR_* data
    comes back as RGB from pydicom, and JPEG 2000 YBR_RCT/ICT likewise.
    """

    pixels: np.ndarray
    photometric: str


def transfer_syntax(ds: Dataset) -> UID:
    """The dataset's transfer syntax, inferred from how it was read when the meta is gone."""
    tsyntax = getattr(ds, "file_meta", Dataset()).get("TransferSyntaxUID")
    if tsyntax:
        return UID(tsyntax)
    implicit, little = ds.original_encoding
    if implicit:
        return ImplicitVRLittleEndian
    return ExplicitVRLittleEndian if little is not False else ExplicitVRBigEndian


def frame_count(ds: Dataset) -> int:
    """Number of frames of a dataset (1 for single-frame images); a bad value is UNDECODABLE."""
    try:
        return max(1, int(ds.get("NumberOfFrames") or 1))
    except (TypeError, ValueError) as exc:
        raise RenderError(ErrorCode.UNDECODABLE, f"invalid Number of Frames: {exc}", field="frame") from exc


def check_frame(ds: Dataset, frame: int) -> int:
    """Return the 0-based index of 1-based `frame`, refusing one the object lacks."""
    count = frame_count(ds)
    if not 1 <= frame <= count:
        raise RenderError(ErrorCode.INVALID_INPUT, f"frame {frame} outside 1..{count}", field="frame")
    return frame - 1


def read_frame(ds: Dataset, frame: int = 1) -> Frame:
    """Decode 1-based `frame`; any decoder failure becomes RenderError(UNDECODABLE)."""
    index = check_frame(ds, frame)
    if "PixelData" not in ds:
        raise RenderError(ErrorCode.UNDECODABLE, "no Pixel Data in this object")
    try:
        decoder = get_decoder(transfer_syntax(ds))
        # view_only: native data is indexed, never written, so skip pydicom's copy.
        opts = as_pixel_options(ds, view_only=True)
        opts.setdefault("photometric_interpretation", "MONOCHROME2")
        pixels, meta = decoder.as_array(ds, index=index, **opts)
    # Decoders raise anything from ValueError to struct.error on corrupt data; whatever
    # it is, the caller needs one code and a reason, never a crash.
    except Exception as exc:
        raise RenderError(ErrorCode.UNDECODABLE, f"pixels undecodable: {exc}") from exc
    return Frame(pixels, str(meta.get("photometric_interpretation", "MONOCHROME2")))


def frame_attributes(ds: Dataset, frame: int = 1) -> Dataset:
    """A flat view of the pixel-transform attributes that apply to `frame`.

    Classic objects are returned as they are; enhanced ones get a shallow copy with the
    shared, then per-frame, functional group values laid over the top level.
    """
    groups = []
    for name in ("SharedFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequence"):
        seq = ds.get(name)
        if seq:
            item = seq[0] if name.startswith("Shared") else seq[min(frame, len(seq)) - 1]
            groups.append(item)
    overrides = [item[seq_name][0] for item in groups for seq_name in _FRAME_GROUPS if item.get(seq_name)]
    if not overrides:
        return ds
    view = Dataset()
    for elem in ds:
        if elem.tag.group == 0x0028:
            view.add(elem)
    view.file_meta = getattr(ds, "file_meta", Dataset())  # type: ignore[arg-type]
    view.set_original_encoding(*ds.original_encoding, ds.original_character_set)  # type: ignore[call-arg]
    for item in overrides:
        for elem in item:
            view.add(elem)
    return view
