"""The case search input and its one mapping to a catalog request."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.cases.types import CaseState, Difficulty
from search.service import CaseSearchRequest


@strawberry.enum(description="Result order.")
class CaseOrder(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    TITLE = "TITLE"


@strawberry.input(description="Filters for the cases field.")
class CaseSearch:
    text: str | None = None
    curriculum: list[str] | None = None
    modalities: list[str] | None = None
    body_regions: list[str] | None = None
    difficulties: list[Difficulty] | None = None  # type: ignore[valid-type]
    states: list[CaseState] | None = None  # type: ignore[valid-type]
    collection: strawberry.ID | None = None
    order_by: CaseOrder | None = None  # type: ignore[valid-type]


def _enum_values(values: list | None) -> tuple[str, ...]:
    return tuple(v.value for v in values or ())


def search_request(s: CaseSearch, collection_uid: str | None, *, first: int = 20,
                   after: str | None = None) -> CaseSearchRequest:
    """The one mapping of a CaseSearch input to a catalog request (the cases field, worklists from a search)."""
    return CaseSearchRequest(
        text=s.text, curriculum=tuple(s.curriculum or ()), modalities=tuple(s.modalities or ()),
        body_regions=tuple(s.body_regions or ()), difficulties=_enum_values(s.difficulties),
        states=_enum_values(s.states), collection_uid=collection_uid,
        order=s.order_by.value if s.order_by else None,  # type: ignore[attr-defined]
        first=first, after=after)
