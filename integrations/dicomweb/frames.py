"""WADO-RS frames and bulk data from a stored file: the bytes PS3.18 puts in each part, and their labels.

Nothing is transcoded. A compressed (encapsulated) frame is its fragments joined, exactly the
bytes the file holds, labelled with the stored transfer syntax; an uncompressed frame is its
slice of the Pixel Data. Implicit VR, deflated and big-endian files hold the same uncompressed
pixels in another envelope, so their frames are labelled Explicit VR Little Endian, the
octet-stream's own syntax (big-endian words are swapped to little-endian first).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.encaps import get_frame
from pydicom.errors import InvalidDicomError
from pydicom.filereader import read_file_meta_info
from pydicom.pixels.utils import get_expected_length
from pydicom.uid import UID, ExplicitVRBigEndian, ExplicitVRLittleEndian

from content.errors import DomainError, ErrorCode

OCTET_STREAM: Final = "application/octet-stream"
PIXEL_DATA: Final = 0x7FE00010
MAX_FRAMES_ASKED: Final = 10_000
# PS3.18 table 8.7.3-5: the image media type of a compressed transfer syntax, for clients that ask for it.
IMAGE_TYPES: Final[dict[str, str]] = {
    "1.2.840.10008.1.2.4.50": "image/jpeg",
    "1.2.840.10008.1.2.4.51": "image/jpeg",
    "1.2.840.10008.1.2.4.57": "image/jpeg",
    "1.2.840.10008.1.2.4.70": "image/jpeg",
    "1.2.840.10008.1.2.4.80": "image/jls",
    "1.2.840.10008.1.2.4.81": "image/jls",
    "1.2.840.10008.1.2.4.90": "image/jp2",
    "1.2.840.10008.1.2.4.91": "image/jp2",
    "1.2.840.10008.1.2.4.201": "image/jphc",
    "1.2.840.10008.1.2.4.202": "image/jphc",
    "1.2.840.10008.1.2.4.203": "image/jphc",
    "1.2.840.10008.1.2.5": "image/x-dicom-rle",
}
# The names PS3.18 has used besides (2019 and later drop the "x-").
ALIASES: Final[dict[str, tuple[str, ...]]] = {"image/x-dicom-rle": ("image/dicom-rle",)}


def image_types(syntax: str) -> list[str]:
    """The image media types a stored syntax's frames may be labelled with, first the preferred."""
    first = IMAGE_TYPES.get(syntax)
    return [first, *ALIASES.get(first, ())] if first else []


@dataclass(frozen=True)
class Frames:
    """Frames of one instance: their bytes, in the order asked, and the syntax they are in."""

    transfer_syntax: str
    image_type: str | None  # the image media type of that syntax, if it has one (compressed)
    parts: list[bytes]


def frame_numbers(text: str) -> list[int]:
    """`1` or `1,3,5` (PS3.18 frame lists, 1-based) as numbers; INVALID_INPUT otherwise."""
    items = [t.strip() for t in text.split(",")]
    if not items or len(items) > MAX_FRAMES_ASKED or not all(t.isdigit() and int(t) >= 1 for t in items):
        raise DomainError(ErrorCode.INVALID_INPUT, "frames are 1-based numbers, comma-separated", field="frames")
    return [int(t) for t in items]


def stored_syntax(ds: Dataset) -> UID:
    """The file's transfer syntax (Explicit VR Little Endian when the file has no meta header)."""
    meta = getattr(ds, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    return UID(str(syntax)) if syntax else ExplicitVRLittleEndian


def _pixels(ds: Dataset) -> bytes:
    if PIXEL_DATA not in ds or ds[PIXEL_DATA].value is None:
        raise DomainError(ErrorCode.NOT_FOUND, "this instance has no pixel data", field="frames")
    return bytes(ds[PIXEL_DATA].value)


def _uncompressed(ds: Dataset, data: bytes, count: int, numbers: Sequence[int], big_endian: bool) -> list[bytes]:
    bits = int(ds.get("BitsAllocated") or 8)
    if bits == 1:
        # Single-bit frames need not start on a byte: unpack, cut, and pack each again.
        pixels = int(get_expected_length(ds, unit="pixels")) // count
        if len(data) * 8 < pixels * count:
            raise DomainError(ErrorCode.UNDECODABLE, "the stored pixel data is shorter than its frames", field="frames")
        flat = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")
        return [np.packbits(flat[(n - 1) * pixels : n * pixels], bitorder="little").tobytes() for n in numbers]
    size = int(get_expected_length(ds, unit="bytes")) // count
    if len(data) < size * count:  # a truncated file: no frame of it is trusted
        raise DomainError(ErrorCode.UNDECODABLE, "the stored pixel data is shorter than its frames", field="frames")
    out = [data[(n - 1) * size : n * size] for n in numbers]
    if big_endian and bits in (16, 32):
        dtype = np.dtype(f">u{bits // 8}")
        out = [np.frombuffer(part, dtype=dtype).astype(dtype.newbyteorder("<")).tobytes() for part in out]
    return out


def _encapsulated(ds: Dataset, data: bytes, count: int, numbers: Sequence[int]) -> list[bytes]:
    extended = None
    if "ExtendedOffsetTable" in ds and "ExtendedOffsetTableLengths" in ds:
        extended = (bytes(ds.ExtendedOffsetTable), bytes(ds.ExtendedOffsetTableLengths))
    try:
        return [get_frame(data, n - 1, number_of_frames=count, extended_offsets=extended) for n in numbers]
    except (ValueError, IndexError) as exc:
        raise DomainError(ErrorCode.NOT_FOUND, "this frame cannot be found in the stored file", field="frames") from exc


def read_stored(path: Path, *, pixels: bool = True) -> Dataset:
    """A stored file, read; UNDECODABLE (a coded refusal, not a crash) if it cannot be parsed."""
    try:
        return pydicom.dcmread(path, force=True, stop_before_pixels=not pixels)
    except (InvalidDicomError, ValueError, TypeError, EOFError, OSError, struct.error) as exc:
        raise DomainError(ErrorCode.UNDECODABLE, "the stored file cannot be read") from exc


def read_syntax(path: Path) -> str:
    """The stored transfer syntax from the file meta header ("" if it has none or cannot be read)."""
    try:
        return str(read_file_meta_info(path).get("TransferSyntaxUID") or "")
    except (InvalidDicomError, ValueError, TypeError, EOFError, OSError, struct.error):
        return ""


def read_frames(path: Path, numbers: Sequence[int]) -> Frames:
    """The asked frames of a stored file; NOT_FOUND for a frame number past its last frame."""
    ds = read_stored(path)
    count = max(int(ds.get("NumberOfFrames") or 1), 1)
    if max(numbers) > count:
        raise DomainError(ErrorCode.NOT_FOUND, f"the instance has {count} frame(s)", field="frames")
    syntax = stored_syntax(ds)
    data = _pixels(ds)
    if syntax.is_compressed:
        return Frames(str(syntax), IMAGE_TYPES.get(str(syntax)), _encapsulated(ds, data, count, numbers))
    parts = _uncompressed(ds, data, count, numbers, syntax == ExplicitVRBigEndian)
    return Frames(str(ExplicitVRLittleEndian), None, parts)
