"""Parse what `sources` found: headers for grouping, whole instances for de-identification.

pydicom is lenient: a file cut short parses "successfully" into fewer elements. The checks
here turn that into a reported failure (UNDECODABLE, with the reason) instead of an
instance silently missing its pixels.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pydicom
from pydicom.dataset import Dataset
from pydicom.filereader import read_dataset

from content.errors import DomainError, ErrorCode
from importers.sources import Skipped, SourceFile, ZipLimits, iter_sources

PIXEL_TAG = 0x7FE00010
_LONG_VRS = frozenset({b"OB", b"OW", b"OF", b"OD", b"OL", b"OV", b"UN", b"SQ", b"UT", b"UC", b"UR"})
ITEM, SEQUENCE_DELIMITER = 0xFFFEE000, 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF


@dataclass(frozen=True)
class Header:
    source: SourceFile
    dataset: Dataset  # read with stop_before_pixels=True


def _fail(source: SourceFile, reason: str) -> DomainError:
    return DomainError(ErrorCode.UNDECODABLE, f"{source.label}: {reason}", field="file")


def read_header(source: SourceFile) -> Dataset:
    """Headers only; pixel data is skipped but its presence and length are still checked."""
    return read_header_at(source)[0]


def read_header_at(source: SourceFile) -> tuple[Dataset, int]:
    """read_header, and the byte offset where the header stopped (see read_rest)."""
    try:
        with source.open() as fh:
            ds = pydicom.dcmread(fh, stop_before_pixels=True, force=True)
            stopped = fh.tell()
            # Elements convert when first read: a damaged UID element fails here, not later.
            problem = _pixel_problem(fh, ds) or _identity_problem(ds)
    except DomainError:
        raise
    except Exception as exc:  # pydicom raises many exception types on damaged input
        raise _fail(source, f"unreadable DICOM: {exc}") from exc
    if problem:
        raise _fail(source, problem)
    return ds, stopped


def read_rest(header: Dataset, fh: BinaryIO, stopped: int) -> Dataset:
    """The whole instance: `header` (from read_header_at, on the same bytes as fh) completed
    with the elements from `stopped` on, the pixel data and whatever follows it. The header is
    not parsed a second time; what pydicom reads of the rest is what dcmread would have read.
    Deflated files are parsed again whole: the header stopped inside the deflate stream."""
    syntax = header.file_meta.get("TransferSyntaxUID") if hasattr(header, "file_meta") else None
    if syntax is not None and syntax.is_deflated:
        fh.seek(0)
        return pydicom.dcmread(fh, force=True)
    fh.seek(stopped)
    implicit, little = header.original_encoding
    # read_dataset looks at the first element's VR itself, as dcmread's did for the header.
    rest = read_dataset(fh, implicit is not False, little is not False)
    header.update(rest)
    return header


def read_instance(source: SourceFile) -> Dataset:
    """The whole instance, pixels included, checked as read_header checks headers."""
    read_header(source)  # cheap: cuts off before the pixels, and names the problem
    try:
        with source.open() as fh:
            return pydicom.dcmread(fh, force=True)
    except Exception as exc:
        raise _fail(source, f"unreadable DICOM: {exc}") from exc


def scan(paths: Iterable[str | Path], *, limits: ZipLimits | None = None) -> Iterator[Header | Skipped]:
    """Every file found, as a parsed Header or as Skipped with its reason."""
    for found in iter_sources(paths, limits=limits):
        if isinstance(found, Skipped):
            yield found
            continue
        try:
            yield Header(found, read_header(found))
        except DomainError as exc:
            yield Skipped(found.label, exc.message.removeprefix(f"{found.label}: "))


def _identity_problem(ds: Dataset) -> str | None:
    if not ds.get("SOPInstanceUID") or not ds.get("SOPClassUID"):
        return "no SOP Instance/Class UID (truncated, or not a DICOM object)"
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        value = ds.get(keyword)
        if value is not None and (not isinstance(value, str) or len(value) > 64):
            return f"malformed {keyword} (several values, or longer than 64 characters)"
    return None


def _pixel_problem(fh: BinaryIO, ds: Dataset) -> str | None:
    """With fh left at the pixel data element by stop_before_pixels, check its length."""
    syntax = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
    if syntax is not None and syntax.is_deflated:
        return None  # the file position is inside a deflate stream: nothing to measure
    start = fh.tell()
    head = fh.read(12)
    end = fh.seek(0, 2)
    is_image = "Rows" in ds and "Columns" in ds
    if len(head) < 8:
        return "image without pixel data (truncated)" if is_image else None
    implicit, little = ds.original_encoding
    order = "<" if little in (True, None) else ">"
    group, element = struct.unpack(order + "HH", head[:4])
    if (group << 16 | element) != PIXEL_TAG:
        return None  # stopped at float/double pixel data: not checked
    if implicit or len(head) < 12 or head[4:6] not in _LONG_VRS:
        length, offset = struct.unpack(order + "I", head[4:8])[0], 8
    else:
        length, offset = struct.unpack(order + "I", head[8:12])[0], 12
    if length == UNDEFINED:
        return _fragments_problem(fh, start + offset, end, order)
    present = end - start - offset
    if length > present:
        return f"truncated: pixel data declares {length} bytes, {present} present"
    return None


def _fragments_problem(fh: BinaryIO, position: int, end: int, order: str) -> str | None:
    """Walk the encapsulated items' 8-byte headers (seeking past their data) to the delimiter."""
    while position + 8 <= end:
        fh.seek(position)
        group, element, length = struct.unpack(order + "HHI", fh.read(8))
        tag = group << 16 | element
        if tag == SEQUENCE_DELIMITER:
            return None
        if tag != ITEM or length == UNDEFINED:
            return f"malformed encapsulated pixel data at byte {position}"
        position += 8 + length
    return "truncated: encapsulated pixel data ends before its delimiter"
