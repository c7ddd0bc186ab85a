"""Fixtures for media tests: a dcmtk runner and a synthesised CT series."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

DCMJ2PNM = shutil.which("dcmj2pnm")


class DcmtkFailed(Exception):
    """dcmj2pnm exited non-zero; the message is its last stderr line."""


@pytest.fixture(scope="session")
def dcmtk(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., np.ndarray]:
    """Render with dcmj2pnm to PNG and return the pixels; raises DcmtkFailed on refusal."""
    assert DCMJ2PNM, "dcmtk's dcmj2pnm is required (Debian package dcmtk)"
    folder = tmp_path_factory.mktemp("dcmtk")
    counter = iter(range(1_000_000))

    def run(path: Path, *flags: str) -> np.ndarray:
        out = folder / f"{next(counter)}.png"
        # -O: no overlays burnt in; Lightbox shows the image without overlay planes.
        done = subprocess.run(
            [DCMJ2PNM, "-O", *flags, "--write-png", str(path), str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise DcmtkFailed((done.stderr.strip().splitlines() or ["?"])[-1])
        with Image.open(out) as image:
            return np.asarray(image)

    return run


def make_ct_slice(index: int, *, size: int = 128, count: int = 40, uid: str = "1.2.3") -> pydicom.Dataset:
    """A CT slice: int16 stored values, intercept -1024, a ball that grows, shrinks and
    drifts sideways, so no two slices are identical (an animation keeps every frame)."""
    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = generate_uid(entropy_srcs=[uid, str(index)])
    ds.SeriesInstanceUID = uid
    ds.Modality = "CT"
    ds.InstanceNumber = index + 1
    ds.Rows = ds.Columns = size
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    yy, xx = np.mgrid[:size, :size] - size / 2
    radius = size / 3 * np.sin(np.pi * (index + 0.5) / count)
    hu = np.where(xx**2 + yy**2 < (size / 2.2) ** 2, 40, -1000)  # soft-tissue body in air
    drift = (index / count - 0.5) * size / 4
    hu = np.where((xx - drift) ** 2 + yy**2 < radius**2, 400, hu)  # a "bone" ball through the stack
    stored = (hu + 1024).astype(np.int16)
    ds.PixelData = stored.tobytes()
    return ds


@pytest.fixture
def ct_series() -> list[pydicom.Dataset]:
    return [make_ct_slice(i) for i in range(40)]


@pytest.fixture
def ct_series_files(tmp_path: Path, ct_series: list[pydicom.Dataset]) -> list[Path]:
    paths = []
    for i, ds in enumerate(ct_series):
        path = tmp_path / f"slice{i:03}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths
