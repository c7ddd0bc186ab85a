"""Assignment and Grade Services, the rules: when a worklist's score is due and what it is.

A trainee's assignment is complete when every case has a submitted report and every long-case
report has the trainer's mark (rapid answers are marked on submission). The score is the mean of
the cases' marks (rapid: right 1 / wrong 0; long case: the final 1..8 score over 8) as 0..100.
It is due to each line item linked to the worklist (by a launch's AGS claim) on a platform where
the trainee is linked. integrations.lti.grades sends it and hands back what the platform said.
"""

from __future__ import annotations

from dataclasses import dataclass

from pylti1p3.registration import Registration
from sqlmodel import Session, col, select

from content.lti.keys import signing_key
from content.lti.models import LtiLineItem, LtiPlatform, LtiScore, LtiUserLink
from content.lti.platforms import DbToolConf
from content.worklists.feedback import final_scores
from content.worklists.models import Assignment, AssignmentItem, Report, ReportStatus, WorklistMode

SCORE_MAXIMUM = 100.0
LONG_CASE_MAXIMUM = 8


@dataclass(frozen=True)
class ScoreDue:
    """One score to send: the line item, the platform's registration, the person there and the marks."""

    assignment_uid: str
    line_item_uid: str
    lineitem_url: str
    scopes: tuple[str, ...]
    registration: Registration
    sub: str
    given: float
    maximum: float = SCORE_MAXIMUM


def assignment_score(session: Session, assignment_uid: str) -> float | None:
    """The assignment's score (0..100) once every case is submitted and marked, else None."""
    items = set(session.exec(select(AssignmentItem.case_uid).where(AssignmentItem.assignment_uid == assignment_uid)))
    reports = list(
        session.exec(
            select(Report).where(Report.assignment_uid == assignment_uid, Report.status == ReportStatus.SUBMITTED.value)
        )
    )
    if not items or {r.case_uid for r in reports} != items:
        return None
    long_marks = final_scores(session, [r.uid for r in reports if r.mode == WorklistMode.LONG_CASE.value])
    fractions: list[float] = []
    for report in reports:
        if report.mode == WorklistMode.LONG_CASE.value:
            if report.uid not in long_marks:
                return None
            fractions.append(long_marks[report.uid] / LONG_CASE_MAXIMUM)
        else:
            fractions.append(1.0 if report.auto_correct else 0.0)
    return round(SCORE_MAXIMUM * sum(fractions) / len(fractions), 2)


def scores_due(assignment_uid: str, *, session: Session, secret: bytes) -> list[ScoreDue]:
    """What a now complete assignment owes the gradebooks linked to its worklist (nothing if incomplete)."""
    assignment = session.get(Assignment, assignment_uid)
    given = assignment_score(session, assignment_uid) if assignment else None
    if assignment is None or given is None:
        return []
    subs = {
        link.platform_uid: link.sub
        for link in session.exec(select(LtiUserLink).where(LtiUserLink.user_uid == assignment.trainee_uid))
    }
    lines = list(
        session.exec(
            select(LtiLineItem).where(
                LtiLineItem.worklist_uid == assignment.worklist_uid,
                col(LtiLineItem.platform_uid).in_(list(subs) or [""]),
            )
        )
    )
    if not lines:
        return []
    conf = DbToolConf(session=session, key=signing_key(session=session, secret=secret))
    out = []
    for line in lines:
        platform = session.get(LtiPlatform, line.platform_uid)
        if platform is not None:
            out.append(
                ScoreDue(
                    assignment_uid,
                    line.uid,
                    line.lineitem_url,
                    tuple(line.scopes),
                    conf.registration_for(platform),
                    subs[line.platform_uid],
                    given,
                )
            )
    return out


def record_sent(due: ScoreDue, *, status: int, error: str, session: Session) -> LtiScore:
    """Keep what the platform answered to one score (the caller commits)."""
    row = LtiScore(
        line_item_uid=due.line_item_uid,
        assignment_uid=due.assignment_uid,
        sub=due.sub,
        score_given=due.given,
        score_maximum=due.maximum,
        status=status,
        error=error[:500],
    )
    session.add(row)
    return row
