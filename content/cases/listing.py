"""Listing cases in SQL: the principal's visible cases, filtered, ordered, one keyset page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content.cases.models import Case, CaseTerm
from content.cases.visibility import UNTITLED_SORT_KEY, blind_case_uids
from content.collections.service import get_collection
from content.curriculum.service import check_codes
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import require, visible_condition
from content.security.roles import Permission
from content.security.sealing import process_secret, seal, unseal

MAX_PAGE = 100


@dataclass(frozen=True)
class CaseFilter:
    """The filters of a case listing; empty tuples filter nothing."""

    curriculum: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    body_regions: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    collection_uid: str | None = None
    order: str = "NEWEST"  # NEWEST | TITLE


@dataclass(frozen=True)
class CasePage:
    """One page of a case listing: the cases, the total, whether more follow and each row's cursor."""

    cases: list[Case]
    total: int
    has_next: bool
    cursors: list[str]


def _has_term(kind: str, values: tuple[str, ...], *, subtree: bool = False) -> Any:
    match: list[Any] = [col(CaseTerm.value) == v for v in values]
    if subtree:
        match += [col(CaseTerm.value).startswith(v + ".", autoescape=True) for v in values]
    return sa.exists().where(col(CaseTerm.case_uid) == col(Case.uid), col(CaseTerm.kind) == kind, sa.or_(*match))


def _conditions(flt: CaseFilter, *, session: Session, principal: Principal) -> list[Any]:
    conds = [visible_condition(principal, Case)]
    if flt.curriculum:
        conds.append(_has_term("curriculum", tuple(check_codes(flt.curriculum, session=session)), subtree=True))
    if flt.modalities:
        conds.append(_has_term("modality", tuple(m.upper() for m in flt.modalities)))
    if flt.body_regions:
        conds.append(_has_term("body_region", tuple(b.upper() for b in flt.body_regions)))
    if flt.difficulties:
        conds.append(col(Case.difficulty).in_(flt.difficulties))
    if flt.states:
        conds.append(col(Case.state).in_(flt.states))
    if flt.collection_uid:
        base = get_collection(flt.collection_uid, session=session).path
        conds.append(col(Case.path).startswith(base + "/", autoescape=True))
    return conds


CURSOR_PURPOSE = "listing-cursor"


def encode_cursor(values: list[Any], secret: bytes) -> str:
    """Sealed (content/security/sealing.py): a title inside must be neither readable nor forgeable."""
    return seal(json.dumps(values, default=str).encode(), secret=secret, purpose=CURSOR_PURPOSE)


def decode_cursor(cursor: str, secret: bytes) -> list[Any]:
    """The sort values sealed in a listing cursor; INVALID_INPUT (field `after`) if it was not ours."""
    try:
        values = json.loads(unseal(cursor, secret=secret, purpose=CURSOR_PURPOSE))
    except (ValueError, TypeError) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from exc
    if not isinstance(values, list) or len(values) != 2:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after")
    return values


def _sort(order: str, blind: frozenset[str]) -> tuple[Any, Any]:
    if order == "TITLE":
        if blind:  # a case blind to the caller sorts as untitled: its place must not spell its title
            return sa.case((col(Case.uid).in_(sorted(blind)), UNTITLED_SORT_KEY), else_=col(Case.title)), False
        return col(Case.title), False
    return col(Case.created), True


@dataclass(frozen=True)
class KeyedPage:
    """One keyset page: the cases, each one's sort value (created or title key), the total, more or not."""

    cases: list[Case]
    keys: list[Any]
    total: int
    has_next: bool


def list_case_page(
    flt: CaseFilter,
    *,
    first: int,
    after: tuple[Any, str] | None,
    session: Session,
    principal: Principal,
) -> KeyedPage:
    """A page of the cases the principal may see, after the (sort value, uid) position `after`.

    The sort value is `created` (a datetime) for NEWEST and the title key for TITLE (a blind case's
    is the untitled key, so its place does not spell its title). Callers seal positions for clients.
    """
    require(principal, Permission.VIEW)
    blind = blind_case_uids(session, principal)
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be 1 to {MAX_PAGE}", field="first")
    conds = _conditions(flt, session=session, principal=principal)
    total = session.exec(select(func.count()).select_from(Case).where(*conds)).one()
    key, descending = _sort(flt.order, blind)
    stmt = select(Case).where(*conds)
    if after is not None:
        value, uid = after
        # Keyset, written out rather than as a row-value comparison so each side binds with its column type.
        if descending:
            stmt = stmt.where(sa.or_(key < value, sa.and_(key == value, col(Case.uid) < uid)))
        else:
            stmt = stmt.where(sa.or_(key > value, sa.and_(key == value, col(Case.uid) > uid)))
    order = (key.desc(), col(Case.uid).desc()) if descending else (key.asc(), col(Case.uid).asc())
    rows = list(session.exec(stmt.order_by(*order).limit(first + 1)))
    page = rows[:first]
    if flt.order == "TITLE":
        keys: list[Any] = [UNTITLED_SORT_KEY if c.uid in blind else c.title for c in page]
    else:
        keys = [c.created for c in page]
    return KeyedPage(cases=page, keys=keys, total=int(total), has_next=len(rows) > first)


def list_cases(
    flt: CaseFilter,
    *,
    first: int,
    after: str | None,
    session: Session,
    principal: Principal,
    cursor_secret: bytes | None = None,
) -> CasePage:
    """A page of the cases the principal may see; cursors sealed under `cursor_secret` (the server's
    secret; a per-process one when not given)."""
    require(principal, Permission.VIEW)
    secret = cursor_secret or process_secret()
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be 1 to {MAX_PAGE}", field="first")
    position: tuple[Any, str] | None = None
    if after:
        value, uid = decode_cursor(after, secret)
        position = (value if flt.order == "TITLE" else _parse_time(value), uid)
    page = list_case_page(flt, first=first, after=position, session=session, principal=principal)
    cursors = [
        encode_cursor([k.isoformat() if isinstance(k, datetime) else k, c.uid], secret)
        for c, k in zip(page.cases, page.keys, strict=True)
    ]
    return CasePage(cases=page.cases, total=page.total, has_next=page.has_next, cursors=cursors)


def _parse_time(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from exc
