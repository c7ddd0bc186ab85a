"""The Relay Node interface every object with a global id implements."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id.")
