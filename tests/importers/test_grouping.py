"""Studies and series grouped by UID; series in geometric order, whatever the file order."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pydicom
import pytest

from importers.grouping import group, slice_positions
from importers.reading import Header, scan
from importers.synth import SynthStudy, phantom, synth_ct_series, write_series


def test_shuffled_series_sorted_by_geometry(tmp_path: Path) -> None:
    write_series(synth_ct_series(40, 16), tmp_path / "one")
    write_series(synth_ct_series(5, 16, study=SynthStudy(seed=9)), tmp_path / "two")
    headers = [r for r in scan([tmp_path]) if isinstance(r, Header)]
    random.Random(4).shuffle(headers)
    studies = group(headers)
    assert sorted(len(s.series[0].items) for s in studies) == [5, 40]
    series = next(s for s in studies if len(s.series[0].items) == 40).series[0]
    assert series.order == "geometry"
    z = [float(h.dataset.ImagePositionPatient[2]) for h in series.items]
    assert z == sorted(z) and len(set(z)) == 40


def test_geometry_beats_instance_numbers_and_handles_oblique() -> None:
    datasets = list(synth_ct_series(6, 8))
    tilt = np.deg2rad(20)
    row, col = [1.0, 0.0, 0.0], [0.0, float(np.cos(tilt)), float(np.sin(tilt))]
    normal = np.cross(row, col)
    for i, ds in enumerate(datasets):
        ds.ImageOrientationPatient = row + col
        ds.ImagePositionPatient = list(normal * (5 - i) * 2.0)  # reverse of InstanceNumber
    [study] = group(datasets, dataset=lambda ds: ds)
    assert [ds.InstanceNumber for ds in study.series[0].items] == [6, 5, 4, 3, 2, 1]
    # distance along the unit normal: 2 mm apart, the first slice furthest
    assert slice_positions(datasets) == pytest.approx([10.0, 8.0, 6.0, 4.0, 2.0, 0.0])


def test_fallbacks_instance_number_then_uid() -> None:
    datasets = list(synth_ct_series(5, 8))
    for ds in datasets:
        del ds.ImagePositionPatient
    random.Random(1).shuffle(datasets)
    [study] = group(datasets, dataset=lambda ds: ds)
    assert study.series[0].order == "instance_number"
    assert [ds.InstanceNumber for ds in study.series[0].items] == [1, 2, 3, 4, 5]
    for ds in datasets:
        del ds.InstanceNumber
    [study] = group(datasets, dataset=lambda ds: ds)
    uids = [ds.SOPInstanceUID for ds in study.series[0].items]
    assert study.series[0].order == "uid"
    assert uids == sorted(uids, key=lambda u: tuple(map(int, u.split("."))))


def test_multiframe_stays_one_instance(real_file: Callable[[str], Path]) -> None:
    ds = pydicom.dcmread(real_file("emri_small.dcm"), stop_before_pixels=True)
    assert int(ds.NumberOfFrames) > 1
    [study] = group([ds], dataset=lambda d: d)
    assert len(study.series) == 1 and study.series[0].items == [ds]


def test_synth_headers_and_phantom() -> None:
    ds = next(iter(synth_ct_series(1, 64)))
    assert ds.RescaleIntercept == -1024 and ds.PatientName and ds.AccessionNumber and ds.InstitutionName
    hu = np.frombuffer(ds.PixelData, "<i2").reshape(64, 64) + float(ds.RescaleIntercept)
    assert hu[0, 0] == -1000 and hu[40, 32] == 40
    assert phantom(64, 0.9).min() == -1000 and (phantom(64, 0.9) == -850).any()


def test_300_slice_series_groups_in_order(tmp_path: Path) -> None:
    write_series(synth_ct_series(300, 32), tmp_path)
    [study] = group(r for r in scan([tmp_path]) if isinstance(r, Header))
    items = study.series[0].items
    assert len(items) == 300 and study.series[0].order == "geometry"
    assert [int(h.dataset.InstanceNumber) for h in items] == list(range(300, 0, -1))
