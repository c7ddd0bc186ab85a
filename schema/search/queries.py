"""The `cases` field: one service (search.listing.find_cases), one cursor format, one mapping."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.cases.types import Case, prime_cases
from schema.core.context import Context, signed_in
from schema.core.ids import from_global_id
from schema.core.pagination import PageInfo
from schema.search.inputs import CaseSearch, search_request
from schema.search.types import FACET_FIELDS, CaseConnection, CaseEdge, Facet, FacetBucket, Highlight
from search.listing import CaseListing, find_cases


def connection(listing: CaseListing, *, after: str | None, ctx: Context) -> CaseConnection:
    """The connection of a page of cases (search.listing): edges the caller may see, facets, page info."""
    prime_cases([c.case for c in listing.cases], ctx)
    edges = []
    for listed in listing.cases:
        node = Case.of(listed.case, ctx)
        if node is not None:
            highlights = [Highlight(field=f, snippet=snip) for f, snip in listed.highlights]
            edges.append(CaseEdge(cursor=listed.cursor, node=node, highlights=highlights))
    return CaseConnection(
        total_count=listing.total,
        edges=edges,
        facets=[
            Facet(
                field=FACET_FIELDS.get(name, name),
                buckets=[FacetBucket(value=b.value, count=b.count, label=b.label) for b in buckets],
            )
            for name, buckets in listing.facets.items()
        ],
        suggestion=listing.suggestion,
        page_info=PageInfo(
            has_next_page=listing.has_next,
            end_cursor=listing.end_cursor,
            has_previous_page=after is not None,
            start_cursor=listing.start_cursor,
        ),
    )


@strawberry.type
class SearchQuery:
    @strawberry.field(description="Cases the caller may see, filtered; first at most 100.")
    def cases(
        self,
        info: Info[Context, None],
        search: Annotated[CaseSearch | None, strawberry.argument(description="Filters and order.")] = None,
        first: Annotated[int, strawberry.argument(description="How many cases, 1 to 100.")] = 20,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the edge to start after.")] = None,
    ) -> CaseConnection:
        ctx = signed_in(info)
        s = search or CaseSearch()
        coll = from_global_id(s.collection, "Collection", field="collection")[1] if s.collection else None
        request = search_request(s, coll, first=first, after=after)
        listing = find_cases(
            request,
            searched=search is not None,
            session=ctx.session,
            principal=ctx.principal,
            catalog=ctx.catalog,
            cursor_secret=ctx.secret,
            blinded=ctx.blinded_cases(),  # computed once: the page's cases are shown with the same labels
        )
        return connection(listing, after=after, ctx=ctx)
