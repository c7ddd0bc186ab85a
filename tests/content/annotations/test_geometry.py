"""Measurements as pure functions of points and spacing, and the pixel mask of an ellipse."""

from __future__ import annotations

import math

import numpy as np
import pytest

from content.annotations import geometry
from integrations.annotations.probe import ellipse_mask


def test_length_honours_anisotropic_spacing_and_falls_back_to_pixels() -> None:
    # 30 columns at 0.5 mm and 40 rows at 0.25 mm: 15 mm by 10 mm.
    assert geometry.length((0, 0), (30, 40), (0.25, 0.5)) == (pytest.approx(math.hypot(15, 10)), "mm")
    assert geometry.length((0, 0), (30, 40), None) == (pytest.approx(50.0), "px")


def test_angle_is_measured_on_the_patient() -> None:
    assert geometry.angle((10, 0), (0, 0), (0, 10), None) == pytest.approx(90.0)
    assert geometry.angle((10, 0), (0, 0), (10, 10), None) == pytest.approx(45.0)
    # Rows twice as far apart as columns: the same pixels make a steeper line.
    assert geometry.angle((10, 0), (0, 0), (10, 10), (2.0, 1.0)) == pytest.approx(math.degrees(math.atan(2)))
    assert geometry.angle((0, 0), (0, 0), (1, 1), None) == 0.0


def test_ellipse_from_box_corners_and_its_area() -> None:
    axes = geometry.ellipse_axes([(44, 54), (84, 74)])
    assert axes == ((64, 54), (64, 74), (44, 64), (84, 64))
    area, unit = geometry.ellipse_area(axes, (0.5, 0.5))
    assert unit == "mm2" and area == pytest.approx(math.pi * 10 * 5)
    assert geometry.ellipse_area(axes, None) == (pytest.approx(math.pi * 20 * 10), "px2")


def test_the_ellipse_mask_counts_pixel_centres_inside() -> None:
    mask = ellipse_mask((128, 128), ((64, 44), (64, 84), (44, 64), (84, 64)))
    rows, cols = np.mgrid[0:128, 0:128]
    truth = (cols + 0.5 - 64) ** 2 + (rows + 0.5 - 64) ** 2 <= 400
    assert (mask == truth).all() and mask.sum() == pytest.approx(math.pi * 400, rel=0.02)
    assert not ellipse_mask((8, 8), ((1, 1), (1, 1), (2, 2), (2, 2))).any()  # degenerate: nothing inside
