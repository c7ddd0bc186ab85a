"""The case search input and its one mapping to a catalog request."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import strawberry

from schema.cases.types import CaseState, Difficulty
from schema.core.enums import describe_values
from search.service import CaseSearchRequest


@strawberry.enum(description="Result order.")
class CaseOrder(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    TITLE = "TITLE"


describe_values(
    CaseOrder,
    {
        "RELEVANCE": "Best match to the search text first.",
        "NEWEST": "Most recently created first.",
        "TITLE": "By title, A to Z (a case blind to the caller sorts as untitled).",
    },
)


@strawberry.input(description="Filters for the cases field.")
class CaseSearch:
    text: str | None = strawberry.field(
        default=None, description="Free text over title, history, findings, diagnosis and discussion."
    )
    curriculum: list[str] | None = strawberry.field(
        default=None, description="Curriculum codes; a case under any of them matches."
    )
    modalities: list[str] | None = strawberry.field(default=None, description="Any of these modalities.")
    body_regions: list[str] | None = strawberry.field(default=None, description="Any of these body regions.")
    difficulties: list[Difficulty] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these difficulties."
    )
    states: list[CaseState] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these workflow states (what the caller may see of them)."
    )
    collection: strawberry.ID | None = strawberry.field(
        default=None, description="Only cases in this collection and below."
    )
    order_by: CaseOrder | None = strawberry.field(
        default=None, description="Result order; relevance by default when there is text, newest otherwise."
    )


def _enum_values(values: Sequence[Enum] | None) -> tuple[str, ...]:
    return tuple(v.value for v in values or ())


def search_request(
    s: CaseSearch, collection_uid: str | None, *, first: int = 20, after: str | None = None
) -> CaseSearchRequest:
    """The one mapping of a CaseSearch input to a catalog request (the cases field, worklists from a search)."""
    return CaseSearchRequest(
        text=s.text,
        curriculum=tuple(s.curriculum or ()),
        modalities=tuple(s.modalities or ()),
        body_regions=tuple(s.body_regions or ()),
        difficulties=_enum_values(s.difficulties),
        states=_enum_values(s.states),
        collection_uid=collection_uid,
        order=s.order_by.value if s.order_by else None,
        first=first,
        after=after,
    )
