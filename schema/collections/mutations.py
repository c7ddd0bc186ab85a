"""Create a collection."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.collections.service import create_collection
from schema.collections.inputs import CreateCollectionInput
from schema.collections.types import Collection, CollectionPayload
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id


@strawberry.type
class CollectionMutation:
    @strawberry.mutation(description="Create a collection.")
    @refusable(lambda errs: CollectionPayload(collection=None, errors=errs))
    def create_collection(
        self,
        info: Info[Context, None],
        input: Annotated[CreateCollectionInput, strawberry.argument(description="Create a collection.")],
    ) -> CollectionPayload:
        ctx = info.context
        parent = from_global_id(input.parent, "Collection", field="parent")[1] if input.parent else None
        row = create_collection(
            title=input.title, parent_uid=parent, slug=input.slug, session=ctx.session, principal=ctx.principal
        )
        return CollectionPayload(collection=Collection.of(row), errors=[])
