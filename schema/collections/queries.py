"""The collections the caller may see."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.collections.service import list_collections, visible_case_counts
from schema.collections.types import Collection
from schema.core.context import Context, signed_in


@strawberry.type
class CollectionQuery:
    @strawberry.field(description="Every collection the caller may see.")
    def collections(self, info: Info[Context, None]) -> list[Collection]:
        ctx = signed_in(info)
        rows = list_collections(session=ctx.session, principal=ctx.principal)
        ctx.caches.case_counts = visible_case_counts(
            [r.uid for r in rows], session=ctx.session, principal=ctx.principal
        )
        ctx.loaders.collections.want(r.parent_uid for r in rows)
        return [Collection.of(r) for r in rows]
