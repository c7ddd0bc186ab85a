"""Redaction over the reference table: every real file with decodable pixels comes out with the box
blank in every frame, nothing else changed, a new identity, and a file dcmtk reads; the rest is
refused as UNDECODABLE, never with another exception."""

from __future__ import annotations

import io
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.uid import generate_uid

from media.errors import ErrorCode, RenderError
from media.ocr import Region
from media.redact import REDACTION_NOTE, redacted_bytes
from tests.media.reference import REFERENCE, Ref


def _frames(ds: pydicom.Dataset) -> np.ndarray:
    pixels = ds.pixel_array
    return pixels if int(ds.get("NumberOfFrames") or 1) > 1 else pixels[np.newaxis]


def _decodable(ref: Ref) -> np.ndarray | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(ref.path, force=True)
            return _frames(ds) if "PixelData" in ds and ds.get("Rows") else None
    except Exception:
        return None


WITH_PIXELS = [r for r in REFERENCE if r.photometric is not None]


@pytest.mark.parametrize("ref", WITH_PIXELS, ids=lambda r: r.name)
def test_redaction_of_every_reference_file(ref: Ref, tmp_path: Path) -> None:
    original = _decodable(ref)
    box = Region(0, 0, 8, 4)
    uid = generate_uid(prefix=None)
    if original is None:
        with pytest.raises(RenderError) as refused:
            redacted_bytes(ref.path.read_bytes(), [box], sop_instance_uid=uid)
        assert refused.value.code is ErrorCode.UNDECODABLE
        return
    data = redacted_bytes(ref.path.read_bytes(), [box], sop_instance_uid=uid)
    ds = pydicom.dcmread(io.BytesIO(data))
    assert ds.SOPInstanceUID == ds.file_meta.MediaStorageSOPInstanceUID == uid
    assert ds.BurnedInAnnotation == "NO" and REDACTION_NOTE in ds.DeidentificationMethod
    assert not ds.file_meta.TransferSyntaxUID.is_compressed
    frames = _frames(ds)
    assert frames.shape[:3] == original.shape[:3]
    blanked = frames[:, :4, :8]
    assert (blanked == blanked.flat[0]).all()
    if ref.photometric != "YBR_FULL_422":  # re-encoded 4:2:2 chroma is averaged back in pairs
        assert (frames[:, 4:, :] == original[:, 4:, :]).all() and (frames[:, :, 8:] == original[:, :, 8:]).all()
    path = tmp_path / "redacted.dcm"
    path.write_bytes(data)
    assert subprocess.run(["dcmdump", str(path)], capture_output=True).returncode == 0
