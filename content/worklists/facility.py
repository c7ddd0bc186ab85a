"""Per-case statistics from reports: the facility index (the share of trainees who got it right)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from content.principal import Principal
from content.worklists.access import require_trainer
from content.worklists.feedback import final_scores
from content.worklists.models import Report, ReportStatus
from content.worklists.scoring import PASS_SCORE


@dataclass(frozen=True)
class CaseFacility:
    """How trainees did on one case: reports, judged and correct counts."""

    case_uid: str
    report_count: int
    judged_count: int  # rapid reports, and long-case reports with a score
    correct_count: int
    mean_score: float | None

    @property
    def facility_index(self) -> float | None:
        """The share of judged reports that were correct, or None if none were judged."""
        return round(self.correct_count / self.judged_count, 3) if self.judged_count else None


def facility_index(*, case_uids: list[str] | None = None, session: Session, principal: Principal) -> list[CaseFacility]:
    """Cases with submitted reports, hardest first. Right means: rapid answer marked correct, or a
    long-case score at the pass mark or above."""
    require_trainer(principal)
    stmt = select(Report).where(Report.status == ReportStatus.SUBMITTED.value)
    if case_uids is not None:
        stmt = stmt.where(col(Report.case_uid).in_(case_uids))
    reports = list(session.exec(stmt))
    scores = final_scores(session, [r.uid for r in reports])
    by_case: dict[str, list[Report]] = {}
    for r in reports:
        by_case.setdefault(r.case_uid, []).append(r)
    out = []
    for uid, rows in by_case.items():
        judged = [
            r.auto_correct if r.auto_correct is not None else scores[r.uid] >= PASS_SCORE
            for r in rows
            if r.auto_correct is not None or r.uid in scores
        ]
        marks = [scores[r.uid] for r in rows if r.uid in scores]
        out.append(
            CaseFacility(
                case_uid=uid,
                report_count=len(rows),
                judged_count=len(judged),
                correct_count=sum(judged),
                mean_score=round(sum(marks) / len(marks), 2) if marks else None,
            )
        )
    return sorted(out, key=lambda c: (c.facility_index if c.facility_index is not None else 2.0, c.case_uid))
