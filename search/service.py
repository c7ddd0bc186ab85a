"""The one entry point for searching cases: checks the request, secures it, asks the catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session

from content.cases.visibility import blind_case_uids
from content.collections.service import get_collection
from content.curriculum.service import nodes_by_code
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import is_under
from content.security.sealing import process_secret
from search.cursor import open_cursor, seal_cursor
from search.model import CODE_RE, DEFAULT_FACETS, Order, SearchBackend, SearchQuery, SearchResult, validate


@dataclass(frozen=True)
class CaseSearchRequest:
    text: str | None = None
    curriculum: Sequence[str] = ()
    modalities: Sequence[str] = ()
    body_regions: Sequence[str] = ()
    difficulties: Sequence[str] = ()
    states: Sequence[str] = ()
    collection_uid: str | None = None
    order: Order | None = None
    first: int = 20
    after: str | None = None
    facets: Sequence[str] = DEFAULT_FACETS


EMPTY = SearchResult(hits=(), total=0, facets={}, has_next=False, end_cursor=None)


def _check_codes(codes: Sequence[str], session: Session) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(c.strip() for c in codes))
    malformed = [c for c in wanted if not CODE_RE.match(c)]
    known = nodes_by_code([c for c in wanted if c not in malformed], session=session)
    unknown = [c for c in wanted if c not in known]
    if unknown:
        # Retired codes still match: old cases keep them, and searching by them must find those.
        raise DomainError(
            ErrorCode.INVALID_CURRICULUM_CODE, f"unknown curriculum code(s): {', '.join(unknown)}", field="curriculum"
        )
    return wanted


def _scope(principal: Principal, collection_path: str | None) -> tuple[str | None, bool]:
    """The collection to search in, narrowed by a partner token's collection; (path, empty?)."""
    limit = principal.token_collection_path
    if limit is None:
        return collection_path, False
    if collection_path is None or is_under(collection_path, limit):
        return collection_path or limit, False
    if is_under(limit, collection_path):
        return limit, False
    return None, True  # disjoint: the token sees nothing there


def search_cases(
    request: CaseSearchRequest,
    *,
    session: Session,
    principal: Principal,
    catalog: SearchBackend,
    cursor_secret: bytes | None = None,
    blinded: frozenset[str] | None = None,
) -> SearchResult:
    """Cases matching the request that the principal may see, in the version they may see.

    Security is applied inside the catalog (allowed/denied principal tokens, and the cases blind to
    the principal, from content.cases.visibility: matched only through what a trainee may read,
    sorted as untitled, left out of curriculum filters and answer facets), so
    totals, facets and suggestions are computed over the same secured result set. Cursors go out
    sealed under `cursor_secret` (the server's secret; a per-process one when not given) and come
    back opened: a tampered or foreign `after` is INVALID_INPUT. `blinded`, when the caller has
    already computed them for this request, are the principal's blind cases (saves their query).
    """
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    secret = cursor_secret or process_secret()
    codes = _check_codes(request.curriculum, session)
    path = get_collection(request.collection_uid, session=session).path if request.collection_uid else None
    path, empty = _scope(principal, path)
    query = SearchQuery(
        principals=principal.tokens(),
        text=request.text,
        curriculum=codes,
        modalities=tuple(request.modalities),
        body_regions=tuple(request.body_regions),
        difficulties=tuple(request.difficulties),
        states=tuple(request.states),
        collection_path=path,
        order=request.order,
        first=request.first,
        after=open_cursor(request.after, secret),
        facets=tuple(request.facets),
        blinded_case_ids=blinded if blinded is not None else blind_case_uids(session, principal),
    )
    if empty:
        validate(query)
        return EMPTY
    return _sealed(catalog.search(query), secret)


def _sealed(result: SearchResult, secret: bytes) -> SearchResult:
    hits = tuple(replace(h, cursor=seal_cursor(h.cursor, secret)) for h in result.hits)
    return replace(result, hits=hits, end_cursor=hits[-1].cursor if hits else None)
