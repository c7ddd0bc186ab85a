"""WADO-RS metadata and bulk data from stored files: DICOM JSON with every long binary value as a BulkDataURI.

A binary value (OB, OD, OF, OL, OV, OW, UN) longer than BULK_THRESHOLD is not inlined: its
attribute carries a BulkDataURI naming the value by its place in the dataset (tag, item number,
tag, ... joined by dots), which `bulk_value` reads back byte for byte. So palette and VOI lookup
tables, overlays and icons reach the viewer; Pixel Data itself is named the same way (and
served as frames). The stored transfer syntax rides along as (0002,0010), as PS3.18 asks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import pydicom
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset

from content.errors import DomainError, ErrorCode
from integrations.dicomweb.frames import read_stored, stored_syntax

BULK_THRESHOLD: Final = 1024  # longer binary values are bulk data, named by URI rather than inlined
BINARY_VRS: Final = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})
PIXEL_PATH: Final = "7FE00010"
_PATH = re.compile(r"[0-9A-F]{8}(\.[0-9]{1,6}\.[0-9A-F]{8}){0,8}")


def _bulk_paths(ds: Dataset, prefix: str, out: dict[int, str]) -> None:
    """Each binary element's path, by identity (pydicom hands the JSON encoder the same objects)."""
    for elem in ds:
        path = f"{prefix}{int(elem.tag):08X}"
        if elem.VR == "SQ":
            for number, item in enumerate(elem.value):
                _bulk_paths(item, f"{path}.{number}.", out)
        elif elem.VR in BINARY_VRS:
            out[id(elem)] = path


def instance_json(ds: Dataset, *, bulk_url: str, syntax: str) -> dict[str, Any]:
    """One instance's DICOM JSON (read without its pixels); bulk values named under `bulk_url`."""
    paths: dict[int, str] = {}
    _bulk_paths(ds, "", paths)

    def uri(elem: DataElement) -> str:
        return f"{bulk_url}/{paths[id(elem)]}"

    # An odd value in one element must not cost the client the whole study's metadata.
    out = ds.to_json_dict(bulk_data_threshold=BULK_THRESHOLD, bulk_data_element_handler=uri, suppress_invalid_tags=True)
    out["00020010"] = {"vr": "UI", "Value": [syntax]}
    if "Rows" in ds and "Columns" in ds:
        compressed = pydicom.uid.UID(syntax).is_compressed
        vr = "OW" if not compressed and int(ds.get("BitsAllocated") or 8) > 8 else "OB"
        out[PIXEL_PATH] = {"vr": vr, "BulkDataURI": f"{bulk_url}/{PIXEL_PATH}"}
    return dict(sorted(out.items()))


def file_attributes(ds: Dataset, tags: frozenset[str] | None) -> dict[str, Any]:
    """DICOM JSON of the file's attributes with these tags (every one when None), bulk data left
    out: search results carry no bulk values, their metadata does."""
    out: dict[str, Any] = {}
    for elem in ds:
        tag = f"{int(elem.tag):08X}"
        if (tags is not None and tag not in tags) or elem.VR in BINARY_VRS or tag == PIXEL_PATH:
            continue
        try:
            out[tag] = elem.to_json_dict(bulk_data_element_handler=None, bulk_data_threshold=BULK_THRESHOLD)
        except (ValueError, TypeError, KeyError):
            continue  # an odd value in one element must not cost the client the rest
    return out


def read_header(path: Path) -> tuple[Dataset, str]:
    """A stored file without its pixels, and its transfer syntax."""
    ds = read_stored(path, pixels=False)
    return ds, str(stored_syntax(ds))


def parse_bulk_path(text: str) -> list[int | str]:
    """`TAG(.ITEM.TAG)*` (8 hex digits, item numbers from 0); NOT_FOUND if it names nothing we write."""
    text = text.upper()
    if not _PATH.fullmatch(text):
        raise DomainError(ErrorCode.NOT_FOUND, "no such bulk data", field="bulkdata")
    return [int(p) if i % 2 else p for i, p in enumerate(text.split("."))]


def is_pixel_data(steps: list[int | str]) -> bool:
    """Whether the path names the top-level Pixel Data (served as frames)."""
    return steps == [PIXEL_PATH]


def bulk_value(ds: Dataset, steps: list[int | str]) -> bytes:
    """The bytes of the binary value at `steps` in `ds`; NOT_FOUND if there is none."""
    missing = DomainError(ErrorCode.NOT_FOUND, "no such bulk data", field="bulkdata")
    current: Any = ds
    for position, step in enumerate(steps):
        if position % 2:  # an item number inside the sequence just reached
            items = current.value
            if not isinstance(step, int) or step >= len(items):
                raise missing
            current = items[step]
            continue
        tag = int(str(step), 16)
        if tag not in current:
            raise missing
        current = current[tag]
        if position < len(steps) - 1 and current.VR != "SQ":
            raise missing
    if not isinstance(current, DataElement) or current.VR not in BINARY_VRS or current.value is None:
        raise missing
    value = current.value
    return value if isinstance(value, bytes) else bytes(value)
