"""The pipeline's named steps on synthetic data with known answers."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest

from media.pixels import frame_to_8bit, stack_window
from media.presets import PRESETS
from media.render import RenderOptions, render_dataset
from media.voi import Window, apply_window, percentile_window
from tests.media.conftest import make_ct_slice
from tests.media.reference import BY_NAME


def test_linear_window_follows_dicom() -> None:
    # PS3.3 C.11.2.1.2.1: x <= c - 0.5 - (w-1)/2 -> 0; x > c - 0.5 + (w-1)/2 -> 255.
    x = np.array([-1000.0, -160.0, -159.0, 40.0, 238.0, 240.0, 3000.0])
    out = apply_window(x, Window(40, 400))
    assert out[0] == out[1] == 0 and out[5] == out[6] == 255
    assert abs(out[3] - 127.8) < 0.5  # centre maps to mid grey
    assert 0 < out[2] < 1 and 254 < out[4] < 255


def test_linear_exact_and_sigmoid() -> None:
    assert apply_window(np.array([10.0]), Window(10, 0.5, "LINEAR_EXACT"))[0] == pytest.approx(127.5)
    sigmoid = apply_window(np.array([-1e6, 10.0, 1e6]), Window(10, 20, "SIGMOID"))
    assert sigmoid[0] == pytest.approx(0) and sigmoid[1] == pytest.approx(127.5) and sigmoid[2] == pytest.approx(255)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_map_their_centre_to_mid_grey(name: str) -> None:
    preset = PRESETS[name]
    ds = make_ct_slice(0, size=32)
    ds.PixelData = np.full((32, 32), int(preset.center) + 1024, np.int16).tobytes()
    expected = (0.5 / (preset.width - 1) + 0.5) * 255  # LINEAR's half-value offset
    assert abs(int(frame_to_8bit(ds, preset=name)[0, 0]) - expected) <= 0.5


def test_ct_without_window_uses_the_default_preset_and_file_window_wins() -> None:
    ds = make_ct_slice(10)
    assert np.array_equal(frame_to_8bit(ds), frame_to_8bit(ds, preset="abdomen"))
    ds.WindowCenter, ds.WindowWidth = 400, 1800
    assert np.array_equal(frame_to_8bit(ds), frame_to_8bit(ds, preset="bone"))
    assert not np.array_equal(frame_to_8bit(ds), frame_to_8bit(ds, window=(-600, 1500)))


def test_monochrome1_is_inverted() -> None:
    ds = make_ct_slice(10)
    normal = frame_to_8bit(ds, window=(0, 800)).astype(int)
    ds.PhotometricInterpretation = "MONOCHROME1"
    assert np.array_equal(frame_to_8bit(ds, window=(0, 800)).astype(int), 255 - normal)


def test_percentile_window_ignores_outliers_and_padding() -> None:
    values = np.concatenate([np.linspace(100, 200, 10_000), [60_000.0]])
    window = percentile_window(values)
    assert 140 < window.center < 160 and 95 < window.width < 105
    ds = make_ct_slice(0, size=64)
    del ds.RescaleIntercept, ds.RescaleSlope
    ds.Modality = "MR"
    pixels = np.full((64, 64), -2000, np.int16)
    pixels[16:48, 16:48] = np.linspace(100, 300, 32 * 32).reshape(32, 32)
    ds.PixelData = pixels.tobytes()
    ds.PixelPaddingValue = -2000
    shown = frame_to_8bit(ds)
    assert shown[20:44, 20:44].std() > 40  # the tissue spreads over the grey range
    assert stack_window(ds) is not None and stack_window(make_ct_slice(0)) is None


def test_enhanced_ct_takes_window_from_functional_groups() -> None:
    ds = pydicom.dcmread(BY_NAME["eCT_Supplemental.dcm"].path)
    assert "WindowCenter" not in ds
    assert np.array_equal(
        np.asarray(render_dataset(ds, RenderOptions(frame=2))),
        np.asarray(render_dataset(ds, RenderOptions(frame=2, window=(49, 102)))),
    )


def test_planar_configuration_does_not_change_the_picture() -> None:
    by_plane = frame_to_8bit(pydicom.dcmread(BY_NAME["color-pl.dcm"].path))
    by_pixel = frame_to_8bit(pydicom.dcmread(BY_NAME["color-px.dcm"].path))
    assert by_plane.shape == (120, 256, 3) and np.array_equal(by_plane, by_pixel)


def test_render_does_not_modify_the_dataset() -> None:
    ds = pydicom.dcmread(BY_NAME["MR_small.dcm"].path)
    before = ds.to_json_dict()
    render_dataset(ds, RenderOptions(size=32, preset="brain"))
    assert ds.to_json_dict() == before
