"""Quarantine queries: the review queue, from one content service."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.imaging.quarantine import held_page
from schema.cases.types import prime_cases
from schema.core.context import Context
from schema.core.pagination import PageInfo
from schema.quarantine.types import QuarantinedImage, QuarantinedImageConnection, QuarantinedImageEdge


@strawberry.type
class QuarantineQuery:
    @strawberry.field(
        description="Images held for burned-in text that the caller may review (Edit on the case); first at most 100."
    )
    def quarantined_images(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description="How many images, 1 to 100.")] = 20,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the edge to start after.")] = None,
    ) -> QuarantinedImageConnection:
        ctx = info.context
        page = held_page(first=first, after=after, session=ctx.session, principal=ctx.principal)
        prime_cases(list({i.case.uid: i.case for i in page.images}.values()), ctx)  # one query per relation
        edges = [
            QuarantinedImageEdge(cursor=cursor, node=QuarantinedImage.of(image))
            for image, cursor in zip(page.images, page.cursors, strict=True)
        ]
        return QuarantinedImageConnection(
            total_count=page.total,
            edges=edges,
            page_info=PageInfo.of(page.cursors, has_next=page.has_next, after=after),
        )
