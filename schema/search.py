"""Case search over the catalog: the connection types and the resolver's mapping of a SearchResult."""

from __future__ import annotations

import strawberry
from sqlmodel import col, select

from content.cases.models import Case as CaseRow
from content.curriculum.service import nodes_by_code
from schema.context import Context
from schema.inputs import CaseSearch
from schema.types import Case, prime_cases
from search.service import CaseSearchRequest, search_cases


@strawberry.type(description="A highlighted snippet of a search hit.")
class Highlight:
    field: str = strawberry.field(description="Field matched.")
    snippet: str = strawberry.field(description="Snippet with <mark> around matched terms.")


@strawberry.type(description="A search hit.")
class CaseEdge:
    cursor: str = strawberry.field(description="Cursor of this hit.")
    node: Case = strawberry.field(description="The case.")
    highlights: list[Highlight] = strawberry.field(description="Matched snippets.")


@strawberry.type(description="Relay page info.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More after this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")


@strawberry.type(description="A facet value and its count.")
class FacetBucket:
    value: str = strawberry.field(description="Value.")
    label: str = strawberry.field(description="Label for display.")
    count: int = strawberry.field(description="Cases with this value in the result set.")


@strawberry.type(description="Counts of one field over the result set.")
class Facet:
    field: str = strawberry.field(description="Field.")
    buckets: list[FacetBucket] = strawberry.field(description="Values and counts.")


@strawberry.type(description="A page of cases.")
class CaseConnection:
    total_count: int = strawberry.field(description="Cases matching, that the caller may see.")
    page_info: PageInfo = strawberry.field(description="Pagination.")
    edges: list[CaseEdge] = strawberry.field(description="This page.")
    facets: list[Facet] = strawberry.field(description="Facet counts over the whole result set.")
    suggestion: str | None = strawberry.field(
        default=None, description="A corrected query text when a term matched nothing (\"did you mean\").")


# Catalog facet names -> the GraphQL field names a client filters by.
FACET_FIELDS = {"modalities": "modalities", "body_regions": "bodyRegions", "difficulty": "difficulty",
                "state": "state", "curriculum": "curriculum", "tags": "tags", "diagnosis": "diagnosis"}


def _enum_values(values: list | None) -> tuple[str, ...]:
    return tuple(v.value for v in values or ())


def _facets(result_facets: dict, ctx: Context) -> list[Facet]:
    titles = {}
    codes = [b.value for b in result_facets.get("curriculum", ())]
    if codes:
        titles = {code: node.title for code, node in nodes_by_code(codes, session=ctx.session).items()}

    def label(name: str, value: str) -> str:
        if name == "curriculum":
            return titles.get(value, value)
        return value.replace("_", " ").title() if name in ("difficulty", "state") else value

    return [Facet(field=FACET_FIELDS.get(name, name),
                  buckets=[FacetBucket(value=b.value, count=b.count, label=label(name, b.value)) for b in buckets])
            for name, buckets in result_facets.items()]


def search_request(s: CaseSearch, collection_uid: str | None, *, first: int = 20,
                   after: str | None = None) -> CaseSearchRequest:
    """The one mapping of a CaseSearch input to a catalog request (the cases field, worklists from a search)."""
    return CaseSearchRequest(
        text=s.text, curriculum=tuple(s.curriculum or ()), modalities=tuple(s.modalities or ()),
        body_regions=tuple(s.body_regions or ()), difficulties=_enum_values(s.difficulties),
        states=_enum_values(s.states), collection_uid=collection_uid,
        order=s.order_by.value if s.order_by else None,  # type: ignore[attr-defined]
        first=first, after=after)


def search_page(s: CaseSearch, collection_uid: str | None, *, first: int, after: str | None,
                ctx: Context) -> CaseConnection:
    assert ctx.catalog is not None
    request = search_request(s, collection_uid, first=first, after=after)
    result = search_cases(request, session=ctx.session, principal=ctx.principal, catalog=ctx.catalog,
                          cursor_secret=ctx.secret)
    uids = [h.case_id for h in result.hits]
    rows = {r.uid: r for r in ctx.session.exec(select(CaseRow).where(col(CaseRow.uid).in_(uids)))} if uids else {}
    prime_cases(list(rows.values()), ctx)
    edges = []
    for hit in result.hits:
        row = rows.get(hit.case_id)
        node = Case.of(row, ctx) if row is not None else None
        if node is not None:  # a hit the database no longer has: the consistency check will drop it
            edges.append(CaseEdge(cursor=hit.cursor, node=node,
                                  highlights=[Highlight(field=f, snippet=snip) for f, snip in hit.highlights]))
    return CaseConnection(total_count=result.total, edges=edges, facets=_facets(result.facets, ctx),
                          suggestion=result.suggestion,
                          page_info=PageInfo(has_next_page=result.has_next, end_cursor=result.end_cursor))
