"""The one way to list cases (the `cases` field): a page of case rows with one cursor format.

A search (filters, text, facets) is answered by the catalog (search.service.search_cases); a plain
listing, or any listing when no catalog is open, by SQL (content.cases.listing). Both secure the
page the same way, through `may()`'s twins: the catalog's principal tokens and `visible_condition`.
Both hand out the catalog's cursor (search.cursor: order, sort value, case, offset), sealed; the
seal's purpose binds it to the engine that issued it, as the order inside binds it to one order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from content.cases.listing import CaseFilter, list_case_page
from content.cases.models import Case
from content.curriculum.service import curriculum_titles
from content.lookup import by_uid
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission
from content.security.sealing import process_secret
from search.cursor import LISTING_PURPOSE, Cursor, decode, encode, open_cursor, seal_cursor
from search.model import SearchBackend, SearchResult
from search.service import CaseSearchRequest, search_cases

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class ListedCase:
    """A case of the page, its cursor and (from a text search) its highlighted snippets."""

    case: Case
    cursor: str
    highlights: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FacetValue:
    """One bucket of a facet: the value, how many cases hold it, and its label for people."""

    value: str
    count: int
    label: str


@dataclass(frozen=True)
class CaseListing:
    """One page of cases, whichever engine answered."""

    cases: list[ListedCase]
    total: int
    has_next: bool
    start_cursor: str | None
    end_cursor: str | None
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None


def find_cases(
    request: CaseSearchRequest,
    *,
    searched: bool,
    session: Session,
    principal: Principal,
    catalog: SearchBackend | None,
    cursor_secret: bytes | None = None,
    blinded: frozenset[str] | None = None,
) -> CaseListing:
    """A page of the cases the principal may see: searched in the catalog when the caller asked for a
    search (`searched`) and a catalog is open (text, facets, relevance), listed in SQL otherwise.
    `blinded`: the principal's blind cases when the caller has computed them for this request."""
    secret = cursor_secret or process_secret()
    if searched and catalog is not None:
        return _searched(request, session=session, principal=principal, catalog=catalog, secret=secret, blinded=blinded)
    return _listed(request, session=session, principal=principal, secret=secret)


def _searched(
    request: CaseSearchRequest,
    *,
    session: Session,
    principal: Principal,
    catalog: SearchBackend,
    secret: bytes,
    blinded: frozenset[str] | None,
) -> CaseListing:
    result = search_cases(
        request, session=session, principal=principal, catalog=catalog, cursor_secret=secret, blinded=blinded
    )
    rows = by_uid(Case, (h.case_id for h in result.hits), session=session)
    # A hit the database no longer has is left out: the consistency check will drop it from the catalog.
    cases = [ListedCase(rows[h.case_id], h.cursor, h.highlights) for h in result.hits if h.case_id in rows]
    return CaseListing(
        cases=cases,
        total=result.total,
        has_next=result.has_next,
        start_cursor=result.hits[0].cursor if result.hits else None,
        end_cursor=result.end_cursor,
        facets=_facets(result, session),
        suggestion=result.suggestion,
    )


def _listed(request: CaseSearchRequest, *, session: Session, principal: Principal, secret: bytes) -> CaseListing:
    require(principal, Permission.VIEW)  # before the cursor is read, as list_case_page does
    order = "TITLE" if request.order == "TITLE" else "NEWEST"  # no relevance without a text index
    flt = CaseFilter(
        curriculum=tuple(request.curriculum),
        modalities=tuple(request.modalities),
        body_regions=tuple(request.body_regions),
        difficulties=tuple(request.difficulties),
        states=tuple(request.states),
        collection_uid=request.collection_uid,
        order=order,
    )
    after = decode(open_cursor(request.after, secret, purpose=LISTING_PURPOSE), order)
    position = None if after is None else (_sort_value(order, after.key), after.doc_id)
    page = list_case_page(flt, first=request.first, after=position, session=session, principal=principal)
    offset = after.offset if after is not None else 0
    cursors = [
        seal_cursor(encode(Cursor(order, _cursor_key(key), case.uid, offset + n)), secret, purpose=LISTING_PURPOSE)
        for n, (case, key) in enumerate(zip(page.cases, page.keys, strict=True), start=1)
    ]
    return CaseListing(
        cases=[ListedCase(c, cursor) for c, cursor in zip(page.cases, cursors, strict=True)],
        total=page.total,
        has_next=page.has_next,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


def _cursor_key(key: Any) -> Any:
    """NEWEST keys travel as µs since the epoch, as the catalog's do; a title key as it is."""
    return (key - _EPOCH) // _MICROSECOND if isinstance(key, datetime) else key


def _sort_value(order: str, key: Any) -> Any:
    return _EPOCH + key * _MICROSECOND if order == "NEWEST" else key


def _facets(result: SearchResult, session: Session) -> dict[str, list[FacetValue]]:
    codes = [b.value for b in result.facets.get("curriculum", ())]
    titles = curriculum_titles(set(codes), session=session) if codes else {}

    def label(name: str, value: str) -> str:
        if name == "curriculum":
            return titles.get(value, value)
        return value.replace("_", " ").title() if name in ("difficulty", "state") else value

    return {
        name: [FacetValue(b.value, b.count, label(name, b.value)) for b in buckets]
        for name, buckets in result.facets.items()
    }
