"""Blank rectangles of burned-in text in every frame, into a new uncompressed DICOM object.

The result is a new instance (new SOP Instance UID, BurnedInAnnotation NO) whose Pixel Data is
written uncompressed: re-encoding to the old lossy syntax would spread the blanked boxes' edges
and take a second generation of loss. Icon images and overlay planes go too: either may show the
same text in small or as graphics.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final, Protocol

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import UID, ExplicitVRLittleEndian

from media.errors import ErrorCode, RenderError

REDACTION_NOTE: Final = "Burned-in text blanked after review"
_YBR_DECODED_AS_RGB: Final = frozenset({"YBR_FULL", "YBR_FULL_422", "YBR_RCT", "YBR_ICT", "YBR_PARTIAL_420"})


class Rect(Protocol):
    """A rectangle in pixel coordinates; read-only, so frozen dataclasses qualify."""

    @property
    def x(self) -> int: ...
    @property
    def y(self) -> int: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


def _blank_value(ds: Dataset, pixels: np.ndarray) -> int | float:
    """What shows black: the lowest stored value, or the highest for MONOCHROME1."""
    if str(ds.get("PhotometricInterpretation", "")).strip() == "MONOCHROME1":
        return pixels.max()  # type: ignore[no-any-return]
    return (
        0
        if str(ds.get("PhotometricInterpretation", "")).strip() in ("RGB", "PALETTE COLOR")
        or ds.get("SamplesPerPixel", 1) == 3
        else pixels.min()
    )


def blank(pixels: np.ndarray, regions: Sequence[Rect], value: int | float, *, frames: int) -> np.ndarray:
    """The pixel array with each rectangle set to `value` in every frame (a copy)."""
    out = np.array(pixels, copy=True)
    stack = out if frames > 1 else out[np.newaxis, ...]
    for r in regions:
        stack[:, r.y : r.y + r.height, r.x : r.x + r.width, ...] = value
    return out


def _set_wide_pixels(ds: Dataset, pixels: np.ndarray, photometric: str) -> None:
    """32-bit samples (dose grids, deep RGB), which pydicom's set_pixel_data does not take:
    native little-endian, colour samples interleaved as pixel_array returns them."""
    ds.PixelData = np.ascontiguousarray(pixels.astype(pixels.dtype.newbyteorder("<"))).tobytes()
    ds["PixelData"].VR = "OW"
    ds.PhotometricInterpretation = photometric
    if int(ds.get("SamplesPerPixel") or 1) > 1:
        ds.PlanarConfiguration = 0


def redact(ds: Dataset, regions: Sequence[Rect], *, sop_instance_uid: str) -> Dataset:
    """Change `ds` in place: regions blanked in every frame, a new identity, uncompressed."""
    try:
        pixels = ds.pixel_array  # every frame; YBR comes back as RGB
    except Exception as exc:
        raise RenderError(ErrorCode.UNDECODABLE, f"pixels undecodable: {exc}") from exc
    frames = max(1, int(ds.get("NumberOfFrames") or 1))
    photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2")).strip()
    if photometric in _YBR_DECODED_AS_RGB:
        photometric = "RGB"
    bits_stored = int(ds.get("BitsStored") or pixels.dtype.itemsize * 8)
    blanked = blank(pixels, regions, _blank_value(ds, pixels), frames=frames)
    for tag in [elem.tag for elem in ds if elem.tag.group & 0xFF00 == 0x6000]:  # overlay planes (60xx)
        del ds[tag]
    ds.pop("IconImageSequence", None)
    # Written little endian whatever it was read as (pydicom writes no new big-endian pixel data):
    # the samples are converted by value, and other 16-bit words (palette tables) are swapped.
    if not ds.original_encoding[1] and ds.original_encoding[1] is not None:
        for elem in ds.iterall():
            if elem.VR == "OW" and isinstance(elem.value, bytes) and elem.tag != 0x7FE00010:
                elem.value = np.frombuffer(elem.value, ">u2").astype("<u2").tobytes()
    blanked = blanked.astype(blanked.dtype.newbyteorder("<"))
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    try:
        if blanked.dtype.itemsize > 2:
            _set_wide_pixels(ds, blanked, photometric)
        else:
            ds.set_pixel_data(blanked, photometric, bits_stored)
    except (ValueError, NotImplementedError, AttributeError, TypeError) as exc:
        raise RenderError(ErrorCode.UNDECODABLE, f"the blanked pixels cannot be written: {exc}") from exc
    ds.SOPInstanceUID = UID(sop_instance_uid)
    ds.file_meta.MediaStorageSOPInstanceUID = UID(sop_instance_uid)
    ds.BurnedInAnnotation = "NO"
    methods = list(ds.get("DeidentificationMethod") or [])
    if isinstance(ds.get("DeidentificationMethod"), str):
        methods = [ds.DeidentificationMethod]
    ds.DeidentificationMethod = [*methods, REDACTION_NOTE]
    return ds


def redacted_bytes(data: bytes, regions: Sequence[Rect], *, sop_instance_uid: str) -> bytes:
    """A stored de-identified file in, the redacted Part 10 file out."""
    try:
        ds = pydicom.dcmread(io.BytesIO(data), force=True)
    except Exception as exc:
        raise RenderError(ErrorCode.UNDECODABLE, f"not readable as DICOM: {exc}") from exc
    redact(ds, regions, sop_instance_uid=sop_instance_uid)
    out = io.BytesIO()
    try:
        pydicom.dcmwrite(out, ds, enforce_file_format=True)
    except Exception as exc:  # an element read from a damaged file may refuse to be written back
        raise RenderError(ErrorCode.UNDECODABLE, f"the redacted object cannot be written: {exc}") from exc
    return out.getvalue()
