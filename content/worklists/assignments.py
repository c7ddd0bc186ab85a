"""Assign a worklist to trainees or a cohort; each assignment pins the case versions published now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from content import audit, events
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.users.models import Cohort, CohortMember, User
from content.worklists.access import get_trainee, is_trainee_user, is_trainer, require_person, require_trainer
from content.worklists.models import Assignment, AssignmentItem
from content.worklists.service import case_uids_of, get_worklist
from content.worklists.validated import checked_cases

MAX_TRAINEES = 500


def _targets(session: Session, trainee_uids: Sequence[str], cohort_uid: str | None) -> list[User]:
    if bool(trainee_uids) == bool(cohort_uid):
        raise DomainError(ErrorCode.INVALID_INPUT, "give trainees or a cohort, not both", field="trainees")
    if len(trainee_uids) > MAX_TRAINEES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_TRAINEES} trainees", field="trainees")
    if trainee_uids:
        return [get_trainee(session, uid) for uid in dict.fromkeys(trainee_uids)]
    if session.get(Cohort, cohort_uid) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such cohort", field="cohort")
    members = session.exec(
        select(User)
        .join(CohortMember, col(CohortMember.user_uid) == User.uid)
        .where(CohortMember.cohort_uid == cohort_uid)
        .order_by(col(User.username))
    )
    # Trainers and others in a cohort are not asked to report: only its trainees get an assignment.
    trainees = [u for u in members if is_trainee_user(u)]
    if not trainees:
        raise DomainError(ErrorCode.INVALID_INPUT, "the cohort has no trainees", field="cohort")
    return trainees


def assign_worklist(
    worklist_uid: str,
    *,
    trainee_uids: Sequence[str] = (),
    cohort_uid: str | None = None,
    due_at: datetime | None = None,
    session: Session,
    principal: Principal,
) -> list[Assignment]:
    """One assignment per trainee. Naming a trainee who already holds it is DUPLICATE; assigning a
    cohort again only reaches members who joined since."""
    require_trainer(principal)
    worklist = get_worklist(worklist_uid, session=session, principal=principal)
    if due_at is not None and due_at.tzinfo is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "a due date needs a time zone", field="due_at")
    # Re-checked now: a case may have been retired since the worklist was built.
    cases = checked_cases(session, case_uids_of(session, worklist.uid))
    people = _targets(session, trainee_uids, cohort_uid)
    holders = set(session.exec(select(Assignment.trainee_uid).where(Assignment.worklist_uid == worklist.uid)))
    if trainee_uids and holders & {p.uid for p in people}:
        raise DomainError(ErrorCode.DUPLICATE, "a trainee already holds this worklist", field="trainees")
    out = []
    for person in (p for p in people if p.uid not in holders):
        assignment = Assignment(
            worklist_uid=worklist.uid,
            worklist_version=worklist.version,
            trainee_uid=person.uid,
            cohort_uid=cohort_uid,
            assigned_by=principal.user_id,
            due_at=due_at,
        )
        session.add(assignment)
        session.flush()
        for position, case in enumerate(cases, start=1):
            assert case.published_version is not None  # checked_cases guarantees it
            session.add(
                AssignmentItem(
                    assignment_uid=assignment.uid,
                    case_uid=case.uid,
                    position=position,
                    case_version=case.published_version,
                )
            )
        audit.record(
            session,
            principal,
            "worklist.assign",
            "assignment",
            assignment.uid,
            worklist=worklist.uid,
            trainee=person.uid,
            cohort=cohort_uid,
        )
        events.emit(session, events.WorklistAssigned(assignment.uid, worklist.uid, person.uid))
        out.append(assignment)
    session.commit()
    return out


def items_of(session: Session, assignment_uids: Sequence[str]) -> dict[str, list[AssignmentItem]]:
    """The cases of each assignment, in worklist order, by assignment uid."""
    out: dict[str, list[AssignmentItem]] = {uid: [] for uid in assignment_uids}
    if not assignment_uids:
        return out
    stmt = (
        select(AssignmentItem)
        .where(col(AssignmentItem.assignment_uid).in_(list(assignment_uids)))
        .order_by(col(AssignmentItem.assignment_uid), col(AssignmentItem.position))
    )
    for item in session.exec(stmt):
        out[item.assignment_uid].append(item)
    return out


def assignments_of(session: Session, trainee_uid: str) -> list[Assignment]:
    """A trainee's assignments, oldest first."""
    stmt = (
        select(Assignment)
        .where(Assignment.trainee_uid == trainee_uid)
        .order_by(col(Assignment.created), col(Assignment.uid))
    )
    return list(session.exec(stmt))


def my_assignments(*, session: Session, principal: Principal) -> list[Assignment]:
    """The signed-in caller's own assignments."""
    return assignments_of(session, require_person(principal))


def assignments_of_worklist(worklist_uid: str, *, session: Session, principal: Principal) -> list[Assignment]:
    """The assignments of a worklist, for a trainer."""
    get_worklist(worklist_uid, session=session, principal=principal)
    stmt = select(Assignment).where(Assignment.worklist_uid == worklist_uid).order_by(col(Assignment.created))
    return list(session.exec(stmt))


def get_assignment(uid: str, *, session: Session, principal: Principal) -> Assignment:
    """The trainee's own assignment, or any for a trainer; NOT_FOUND otherwise (no existence leak)."""
    assignment = session.get(Assignment, uid)
    if assignment is None or (assignment.trainee_uid != principal.user_id and not is_trainer(principal)):
        raise DomainError(ErrorCode.NOT_FOUND, "no such assignment", field="assignment")
    return assignment
