"""Inputs of annotations: one mark, and the saveAnnotations of a case."""

from __future__ import annotations

import strawberry

from schema.annotations.types import AnnotationKind


@strawberry.input(description="One mark on one frame of an image (docs/contract/viewer.graphql).")
class AnnotationInput:
    instance: strawberry.ID = strawberry.field(description="The instance marked: an image of the case version.")
    kind: AnnotationKind = strawberry.field(description="Its shape.")  # type: ignore[valid-type]
    points: list[list[float]] = strawberry.field(
        description="[column, row] image pixel coordinates: ARROW 2 (tip, tail), LENGTH 2, ANGLE 3 (end, vertex, "
        "end), ELLIPSE 4 (one axis' ends, then the other's) or 2 (bounding-box corners), TEXT 1, PROBE 1."
    )
    frame: int = strawberry.field(default=1, description="The frame marked, 1-based.")
    text: str | None = strawberry.field(default=None, description="Its text, up to 500 characters (TEXT needs one).")


@strawberry.input(description="Replace a case's annotations: a new version (on a validated case, a working copy).")
class SaveAnnotationsInput:
    case: strawberry.ID = strawberry.field(description="The case.")
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
    annotations: list[AnnotationInput] = strawberry.field(
        description="Every annotation of the case, at most 200; an empty list removes them all."
    )
    comment: str | None = strawberry.field(default=None, description="Why, kept with the version.")
