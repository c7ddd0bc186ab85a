"""Case versions: write the snapshot of a save, read history, pick the version a caller may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from sqlmodel import Session, col, select

from content.cases.models import CONTENT_FIELDS, SET_FIELDS, Case, CaseVersion, CaseVersionStudy
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import may
from content.security.roles import Permission
from content.workflow import State

View = Literal["current", "published"]

# The image set is version content too; it lives in case_version_study, not in `data`.
STUDIES = "studies"


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The content fields that differ between two snapshots (all filled ones when there is no before)."""
    if before is None:
        return [f for f in CONTENT_FIELDS if after.get(f) not in (None, "", [])]
    return [f for f in CONTENT_FIELDS if not same_value(f, before.get(f), after.get(f))]


def same_value(field: str, a: Any, b: Any) -> bool:
    """Whether two values of a field are equal (as sets for list fields; empty counts as unset)."""
    if field in SET_FIELDS:
        return set(a or []) == set(b or [])
    return (a or None) == (b or None)


def version_studies(session: Session, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], set[str]]:
    """The study uids of each (case uid, version)'s image set, in one query."""
    wanted = set(keys)
    out: dict[tuple[str, int], set[str]] = {k: set() for k in wanted}
    if not wanted:
        return out
    stmt = select(CaseVersionStudy).where(
        col(CaseVersionStudy.case_uid).in_({k[0] for k in wanted}),
        col(CaseVersionStudy.version).in_({k[1] for k in wanted}),
    )
    for row in session.exec(stmt):
        if (row.case_uid, row.version) in out:
            out[(row.case_uid, row.version)].add(row.study_uid)
    return out


def write_version(
    session: Session,
    case: Case,
    *,
    author: Principal,
    comment: str,
    before: dict[str, Any] | None,
    validator_uid: str | None = None,
    studies: Iterable[str] | None = None,
) -> CaseVersion:
    """Snapshot the case as version `case.version`: its fields and its image set.

    `studies` is the new image set; None keeps the previous version's (a text edit or a
    transition changes no image).
    """
    data = case.snapshot()
    previous: set[str] = set()
    if before is not None:
        previous = version_studies(session, [(case.uid, case.version - 1)])[(case.uid, case.version - 1)]
    chosen = previous if studies is None else set(studies)
    changed = changed_fields(before, data)
    if chosen != previous:
        changed.append(STUDIES)
    row = CaseVersion(
        case_uid=case.uid,
        version=case.version,
        state=case.state,
        author_uid=author.user_id,
        comment=comment,
        changed_fields=changed,
        data=data,
        validator_uid=validator_uid,
    )
    session.add(row)
    session.add_all(CaseVersionStudy(case_uid=case.uid, version=case.version, study_uid=uid) for uid in sorted(chosen))
    return row


def history(session: Session, case_uid: str) -> list[CaseVersion]:
    """Every stored version of a case, oldest first."""
    stmt = select(CaseVersion).where(CaseVersion.case_uid == case_uid).order_by(col(CaseVersion.version))
    return list(session.exec(stmt))


def get_version(session: Session, case_uid: str, version: int) -> CaseVersion:
    """One stored version of a case; NOT_FOUND (field `version`) if there is none."""
    row = session.exec(
        select(CaseVersion).where(CaseVersion.case_uid == case_uid, CaseVersion.version == version)
    ).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"version {version} does not exist", field="version")
    return row


def visible_view(principal: Principal, case: Case) -> View | None:
    """The working copy for those who may view it in its state, else the published version, else nothing."""
    if may(principal, Permission.VIEW, case):
        return "current"
    if (
        case.published_version is not None
        and case.state != State.RETIRED.value
        and may(principal, Permission.VIEW, case, state=State.VALIDATED)
    ):
        return "published"
    return None


def versions_of(keys: Iterable[tuple[str, int]], *, session: Session) -> dict[tuple[str, int], CaseVersion]:
    """The saved versions with these (case uid, version) keys, by key; one query."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = session.exec(select(CaseVersion).where(col(CaseVersion.case_uid).in_({k[0] for k in wanted})))
    return {(r.case_uid, r.version): r for r in rows if (r.case_uid, r.version) in wanted}
