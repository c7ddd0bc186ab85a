"""Blind reporting: the cases whose answer a trainee may not see yet, and what to show instead.

A case stays blind for a person while it is in one of their assignments and they have not
submitted a report of it; the Case type, `node`, search hits and facets withhold its answer
fields for exactly this set.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from content.principal import Principal
from content.worklists.models import Assignment, AssignmentItem, Report, ReportStatus, Worklist

# The case fields that give the answer away; key images point at the finding, so they go too.
ANSWER_FIELDS = frozenset({"title", "findings", "diagnosis", "differential_diagnoses", "discussion",
                           "teaching_points", "curriculum_codes", "tags", "key_images"})


def _assigned(session: Session, user_id: str) -> list[tuple[str, int, str]]:
    """(case uid, position, worklist title) of every case assigned to the person, oldest assignment first."""
    stmt = (select(AssignmentItem.case_uid, AssignmentItem.position, Worklist.title)
            .join(Assignment, col(Assignment.uid) == AssignmentItem.assignment_uid)
            .join(Worklist, col(Worklist.uid) == Assignment.worklist_uid)
            .where(Assignment.trainee_uid == user_id)
            .order_by(col(Assignment.created), col(Assignment.uid), col(AssignmentItem.position)))
    return [(uid, pos, title) for uid, pos, title in session.exec(stmt)]


def _reported(session: Session, user_id: str) -> set[str]:
    # Any submitted report of the case opens it: once seen, an answer cannot be unseen.
    return set(session.exec(select(Report.case_uid).where(
        Report.trainee_uid == user_id, Report.status == ReportStatus.SUBMITTED.value)))


def blinded_case_uids(session: Session, principal: Principal) -> frozenset[str]:
    if principal.user_id is None:
        return frozenset()
    assigned = {uid for uid, _, _ in _assigned(session, principal.user_id)}
    if not assigned:
        return frozenset()
    return frozenset(assigned - _reported(session, principal.user_id))


def blind_labels(session: Session, principal: Principal) -> dict[str, str]:
    """Per blind case, the title to show instead: "Case 3 of Chest on call" (its first open assignment)."""
    if principal.user_id is None:
        return {}
    reported = _reported(session, principal.user_id)
    out: dict[str, str] = {}
    for uid, position, title in _assigned(session, principal.user_id):
        if uid not in reported and uid not in out:
            out[uid] = f"Case {position} of {title}"
    return out
