"""Listing cases in SQL: the principal's visible cases, filtered, ordered, one keyset page at a time."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content.cases.models import Case, CaseTerm
from content.collections.service import get_collection
from content.curriculum.service import check_codes
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import require, visible_condition
from content.security.roles import Permission

MAX_PAGE = 100


@dataclass(frozen=True)
class CaseFilter:
    curriculum: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    body_regions: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    collection_uid: str | None = None
    order: str = "NEWEST"  # NEWEST | TITLE


@dataclass(frozen=True)
class CasePage:
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


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from exc
    if not isinstance(values, list) or len(values) != 2:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after")
    return values


def _sort(order: str) -> tuple[Any, Any]:
    if order == "TITLE":
        return col(Case.title), False
    return col(Case.created), True


def list_cases(flt: CaseFilter, *, first: int, after: str | None, session: Session,
               principal: Principal) -> CasePage:
    require(principal, Permission.VIEW)
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be 1 to {MAX_PAGE}", field="first")
    conds = _conditions(flt, session=session, principal=principal)
    total = session.exec(select(func.count()).select_from(Case).where(*conds)).one()
    key, descending = _sort(flt.order)
    stmt = select(Case).where(*conds)
    if after:
        value, uid = decode_cursor(after)
        if flt.order != "TITLE":
            value = _parse_time(value)
        # Keyset, written out rather than as a row-value comparison so each side binds with its column type.
        if descending:
            stmt = stmt.where(sa.or_(key < value, sa.and_(key == value, col(Case.uid) < uid)))
        else:
            stmt = stmt.where(sa.or_(key > value, sa.and_(key == value, col(Case.uid) > uid)))
    order = (key.desc(), col(Case.uid).desc()) if descending else (key.asc(), col(Case.uid).asc())
    rows = list(session.exec(stmt.order_by(*order).limit(first + 1)))
    page = rows[:first]
    sort_attr = "title" if flt.order == "TITLE" else "created"
    cursors = [encode_cursor([getattr(c, sort_attr).isoformat() if sort_attr == "created" else c.title, c.uid])
               for c in page]
    return CasePage(cases=page, total=int(total), has_next=len(rows) > first, cursors=cursors)


def _parse_time(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from exc
