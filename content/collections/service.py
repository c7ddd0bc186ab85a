"""Collection services: create, find by path or uid, list what a principal may see (local roles: local_roles.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from content import audit
from content.base import slugify
from content.cases.models import Case
from content.collections.models import DEFAULT_LICENCE, Collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import is_under, require, visible_condition
from content.security.roles import Permission

ROOT_PATH = "/"


class RegionRoot:
    """The repository root: not a row, but a container permissions can be asked about."""

    path = ROOT_PATH
    creator_id: str | None = None


def create_collection(
    *,
    title: str,
    parent_uid: str | None,
    slug: str | None,
    licence: str | None = None,
    description: str = "",
    session: Session,
    principal: Principal,
) -> Collection:
    """Add a collection, at the top or under a parent, for a caller who may add one there."""
    parent = get_collection(parent_uid, session=session) if parent_uid else None
    require(principal, Permission.ADD_COLLECTION, parent or RegionRoot())
    title = title.strip()
    if not title or len(title) > 300:
        raise DomainError(ErrorCode.INVALID_INPUT, "a title of 1 to 300 characters", field="title")
    segment = slugify(slug) if slug else slugify(title)
    if slug is not None and segment != slug:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"slug must be lower-case a-z, 0-9 and '-' ({segment!r})", field="slug"
        )
    path = f"{parent.path if parent else ''}/{segment}"
    if session.exec(select(Collection.uid).where(Collection.path == path)).first():
        raise DomainError(ErrorCode.PATH_CLASH, f"{path} exists", field="slug")
    collection = Collection(
        parent_uid=parent.uid if parent else None,
        slug=segment,
        path=path,
        title=title,
        description=description,
        creator_id=principal.user_id,
        licence=licence or (parent.licence if parent else DEFAULT_LICENCE),
    )
    session.add(collection)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create took the path first
        session.rollback()
        raise DomainError(ErrorCode.PATH_CLASH, f"{path} exists", field="slug") from exc
    audit.record(session, principal, "collection.create", "collection", collection.uid, path=path)
    session.commit()
    return collection


def get_collection(uid: str, *, session: Session) -> Collection:
    """A collection by uid; NOT_FOUND (field `collection`) if there is none."""
    collection = session.get(Collection, uid)
    if collection is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such collection", field="collection")
    return collection


def by_path(path: str, *, session: Session) -> Collection:
    """A collection by its path; NOT_FOUND (field `collection`) if none is there."""
    collection = session.exec(select(Collection).where(Collection.path == path.rstrip("/"))).first()
    if collection is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no collection at {path}", field="collection")
    return collection


def _within(limits: tuple[str, ...]) -> Any:
    """SQL: collections at or under one of `limits` (a token's or a partner's containers)."""
    path = col(Collection.path)
    return or_(
        false(), *(or_(path == base, path.startswith(base.rstrip("/") + "/", autoescape=True)) for base in limits)
    )


def list_collections(*, session: Session, principal: Principal) -> list[Collection]:
    """Every collection for a signed-in person (containers are not secret); tokens and partners see their own."""
    require(principal, Permission.VIEW)
    stmt = select(Collection).order_by(col(Collection.path))
    limits = principal.collection_limits()
    if limits is not None:
        stmt = stmt.where(_within(limits))
    return list(session.exec(stmt))


def visible_collection(uid: str, *, session: Session, principal: Principal) -> Collection:
    """One collection the principal may list; NOT_FOUND outside a token's or partner's containers."""
    require(principal, Permission.VIEW)
    collection = get_collection(uid, session=session)
    limits = principal.collection_limits()
    if limits is not None and not any(is_under(collection.path, base) for base in limits):
        raise DomainError(ErrorCode.NOT_FOUND, "no such collection", field="collection")
    return collection


def visible_case_counts(collection_uids: list[str], *, session: Session, principal: Principal) -> dict[str, int]:
    """How many cases of each collection `principal` may view."""
    if not collection_uids:
        return {}
    stmt = (
        select(Case.collection_uid, func.count())
        .where(col(Case.collection_uid).in_(collection_uids))
        .where(visible_condition(principal, Case))
        .group_by(col(Case.collection_uid))
    )
    counts = dict.fromkeys(collection_uids, 0)
    counts.update({uid: int(n) for uid, n in session.exec(stmt)})
    return counts
