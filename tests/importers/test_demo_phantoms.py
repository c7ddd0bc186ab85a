"""The demo's phantom volumes: geometry a viewer relies on, and structures whose size is known."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset

from api.demo.phantoms import (
    ANEURYSM_MAX_DIAMETER,
    ANEURYSM_TOP,
    CT_ABDOMEN,
    MR_BRAIN,
    NECK_DIAMETER,
    series,
)


def _hu(ds: Dataset) -> np.ndarray:
    return ds.pixel_array.astype(np.int32) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)


def _extent(row: np.ndarray, spacing: float) -> float:
    """Outer edge to outer edge of the bright pixels in a profile, in mm."""
    where = np.flatnonzero(row)
    return float((where[-1] - where[0] + 1) * spacing)


def test_ct_volume_geometry_and_hounsfield_units() -> None:
    slices = list(series(CT_ABDOMEN))
    assert len(slices) == 300
    first, second = slices[0], slices[1]
    assert (first.Rows, first.Columns) == (256, 256) and first.Modality == "CT"
    assert first.RescaleIntercept == -1024 and first.RescaleSlope == 1 and first.PixelRepresentation == 1
    assert first.ImagePositionPatient[2] - second.ImagePositionPatient[2] == pytest.approx(1.25) == first.SliceThickness
    assert [float(v) for v in first.PixelSpacing] == [1.5625, 1.5625]
    assert len({ds.SOPInstanceUID for ds in slices}) == 300 and len({ds.SeriesInstanceUID for ds in slices}) == 1
    assert [ds.InstanceNumber for ds in slices] == list(range(1, 301))
    # The same slices, every time (stable UIDs and pixels for a given seed).
    again = next(iter(series(CT_ABDOMEN)))
    assert again.SOPInstanceUID == first.SOPInstanceUID and again.PixelData == first.PixelData
    hu = _hu(slices[150])
    assert hu[0, 0] < -900  # air outside the body
    assert -200 < np.median(hu[100:160, 100:160]) < 400


def test_ct_aneurysm_measures_as_the_report_says() -> None:
    slices = list(series(CT_ABDOMEN))
    spacing = CT_ABDOMEN.spacing
    widest = slices[int(145 / CT_ABDOMEN.thickness)]
    hu = _hu(widest)
    # The calcified rim (600 HU) across the rows near the aneurysm's centre (x 12 mm, y 1 mm, so
    # row and column about 128 and 135): 76 mm outer diameter, outer edge to outer edge.
    measured = max(_extent(hu[r, 95:180] >= 500, spacing) for r in range(122, 136) if (hu[r, 95:180] >= 500).any())
    assert abs(measured - ANEURYSM_MAX_DIAMETER) <= spacing, measured
    # The neck, between the lowest renal artery and the aneurysm: a 24 mm contrast-filled lumen.
    neck = _hu(slices[int((ANEURYSM_TOP - 8) / CT_ABDOMEN.thickness)])
    lumen = neck >= 280
    row = int(np.argmax(lumen.sum(axis=1)))
    assert abs(_extent(lumen[row], spacing) - NECK_DIAMETER) <= spacing


def test_mr_volume_has_lesions_of_known_size() -> None:
    slices = list(series(MR_BRAIN))
    assert len(slices) == 120 and slices[0].Modality == "MR" and slices[0].SOPClassUID == pydicom.uid.MRImageStorage
    assert slices[0].ImagePositionPatient[2] - slices[1].ImagePositionPatient[2] == pytest.approx(1.2)
    # The 10 mm left frontal lesion at z = 25: the slice nearest its centre shows it about 10 mm across.
    nearest = min(slices, key=lambda ds: abs(float(ds.SliceLocation) - 25))
    image = nearest.pixel_array
    bright = image >= 1050
    spacing = MR_BRAIN.spacing
    x0 = float(nearest.ImagePositionPatient[0])
    column = round((45 - x0) / spacing)  # the lesion's centre, x = +45 mm (the patient's left)
    assert abs(_extent(bright[:, column - 1 : column + 2].any(axis=1), spacing) - 10) <= 2 * spacing
