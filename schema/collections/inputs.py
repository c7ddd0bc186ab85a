"""Inputs of collection mutations."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Create a collection.")
class CreateCollectionInput:
    parent: strawberry.ID | None = strawberry.field(
        default=None, description="The containing collection; none for a top-level one."
    )
    title: str = strawberry.field(description="Title.")
    slug: str | None = strawberry.field(
        default=None, description="Last part of its path; derived from the title when not given."
    )
