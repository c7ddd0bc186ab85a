"""The case connection: hits, highlights and facets."""

from __future__ import annotations

import strawberry

from schema.cases.types import Case
from schema.core.pagination import PageInfo


@strawberry.type(description="A highlighted snippet of a search hit.")
class Highlight:
    field: str = strawberry.field(description="Field matched.")
    snippet: str = strawberry.field(description="Snippet with <mark> around matched terms.")


@strawberry.type(description="A search hit.")
class CaseEdge:
    cursor: str = strawberry.field(description="Cursor of this hit.")
    node: Case = strawberry.field(description="The case.")
    highlights: list[Highlight] = strawberry.field(description="Matched snippets.")


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
        default=None, description='A corrected query text when a term matched nothing ("did you mean").'
    )


# Catalog facet names -> the GraphQL field names a client filters by.
FACET_FIELDS = {
    "modalities": "modalities",
    "body_regions": "bodyRegions",
    "difficulty": "difficulty",
    "state": "state",
    "curriculum": "curriculum",
    "tags": "tags",
    "diagnosis": "diagnosis",
}
