"""An annotation as GraphQL shows it: kind, the instance and frame it marks, points, text, measurement."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from content.annotations.kinds import Annotation as AnnotationData
from content.annotations.kinds import Kind, stored
from schema.core.context import Context
from schema.imaging.types import Instance

AnnotationKind = strawberry.enum(
    Kind,
    name="AnnotationKind",
    description="The shape of an annotation: ARROW (tip, tail), ELLIPSE (two axes' ends), LENGTH (two ends), "
    "ANGLE (end, vertex, end), TEXT (anchor), PROBE (one pixel).",
)


@strawberry.type(description="What an annotation measures.")
class Measurement:
    value: float = strawberry.field(
        description="Length (mm; px without pixel spacing), angle (deg), ellipse area (mm2 or px2) or a probed value."
    )
    unit: str = strawberry.field(description="Unit of value: mm, px, deg, mm2, px2, or the pixel unit (HU) of a probe.")
    mean: float | None = strawberry.field(description="Ellipse: mean of the modality values inside (HU on CT).")
    standard_deviation: float | None = strawberry.field(
        description="Ellipse: standard deviation of the modality values inside."
    )
    pixel_unit: str | None = strawberry.field(description="Unit of mean and standardDeviation (HU on CT), if known.")


@strawberry.type(description="A mark on one frame of an image: an arrow, an ellipse, a measurement or text.")
class Annotation:
    row: strawberry.Private[AnnotationData]
    id: strawberry.ID = strawberry.field(description="Stable id (derived from its content: unchanged, it keeps it).")
    kind: AnnotationKind = strawberry.field(description="Its shape.")  # type: ignore[valid-type]
    frame: int = strawberry.field(description="The frame marked, 1-based.")
    points: list[list[float]] = strawberry.field(
        description="Points as [column, row] image pixel coordinates; (0, 0) is the top-left corner of the image."
    )
    text: str | None = strawberry.field(description="Its text (an arrow's label, a TEXT annotation).")
    measurement: Measurement | None = strawberry.field(description="What it measures; null for arrows and text.")

    @strawberry.field(description="The instance (image) marked.")
    def instance(self, info: Info[Context, None]) -> Instance | None:
        row = info.context.loaders.instances.get(self.row.instance)
        return Instance.of(row) if row is not None else None

    @staticmethod
    def of(a: AnnotationData) -> Annotation:
        m = a.measurement
        return Annotation(
            row=a,
            id=strawberry.ID(a.id),
            kind=a.kind,
            frame=a.frame,
            points=[list(p) for p in a.points],
            text=a.text,
            measurement=Measurement(
                value=m.value,
                unit=m.unit,
                mean=m.mean,
                standard_deviation=m.standard_deviation,
                pixel_unit=m.pixel_unit,
            )
            if m
            else None,
        )


def annotations_of(raw: list[dict[str, Any]] | None, ctx: Context) -> list[Annotation]:
    """The stored annotations as GraphQL types, their instances primed in one query."""
    rows = stored(raw)
    ctx.loaders.instances.want(a.instance for a in rows)
    return [Annotation.of(a) for a in rows]
