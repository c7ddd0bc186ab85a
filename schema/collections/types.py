"""Collections: the containers of cases."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.collections.models import Collection as CollectionRow
from schema.core.context import Context
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.node import Node


@strawberry.type(description="A container of cases: a contributing trust or a theme.")
class Collection(Node):
    uid: strawberry.Private[str]
    parent_uid: strawberry.Private[str | None]
    title: str = strawberry.field(description="Title.")
    path: str = strawberry.field(description="Path from the region root, e.g. /north/leeds.")
    licence: str = strawberry.field(description="Default licence of its cases.")

    @strawberry.field(description="The containing collection, if any.")
    def parent(self, info: Info[Context, None]) -> Collection | None:
        row = info.context.loaders.collections.get(self.parent_uid)
        limits = info.context.principal.collection_limits()
        if row is None or (
            limits is not None and not any(row.path == p or row.path.startswith(p.rstrip("/") + "/") for p in limits)
        ):
            return None  # a token confined below a container does not learn what holds it
        return Collection.of(row)

    @strawberry.field(description="Cases in it (and below) that the caller may see.")
    def case_count(self, info: Info[Context, None]) -> int:
        counts = info.context.caches.case_counts
        if self.uid not in counts:
            from content.collections.service import visible_case_counts

            counts.update(
                visible_case_counts([self.uid], session=info.context.session, principal=info.context.principal)
            )
        return counts.get(self.uid, 0)

    @staticmethod
    def of(row: CollectionRow) -> Collection:
        return Collection(
            id=strawberry.ID(to_global_id("Collection", row.uid)),
            uid=row.uid,
            parent_uid=row.parent_uid,
            title=row.title,
            path=row.path,
            licence=row.licence,
        )


@strawberry.type(description="Result of createCollection.")
class CollectionPayload:
    collection: Collection | None = strawberry.field(description="The new collection.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
