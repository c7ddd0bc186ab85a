"""Inputs of collection mutations."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Create a collection.")
class CreateCollectionInput:
    parent: strawberry.ID | None = None
    title: str
    slug: str | None = None
