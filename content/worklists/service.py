"""Worklist services: create, edit, reorder and read worklists; every save is a new version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from content import audit
from content.base import slugify, utcnow
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.users.models import Cohort, User
from content.worklists.access import require_trainer
from content.worklists.models import LateAnswers, Worklist, WorklistItem, WorklistMode, WorklistVersion
from content.worklists.validated import checked_cases


@dataclass(frozen=True)
class WorklistSpec:
    """What a worklist is made of: title, mode, cases in order and instructions."""

    title: str
    mode: str
    case_uids: tuple[str, ...]
    instructions: str = ""
    time_limit_minutes: int | None = None
    cohort_uid: str | None = None
    late_answers: str = LateAnswers.FLAG.value


def _check(spec: WorklistSpec) -> WorklistSpec:
    title = spec.title.strip()
    if not title or len(title) > 300:
        raise DomainError(ErrorCode.INVALID_INPUT, "a title of 1 to 300 characters", field="title")
    if spec.mode not in {m.value for m in WorklistMode}:
        raise DomainError(ErrorCode.INVALID_INPUT, f"unknown mode {spec.mode!r}", field="mode")
    if spec.time_limit_minutes is not None and not 1 <= spec.time_limit_minutes <= 24 * 60:
        raise DomainError(ErrorCode.INVALID_INPUT, "time limit of 1 to 1440 minutes", field="time_limit_minutes")
    if spec.late_answers not in {r.value for r in LateAnswers}:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"late answers are FLAG or REFUSE, not {spec.late_answers!r}", field="late_answers"
        )
    if len(spec.instructions) > 20_000:
        raise DomainError(ErrorCode.INVALID_INPUT, "instructions up to 20000 characters", field="instructions")
    if not spec.case_uids:
        raise DomainError(ErrorCode.INVALID_INPUT, "a worklist needs at least one case", field="cases")
    return WorklistSpec(
        title,
        spec.mode,
        tuple(spec.case_uids),
        spec.instructions.strip(),
        spec.time_limit_minutes,
        spec.cohort_uid,
        spec.late_answers,
    )


def _folder(session: Session, spec: WorklistSpec, principal: Principal) -> str:
    """A trainer's folder, or the cohort's when the worklist belongs to one."""
    if spec.cohort_uid:
        cohort = session.get(Cohort, spec.cohort_uid)
        if cohort is None:
            raise DomainError(ErrorCode.NOT_FOUND, "no such cohort", field="cohort")
        return f"/worklists/cohorts/{slugify(cohort.title)}"
    user = session.get(User, principal.user_id) if principal.user_id else None
    return f"/worklists/{user.username if user else 'system'}"


def _free_path(session: Session, base: str) -> str:
    taken = set(session.exec(select(Worklist.path).where(col(Worklist.path).startswith(base, autoescape=True))))
    path, n = base, 1
    while path in taken:
        n += 1
        path = f"{base}-{n}"
    return path


def _set_items(session: Session, worklist: Worklist, case_uids: Sequence[str]) -> None:
    session.exec(delete(WorklistItem).where(col(WorklistItem.worklist_uid) == worklist.uid))
    for position, uid in enumerate(case_uids, start=1):
        session.add(WorklistItem(worklist_uid=worklist.uid, case_uid=uid, position=position))


def _snapshot(
    session: Session, worklist: Worklist, case_uids: Sequence[str], principal: Principal, comment: str
) -> None:
    data = {
        "title": worklist.title,
        "instructions": worklist.instructions,
        "mode": worklist.mode,
        "time_limit_minutes": worklist.time_limit_minutes,
        "late_answers": worklist.late_answers,
        "case_uids": list(case_uids),
    }
    session.add(
        WorklistVersion(
            worklist_uid=worklist.uid,
            version=worklist.version,
            author_uid=principal.user_id,
            comment=comment,
            data=data,
        )
    )


def create_worklist(spec: WorklistSpec, *, session: Session, principal: Principal) -> Worklist:
    """Add a worklist of validated cases, with its first version (trainers only)."""
    require_trainer(principal)
    spec = _check(spec)
    checked_cases(session, spec.case_uids)
    path = _free_path(session, f"{_folder(session, spec, principal)}/{slugify(spec.title)}")
    worklist = Worklist(
        path=path,
        title=spec.title,
        instructions=spec.instructions,
        mode=spec.mode,
        time_limit_minutes=spec.time_limit_minutes,
        cohort_uid=spec.cohort_uid,
        late_answers=spec.late_answers,
        creator_id=principal.user_id,
    )
    session.add(worklist)
    session.flush()
    _set_items(session, worklist, spec.case_uids)
    _snapshot(session, worklist, spec.case_uids, principal, "created")
    audit.record(session, principal, "worklist.create", "worklist", worklist.uid, path=path, cases=len(spec.case_uids))
    session.commit()
    return worklist


def get_worklist(uid: str, *, session: Session, principal: Principal) -> Worklist:
    """A worklist by uid, for a trainer; NOT_FOUND (field `worklist`) if there is none."""
    require_trainer(principal)
    worklist = session.get(Worklist, uid)
    if worklist is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such worklist", field="worklist")
    return worklist


def case_uids_of(session: Session, worklist_uid: str) -> list[str]:
    """The cases of a worklist, in order."""
    stmt = (
        select(WorklistItem.case_uid)
        .where(WorklistItem.worklist_uid == worklist_uid)
        .order_by(col(WorklistItem.position))
    )
    return list(session.exec(stmt))


def list_worklists(*, session: Session, principal: Principal) -> list[Worklist]:
    """Every worklist, newest first (trainers only)."""
    require_trainer(principal)
    return list(session.exec(select(Worklist).order_by(col(Worklist.created).desc(), col(Worklist.uid))))


def _claim_version(session: Session, worklist: Worklist, expected_version: int) -> None:
    """Optimistic concurrency: only one of two racing saves moves the version on; the other conflicts."""
    moved = session.execute(
        sa.update(Worklist)
        .where(col(Worklist.uid) == worklist.uid, col(Worklist.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]  # the typed Result lacks rowcount
        session.rollback()
        raise DomainError(
            ErrorCode.VERSION_CONFLICT, "someone saved this worklist in the meantime", field="expected_version"
        )
    worklist.version = expected_version + 1


def update_worklist(
    uid: str, *, expected_version: int, spec: WorklistSpec, comment: str = "", session: Session, principal: Principal
) -> Worklist:
    """Replace title, instructions, limit and cases (in order); assignments already made keep theirs."""
    worklist = get_worklist(uid, session=session, principal=principal)
    spec = _check(
        WorklistSpec(
            spec.title,
            worklist.mode,
            spec.case_uids,
            spec.instructions,
            spec.time_limit_minutes,
            late_answers=spec.late_answers,
        )
    )
    checked_cases(session, spec.case_uids)
    _claim_version(session, worklist, expected_version)
    worklist.title, worklist.instructions = spec.title, spec.instructions
    worklist.time_limit_minutes, worklist.late_answers = spec.time_limit_minutes, spec.late_answers
    worklist.modified = utcnow()
    _set_items(session, worklist, spec.case_uids)
    _snapshot(session, worklist, spec.case_uids, principal, comment[:2000])
    audit.record(session, principal, "worklist.update", "worklist", worklist.uid, version=worklist.version)
    session.commit()
    return worklist


def reorder_worklist(
    uid: str, *, expected_version: int, case_uids: Sequence[str], session: Session, principal: Principal
) -> Worklist:
    """A new order of the same cases (a permutation; anything else is refused)."""
    worklist = get_worklist(uid, session=session, principal=principal)
    if sorted(case_uids) != sorted(case_uids_of(session, uid)):
        raise DomainError(ErrorCode.INVALID_INPUT, "give every case of the worklist exactly once", field="cases")
    spec = WorklistSpec(
        worklist.title,
        worklist.mode,
        tuple(case_uids),
        worklist.instructions,
        worklist.time_limit_minutes,
        late_answers=worklist.late_answers,
    )
    return update_worklist(
        uid, expected_version=expected_version, spec=spec, comment="reordered", session=session, principal=principal
    )


def worklist_versions(uid: str, *, session: Session, principal: Principal) -> list[WorklistVersion]:
    """The stored versions of a worklist, oldest first."""
    get_worklist(uid, session=session, principal=principal)
    stmt = select(WorklistVersion).where(WorklistVersion.worklist_uid == uid).order_by(col(WorklistVersion.version))
    return list(session.exec(stmt))


def worklist_items(session: Session, worklist_uid: str) -> list[WorklistItem]:
    """The items (case and position) of a worklist, in order."""
    stmt = select(WorklistItem).where(WorklistItem.worklist_uid == worklist_uid).order_by(col(WorklistItem.position))
    return list(session.exec(stmt))
