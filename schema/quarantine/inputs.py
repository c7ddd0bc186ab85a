"""Inputs of the quarantine review."""

from __future__ import annotations

import strawberry

from schema.quarantine.types import QuarantineAction


@strawberry.input(description="A rectangle to blank, in the stored image's pixel coordinates.")
class RegionInput:
    x: int = strawberry.field(description="Left edge (0 is the image's left).")
    y: int = strawberry.field(description="Top edge (0 is the image's top).")
    width: int = strawberry.field(description="Width in pixels (at least 1).")
    height: int = strawberry.field(description="Height in pixels (at least 1).")


@strawberry.input(description="One review of a held image.")
class ReviewQuarantinedImageInput:
    instance: strawberry.ID = strawberry.field(description="The held image (QuarantinedImage.id).")
    action: QuarantineAction = strawberry.field(description="What to do with it.")  # type: ignore[valid-type]
    regions: list[RegionInput] | None = strawberry.field(
        default=None, description="REDACT only: the rectangles to blank (at most 50)."
    )
    comment: str | None = strawberry.field(default=None, description="A note for the audit trail.")
