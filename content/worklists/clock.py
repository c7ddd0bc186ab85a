"""The clock of a timed assignment: when it starts, when time is up, and what a late answer gets.

The limit and the late-answer rule are those of the worklist version the assignment pinned, so a
trainer editing the worklist later changes nothing for assignments already running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from content import audit
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.worklists.access import require_person
from content.worklists.models import Assignment, LateAnswers, Worklist, WorklistVersion


@dataclass(frozen=True)
class TimeLimit:
    """A worklist's time limit and what happens to answers given late."""

    minutes: int
    late_answers: LateAnswers


def time_limit(session: Session, assignment: Assignment) -> TimeLimit | None:
    """The pinned version's limit; a worklist saved before versions carried the rule falls back to FLAG."""
    pinned = session.exec(
        select(WorklistVersion).where(
            WorklistVersion.worklist_uid == assignment.worklist_uid,
            WorklistVersion.version == assignment.worklist_version,
        )
    ).first()
    if pinned is not None:
        minutes, rule = pinned.data.get("time_limit_minutes"), pinned.data.get("late_answers")
    else:
        worklist = session.get(Worklist, assignment.worklist_uid)
        minutes, rule = (worklist.time_limit_minutes, worklist.late_answers) if worklist else (None, None)
    if not minutes:
        return None
    return TimeLimit(int(minutes), LateAnswers(rule or LateAnswers.FLAG.value))


def deadline(session: Session, assignment: Assignment) -> datetime | None:
    """When a timed assignment runs out, or None if untimed or not started."""
    limit = time_limit(session, assignment)
    if limit is None or assignment.started_at is None:
        return None
    return assignment.started_at + timedelta(minutes=limit.minutes)


def start_clock(session: Session, assignment: Assignment) -> Assignment:
    """The clock starts once, at the first start, save or submit; later calls change nothing."""
    if assignment.started_at is None:
        assignment.started_at = utcnow()
        session.add(assignment)
    return assignment


def check_in_time(session: Session, assignment: Assignment, at: datetime) -> bool:
    """True when the answer is late and the worklist flags it; a worklist that refuses late answers raises."""
    ends = deadline(session, assignment)
    if ends is None or at <= ends:
        return False
    limit = time_limit(session, assignment)
    if limit is not None and limit.late_answers is LateAnswers.REFUSE:
        raise DomainError(
            ErrorCode.TIME_LIMIT_EXCEEDED,
            f"the {limit.minutes}-minute time limit ran out at {ends.isoformat(timespec='seconds')}",
            field="assignment",
        )
    return True


def start_assignment(uid: str, *, session: Session, principal: Principal) -> Assignment:
    """The trainee starts their timed assignment (opening the reporting room): the server's clock runs."""
    user_id = require_person(principal)
    assignment = session.get(Assignment, uid)
    if assignment is None or assignment.trainee_uid != user_id:
        raise DomainError(ErrorCode.NOT_FOUND, "no such assignment of yours", field="assignment")
    if assignment.started_at is None:
        start_clock(session, assignment)
        session.flush()
        audit.record(session, principal, "assignment.start", "assignment", assignment.uid)
        session.commit()
    return assignment
