"""The `cases` field: the catalog when a search is given, the SQL listing otherwise."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlmodel import col, select
from strawberry.types import Info

from content.cases.listing import CaseFilter, list_cases
from content.cases.models import Case as CaseRow
from schema.cases.types import Case, prime_cases
from schema.core.context import Context, signed_in
from schema.core.ids import from_global_id
from schema.core.pagination import PageInfo
from schema.search.inputs import CaseSearch, search_request
from schema.search.types import FACET_FIELDS, CaseConnection, CaseEdge, Facet, FacetBucket, Highlight
from search.service import search_cases


def _facets(result_facets: dict, ctx: Context) -> list[Facet]:
    titles = ctx.loaders.curriculum_titles  # every code of the facet in one query, as plain rows
    titles.want(b.value for b in result_facets.get("curriculum", ()))

    def label(name: str, value: str) -> str:
        if name == "curriculum":
            title = titles.get(value)
            return title if title is not None else value
        return value.replace("_", " ").title() if name in ("difficulty", "state") else value

    return [
        Facet(
            field=FACET_FIELDS.get(name, name),
            buckets=[FacetBucket(value=b.value, count=b.count, label=label(name, b.value)) for b in buckets],
        )
        for name, buckets in result_facets.items()
    ]


def search_page(
    s: CaseSearch, collection_uid: str | None, *, first: int, after: str | None, ctx: Context
) -> CaseConnection:
    assert ctx.catalog is not None
    request = search_request(s, collection_uid, first=first, after=after)
    result = search_cases(
        request,
        session=ctx.session,
        principal=ctx.principal,
        catalog=ctx.catalog,
        cursor_secret=ctx.secret,
        blinded=ctx.blinded_cases(),  # computed once: the page's cases are shown with the same labels
    )
    uids = [h.case_id for h in result.hits]
    rows = {r.uid: r for r in ctx.session.exec(select(CaseRow).where(col(CaseRow.uid).in_(uids)))} if uids else {}
    prime_cases(list(rows.values()), ctx)
    edges = []
    for hit in result.hits:
        row = rows.get(hit.case_id)
        node = Case.of(row, ctx) if row is not None else None
        if node is not None:  # a hit the database no longer has: the consistency check will drop it
            edges.append(
                CaseEdge(
                    cursor=hit.cursor,
                    node=node,
                    highlights=[Highlight(field=f, snippet=snip) for f, snip in hit.highlights],
                )
            )
    return CaseConnection(
        total_count=result.total,
        edges=edges,
        facets=_facets(result.facets, ctx),
        suggestion=result.suggestion,
        page_info=PageInfo(
            has_next_page=result.has_next,
            end_cursor=result.end_cursor,
            has_previous_page=after is not None,
            start_cursor=result.hits[0].cursor if result.hits else None,
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
        if search is not None and ctx.catalog is not None:
            return search_page(s, coll, first=first, after=after, ctx=ctx)
        order = s.order_by.value if s.order_by else "NEWEST"
        flt = CaseFilter(
            curriculum=tuple(s.curriculum or ()),
            modalities=tuple(s.modalities or ()),
            body_regions=tuple(s.body_regions or ()),
            difficulties=tuple(d.value for d in s.difficulties or ()),  # type: ignore[attr-defined]
            states=tuple(st.value for st in s.states or ()),  # type: ignore[attr-defined]
            collection_uid=coll,
            order="TITLE" if order == "TITLE" else "NEWEST",
        )
        page = list_cases(
            flt, first=first, after=after, session=ctx.session, principal=ctx.principal, cursor_secret=ctx.secret
        )
        prime_cases(page.cases, ctx)
        edges = []
        for row, cursor in zip(page.cases, page.cursors, strict=True):
            node = Case.of(row, ctx)
            if node is not None:
                edges.append(CaseEdge(cursor=cursor, node=node, highlights=[]))
        return CaseConnection(
            total_count=page.total,
            edges=edges,
            facets=[],
            page_info=PageInfo.of(page.cursors, has_next=page.has_next, after=after),
        )
