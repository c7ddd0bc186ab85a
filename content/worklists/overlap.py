"""Which cases of a worklist trainees have already met in other worklists."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content.principal import Principal
from content.users.models import CohortMember
from content.worklists.models import Assignment, AssignmentItem
from content.worklists.service import case_uids_of, get_worklist


def met_elsewhere(
    worklist_uid: str, *, cohort_uid: str | None = None, session: Session, principal: Principal
) -> dict[str, int]:
    """Per case of the worklist: how many trainees (of the cohort, when given) hold it in another worklist."""
    get_worklist(worklist_uid, session=session, principal=principal)
    cases = case_uids_of(session, worklist_uid)
    stmt = (
        select(AssignmentItem.case_uid, func.count(sa.distinct(col(Assignment.trainee_uid))))
        .join(Assignment, col(Assignment.uid) == AssignmentItem.assignment_uid)
        .where(col(AssignmentItem.case_uid).in_(cases), Assignment.worklist_uid != worklist_uid)
        .group_by(col(AssignmentItem.case_uid))
    )
    if cohort_uid:
        members = select(CohortMember.user_uid).where(CohortMember.cohort_uid == cohort_uid)
        stmt = stmt.where(col(Assignment.trainee_uid).in_(members))
    counts = dict.fromkeys(cases, 0)
    counts.update({uid: int(n) for uid, n in session.exec(stmt)})
    return counts
