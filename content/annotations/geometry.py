"""Measurements from points: pure functions of pixel coordinates and the pixel spacing.

Spacing is DICOM PixelSpacing order, (between rows, between columns) in mm; without it a length
is in pixels. The pixels an ellipse covers come from an `ImageProbe` (the media layer reads them).
"""

from __future__ import annotations

import math
from typing import Protocol

Point = tuple[float, float]
Spacing = tuple[float, float]


class ImageProbe(Protocol):
    """Reads what measurements need from a stored image: its spacing and its values in a region."""

    def spacing(self, file_key: str) -> Spacing | None:
        """(row spacing, column spacing) in mm, or None when the image does not say."""

    def ellipse_stats(
        self, file_key: str, frame: int, ellipse: tuple[Point, Point, Point, Point]
    ) -> tuple[float, float, str | None] | None:
        """(mean, standard deviation, unit) of the modality values inside the ellipse, or None."""

    def value_at(self, file_key: str, frame: int, point: Point) -> tuple[float, str | None] | None:
        """The modality value of the pixel under `point` and its unit, or None."""


def _scaled(dx: float, dy: float, spacing: Spacing | None) -> tuple[float, float]:
    if spacing is None:
        return dx, dy
    return dx * spacing[1], dy * spacing[0]


def length(a: Point, b: Point, spacing: Spacing | None) -> tuple[float, str]:
    """The distance between two points: mm with a spacing, else pixels."""
    dx, dy = _scaled(b[0] - a[0], b[1] - a[1], spacing)
    return math.hypot(dx, dy), "mm" if spacing else "px"


def angle(a: Point, vertex: Point, b: Point, spacing: Spacing | None) -> float:
    """The angle at `vertex` in degrees, measured on the patient (anisotropic pixels scaled first)."""
    ux, uy = _scaled(a[0] - vertex[0], a[1] - vertex[1], spacing)
    vx, vy = _scaled(b[0] - vertex[0], b[1] - vertex[1], spacing)
    if (ux == 0 and uy == 0) or (vx == 0 and vy == 0):
        return 0.0
    return math.degrees(abs(math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)))


def ellipse_axes(points: list[Point]) -> tuple[Point, Point, Point, Point]:
    """The four axis ends of an ellipse given by them, or by two opposite corners of its bounding box."""
    if len(points) == 4:
        return points[0], points[1], points[2], points[3]
    (x0, y0), (x1, y1) = points
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx, min(y0, y1)), (cx, max(y0, y1)), (min(x0, x1), cy), (max(x0, x1), cy)


def ellipse_area(axes: tuple[Point, Point, Point, Point], spacing: Spacing | None) -> tuple[float, str]:
    """The ellipse's area (pi * |u x v| for its semi-axis vectors): mm2 with a spacing, else px2."""
    (a0, a1, b0, b1) = axes
    ux, uy = _scaled((a1[0] - a0[0]) / 2, (a1[1] - a0[1]) / 2, spacing)
    vx, vy = _scaled((b1[0] - b0[0]) / 2, (b1[1] - b0[1]) / 2, spacing)
    return math.pi * abs(ux * vy - uy * vx), "mm2" if spacing else "px2"
