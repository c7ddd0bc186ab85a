"""Checking annotations against the images they mark, and measuring them, before anything is stored.

Every refusal names the annotation (1-based) and writes nothing: an instance outside the image
set, a frame it lacks, the wrong number of points for the kind, a coordinate that is not a
finite number inside the image.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from typing import Any

from content.annotations import geometry
from content.annotations.geometry import ImageProbe, Point
from content.annotations.kinds import MAX_ANNOTATIONS, MAX_TEXT, POINT_COUNTS, AnnotationSpec, Kind
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance

FIELD = "annotations"


def _refuse(code: ErrorCode, n: int, message: str) -> DomainError:
    return DomainError(code, f"annotation {n}: {message}", field=FIELD)


def _points(n: int, kind: Kind, raw: Sequence[Sequence[float]], instance: Instance) -> list[Point]:
    if len(raw) not in POINT_COUNTS[kind]:
        counts = " or ".join(str(c) for c in POINT_COUNTS[kind])
        raise _refuse(ErrorCode.INVALID_INPUT, n, f"{kind.value} takes {counts} points")
    out: list[Point] = []
    for point in raw:
        if len(point) != 2 or not all(isinstance(v, int | float) and math.isfinite(v) for v in point):
            raise _refuse(ErrorCode.INVALID_INPUT, n, "a point is two finite numbers, column and row")
        col, row = float(point[0]), float(point[1])
        if col < 0 or row < 0 or col > (instance.columns or math.inf) or row > (instance.rows or math.inf):
            raise _refuse(ErrorCode.INVALID_INPUT, n, "a point lies outside the image")
        out.append((round(col, 3), round(row, 3)))
    return out


def _measure(kind: Kind, points: list[Point], instance: Instance, frame: int, probe: ImageProbe | None) -> Any:
    spacing = probe.spacing(instance.file_key) if probe is not None else None
    if kind == Kind.LENGTH:
        value, unit = geometry.length(points[0], points[1], spacing)
        return {"value": round(value, 3), "unit": unit}
    if kind == Kind.ANGLE:
        return {"value": round(geometry.angle(points[0], points[1], points[2], spacing), 3), "unit": "deg"}
    if kind == Kind.ELLIPSE:
        axes = geometry.ellipse_axes(points)
        area, unit = geometry.ellipse_area(axes, spacing)
        out: dict[str, Any] = {"value": round(area, 3), "unit": unit}
        stats = probe.ellipse_stats(instance.file_key, frame, axes) if probe is not None else None
        if stats is not None:
            out.update(mean=round(stats[0], 3), standard_deviation=round(stats[1], 3), pixel_unit=stats[2])
        return out
    if kind == Kind.PROBE and probe is not None:
        found = probe.value_at(instance.file_key, frame, points[0])
        if found is not None:
            return {"value": round(found[0], 3), "unit": found[1] or ""}
    return None


def _id(item: dict[str, Any]) -> str:
    # Derived from the content, so an unchanged annotation keeps its id from save to save.
    text = json.dumps([item["kind"], item["instance"], item["frame"], item["points"], item["text"]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def checked(
    specs: Sequence[AnnotationSpec],
    *,
    instances: dict[str, Instance],
    probe: ImageProbe | None,
    trainee: bool = False,
) -> list[dict[str, Any]]:
    """The annotations as stored (ids, normalised points, measurements), or a coded refusal.

    `instances` are the images the annotations may mark (the version's image set); a trainee
    never marks a held (quarantined) image, which they cannot see: to them it does not exist.
    """
    if len(specs) > MAX_ANNOTATIONS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_ANNOTATIONS} annotations", field=FIELD)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, spec in enumerate(specs, start=1):
        try:
            kind = Kind(spec.kind)
        except ValueError:
            raise _refuse(ErrorCode.INVALID_INPUT, n, f"unknown kind {str(spec.kind)[:40]!r}") from None
        instance = instances.get(spec.instance)
        if instance is None or (trainee and instance.quarantined):
            raise _refuse(ErrorCode.NOT_FOUND, n, "the instance is not an image of this case")
        if instance.quarantined:
            raise _refuse(ErrorCode.QUARANTINED, n, "an image held for burned-in text cannot be annotated")
        if not 1 <= spec.frame <= max(instance.frames, 1):
            raise _refuse(ErrorCode.INVALID_INPUT, n, f"frame {spec.frame} outside 1..{max(instance.frames, 1)}")
        text = (spec.text or "").strip() or None
        if text is not None and len(text) > MAX_TEXT:
            raise _refuse(ErrorCode.INVALID_INPUT, n, f"text up to {MAX_TEXT} characters")
        if kind == Kind.TEXT and text is None:
            raise _refuse(ErrorCode.INVALID_INPUT, n, "a TEXT annotation needs its text")
        points = _points(n, kind, spec.points, instance)
        if kind == Kind.ELLIPSE:
            points = list(geometry.ellipse_axes(points))
        item: dict[str, Any] = {
            "kind": kind.value,
            "instance": instance.uid,
            "frame": spec.frame,
            "points": [list(p) for p in points],
            "text": text,
        }
        item["id"] = _id(item)
        if item["id"] in seen:  # the same mark twice is one mark
            continue
        seen.add(item["id"])
        item["measurement"] = _measure(kind, points, instance, spec.frame, probe)
        out.append(item)
    return out
