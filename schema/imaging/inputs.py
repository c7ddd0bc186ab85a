"""Inputs of the image-set mutations."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Take a study out of a case's image set.")
class DetachStudyInput:
    case: strawberry.ID = strawberry.field(description="The case.")
    study: strawberry.ID = strawberry.field(description="One of its studies.")
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
    comment: str | None = strawberry.field(default=None, description="Why.")


@strawberry.input(description="Choose the key images of a case.")
class SetKeyImagesInput:
    case: strawberry.ID = strawberry.field(description="The case.")
    instances: list[strawberry.ID] = strawberry.field(
        description="Instances of the case's image set, in order; at most 100; empty clears them."
    )
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
    comment: str | None = strawberry.field(default=None, description="Why.")
