"""The reference table matches the files on disk and covers every kind we must render."""

from __future__ import annotations

import pydicom
import pytest
from pydicom import uid

from tests.media.reference import (
    BY_NAME,
    DATA,
    EXCLUDED,
    LOSSLESS_TWINS,
    LOSSY_TWINS,
    PYDICOM,
    REFERENCE,
    Ref,
)


def _syntax(ds: pydicom.Dataset) -> str:
    tsyntax = getattr(ds, "file_meta", pydicom.Dataset()).get("TransferSyntaxUID")
    if tsyntax is None:
        return "native"
    families = [
        (uid.ExplicitVRBigEndian == tsyntax, "big-endian"),
        (tsyntax == uid.DeflatedExplicitVRLittleEndian, "deflate"),
        (tsyntax in uid.RLETransferSyntaxes, "rle"),
        (tsyntax in uid.JPEGLSTransferSyntaxes, "jpeg-ls"),
        (tsyntax in uid.JPEG2000TransferSyntaxes, "j2k"),
        (tsyntax in uid.JPEGTransferSyntaxes, "jpeg"),
    ]
    return next((name for hit, name in families if hit), "native")


def test_every_pixel_file_in_both_corpora_is_listed() -> None:
    on_disk = set()
    for folder in (PYDICOM, DATA):
        for path in folder.glob("*.dcm"):
            ds = pydicom.dcmread(path, force=True, defer_size=256)
            if "PixelData" in ds:
                on_disk.add(path.name)
    assert on_disk == set(BY_NAME), "reference table out of date"
    assert len(REFERENCE) == len(BY_NAME), "duplicate rows"


@pytest.mark.parametrize("ref", REFERENCE, ids=lambda r: r.name)
def test_row_matches_header(ref: Ref) -> None:
    ds = pydicom.dcmread(ref.path, force=True, defer_size=256)
    assert ds.get("Modality") == ref.modality
    assert ds.get("PhotometricInterpretation") == ref.photometric
    assert _syntax(ds) == ref.syntax
    voi = (
        "window"
        if "WindowCenter" in ds
        else "voi-lut"
        if "VOILUTSequence" in ds
        else "modality-lut"
        if "ModalityLUTSequence" in ds
        else ""
    )
    assert voi == ref.voi
    if ref.name != "badVR.dcm":  # its Number of Frames is the malformed '1A'
        assert int(ds.get("NumberOfFrames") or 1) == ref.frames


def test_exclusions_and_twins_name_listed_files() -> None:
    names = set(EXCLUDED) | {n for pair in LOSSLESS_TWINS + LOSSY_TWINS for n in pair}
    assert names <= set(BY_NAME)
    assert all(e.twin in BY_NAME for e in EXCLUDED.values() if e.twin)


def test_table_covers_what_the_renderer_promises() -> None:
    rows = REFERENCE
    assert any(r.modality == "CT" and r.voi == "window" for r in rows)
    assert any(r.modality == "MR" for r in rows)
    assert any(r.modality == "CR" and r.photometric == "MONOCHROME1" for r in rows)
    assert any(r.modality == "US" and r.photometric == "RGB" for r in rows)
    assert any(r.modality == "US" and r.photometric == "PALETTE COLOR" for r in rows)
    assert any(r.photometric and r.photometric.startswith("YBR_FULL") for r in rows)
    assert {"modality-lut", "voi-lut", "window"} <= {r.voi for r in rows}
    assert any(r.frames > 1 for r in rows)
    assert {"native", "big-endian", "deflate", "rle", "jpeg", "jpeg-ls", "j2k"} <= {r.syntax for r in rows}
