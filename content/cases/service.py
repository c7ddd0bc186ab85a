"""Case services: create and edit cases (optimistic concurrency, versions, audit) and read one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from content import audit, events
from content.base import slugify, utcnow
from content.cases.fields import clean_changes
from content.cases.models import Case, CaseTerm, CaseVersion
from content.cases.versions import visible_view, write_version
from content.collections.service import get_collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission
from content.workflow import State

TERM_FIELDS = {"curriculum_codes": "curriculum", "modalities": "modality", "body_regions": "body_region", "tags": "tag"}


def _sync_terms(session: Session, case: Case) -> None:
    session.exec(delete(CaseTerm).where(col(CaseTerm.case_uid) == case.uid))  # type: ignore[call-overload]
    for field, kind in TERM_FIELDS.items():
        for value in getattr(case, field):
            session.add(CaseTerm(case_uid=case.uid, kind=kind, value=value[:200]))


def _free_path(session: Session, base: str) -> tuple[str, str]:
    taken = set(session.exec(select(Case.path).where(col(Case.path).startswith(base, autoescape=True))))
    slug_path, n = base, 1
    while slug_path in taken:
        n += 1
        slug_path = f"{base}-{n}"
    return slug_path, slug_path.rsplit("/", 1)[1]


def create_case(
    *,
    collection_uid: str,
    fields: dict[str, Any],
    comment: str = "",
    session: Session,
    principal: Principal,
    commit: bool = True,
) -> Case:
    """Add a DRAFT case to a collection, with its first version and audit row."""
    collection = get_collection(collection_uid, session=session)
    require(principal, Permission.ADD_CASE, collection)
    values = clean_changes(fields, session=session)
    if not values.get("title"):
        raise DomainError(ErrorCode.INVALID_INPUT, "a case needs a title", field="title")
    path, slug = _free_path(session, f"{collection.path}/{slugify(values['title'])}")
    case = Case(
        collection_uid=collection.uid,
        slug=slug,
        path=path,
        licence=collection.licence,
        creator_id=principal.user_id,
        state=State.DRAFT.value,
        version=1,
        **values,
    )
    session.add(case)
    session.flush()
    _sync_terms(session, case)
    write_version(session, case, author=principal, comment=comment[:2000], before=None)
    audit.record(session, principal, "case.create", "case", case.uid, path=path, version=1)
    events.emit(session, events.CaseChanged(case.uid, "created"))
    if commit:  # an import commits the case together with its studies, or neither
        session.commit()
    return case


def claim_version(session: Session, case: Case, expected_version: int) -> None:
    """Move the case to expected+1 only if nobody else has: the optimistic-concurrency gate.

    The conditional UPDATE also row-locks on PostgreSQL, so a racing editor waits, then finds
    the version moved on and gets VERSION_CONFLICT instead of overwriting the first save.
    """
    result = session.execute(
        sa.update(Case)
        .where(col(Case.uid) == case.uid, col(Case.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise DomainError(
            ErrorCode.VERSION_CONFLICT, "someone saved this case in the meantime", field="expectedVersion"
        )
    case.version = expected_version + 1


def get_case(uid: str, *, session: Session, principal: Principal) -> Case:
    """The case if the principal may see any version of it; otherwise NOT_FOUND (no existence leak)."""
    case = session.get(Case, uid)
    if case is None or visible_view(principal, case) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such case", field="id")
    return case


def update_case(
    uid: str,
    *,
    expected_version: int,
    changes: dict[str, Any],
    comment: str = "",
    session: Session,
    principal: Principal,
    studies: Iterable[str] | None = None,
    restored: dict[str, Any] | None = None,
) -> Case:
    """Save an edit as a new version; `studies`, when given, is the new image set (revert).

    `restored` carries values of a stored version back unchanged (revert): they were checked
    against that version's image set when saved, and the image set comes back with them.
    """
    case = editable_case(uid, expected_version=expected_version, session=session, principal=principal)
    values = clean_changes(changes, session=session) | (restored or {})
    save_version(
        case,
        values=values,
        studies=studies,
        expected_version=expected_version,
        comment=comment,
        action="case.update",
        session=session,
        principal=principal,
    )
    session.commit()
    return case


def editable_case(uid: str, *, expected_version: int, session: Session, principal: Principal) -> Case:
    """The case if the principal may edit it and nobody saved since `expected_version`; nothing written."""
    case = get_case(uid, session=session, principal=principal)
    require(principal, Permission.EDIT, case)
    if case.version != expected_version:
        raise DomainError(
            ErrorCode.VERSION_CONFLICT,
            f"the case is at version {case.version}; you edited version {expected_version}",
            field="expectedVersion",
        )
    return case


def save_version(
    case: Case,
    *,
    values: dict[str, Any],
    studies: Iterable[str] | None,
    expected_version: int,
    comment: str,
    action: str,
    session: Session,
    principal: Principal,
    **detail: Any,
) -> CaseVersion:
    """Write checked field values and/or a new image set as the next version (no commit).

    Text and images follow one rule: on a validated case the save starts a working copy, and
    the published version stays what trainees, partners and DICOMweb see until it is validated.
    """
    claim_version(session, case, expected_version)
    before = case.snapshot()
    for name, value in values.items():
        setattr(case, name, value)
    if case.state == State.VALIDATED.value:
        case.state = State.DRAFT.value
    case.modified = utcnow()
    session.flush()
    _sync_terms(session, case)
    row = write_version(session, case, author=principal, comment=comment[:2000], before=before, studies=studies)
    audit.record(
        session, principal, action, "case", case.uid, version=case.version, fields=row.changed_fields, **detail
    )
    events.emit(session, events.CaseChanged(case.uid, "updated"))
    return row
