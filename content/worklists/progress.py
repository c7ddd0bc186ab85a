"""Progress of a trainee or a cohort: assigned, reported, overdue, scores, rapid accuracy, coverage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from content.base import utcnow
from content.cases.models import CaseVersion
from content.curriculum.service import subtree
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.users.models import Cohort, CohortMember, User
from content.worklists.access import is_trainee_user, is_trainer, require_person, require_trainer
from content.worklists.assignments import items_of
from content.worklists.coverage import rolled_up, validated_counts
from content.worklists.feedback import final_scores
from content.worklists.models import Assignment, Report, ReportStatus


@dataclass(frozen=True)
class NodeProgress:
    """A curriculum node with the cases reported under it and those validated in the archive."""

    code: str
    title: str
    depth: int
    reported_count: int
    validated_case_count: int


@dataclass(frozen=True)
class Progress:
    """Trainees' progress: assigned, reported and overdue counts, scores and coverage."""

    trainee_uids: tuple[str, ...]
    assigned_count: int
    reported_count: int
    overdue_count: int
    scored_count: int
    mean_score: float | None
    rapid_count: int
    rapid_accuracy: float | None
    coverage: list[NodeProgress]


def submitted_reports(session: Session, trainee_uids: Sequence[str]) -> list[Report]:
    """The submitted reports of these trainees, oldest first."""
    stmt = (
        select(Report)
        .where(col(Report.trainee_uid).in_(list(trainee_uids)), Report.status == ReportStatus.SUBMITTED.value)
        .order_by(col(Report.submitted_at), col(Report.uid))
    )
    return list(session.exec(stmt))


def pinned_codes(session: Session, reports: Sequence[Report]) -> dict[tuple[str, int], list[str]]:
    """Curriculum codes of the versions reported (what the trainee was asked, not today's case)."""
    keys = {(r.case_uid, r.case_version) for r in reports}
    if not keys:
        return {}
    rows = session.exec(select(CaseVersion).where(col(CaseVersion.case_uid).in_({k[0] for k in keys})))
    return {
        (v.case_uid, v.version): list(v.data.get("curriculum_codes") or [])
        for v in rows
        if (v.case_uid, v.version) in keys
    }


def compute(
    session: Session, trainee_uids: Sequence[str], *, root: str | None = None, validated: Counter[str] | None = None
) -> Progress:
    """The progress of these trainees, with curriculum coverage under `root`."""
    assignments = list(session.exec(select(Assignment).where(col(Assignment.trainee_uid).in_(list(trainee_uids)))))
    items = items_of(session, [a.uid for a in assignments])
    reports = submitted_reports(session, trainee_uids)
    done = {(r.assignment_uid, r.case_uid) for r in reports}
    now = utcnow()
    overdue = sum(
        1 for a in assignments if a.due_at and a.due_at < now for i in items[a.uid] if (a.uid, i.case_uid) not in done
    )
    scores = list(final_scores(session, [r.uid for r in reports]).values())
    rapid = [r for r in reports if r.auto_correct is not None]
    codes = pinned_codes(session, reports)
    reported = rolled_up(codes.get((r.case_uid, r.case_version), []) for r in reports)
    validated = validated if validated is not None else validated_counts(session)
    coverage = [
        NodeProgress(
            code=n.code,
            title=n.title,
            depth=n.depth,
            reported_count=reported[n.code],
            validated_case_count=validated[n.code],
        )
        for n in subtree(root, session=session)
        if not n.deprecated
    ]
    return Progress(
        trainee_uids=tuple(trainee_uids),
        assigned_count=sum(len(v) for v in items.values()),
        reported_count=len(reports),
        overdue_count=overdue,
        scored_count=len(scores),
        mean_score=round(sum(scores) / len(scores), 2) if scores else None,
        rapid_count=len(rapid),
        rapid_accuracy=round(sum(1 for r in rapid if r.auto_correct) / len(rapid), 3) if rapid else None,
        coverage=coverage,
    )


def trainee_progress(
    trainee_uid: str | None = None, *, root: str | None = None, session: Session, principal: Principal
) -> Progress:
    """The caller's own progress, or any trainee's for a trainer."""
    me = require_person(principal)
    uid = trainee_uid or me
    if uid != me and not is_trainer(principal):
        raise DomainError(ErrorCode.FORBIDDEN, "only trainers see other trainees' progress", field="trainee_uid")
    if session.get(User, uid) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such person", field="trainee_uid")
    # Validated counts as the caller may see them, blind cases left out (content.cases.visibility).
    return compute(session, [uid], root=root, validated=validated_counts(session, principal))


def cohort_progress(
    cohort_uid: str, *, root: str | None = None, session: Session, principal: Principal
) -> tuple[Progress, list[Progress]]:
    """The cohort as a whole, then each of its trainees."""
    require_trainer(principal)
    if session.get(Cohort, cohort_uid) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such cohort", field="cohort")
    members = session.exec(
        select(User)
        .join(CohortMember, col(CohortMember.user_uid) == User.uid)
        .where(CohortMember.cohort_uid == cohort_uid)
        .order_by(col(User.username))
    )
    uids = [u.uid for u in members if is_trainee_user(u)]
    validated = validated_counts(session, principal)  # once, not once per trainee; as the caller sees
    return (
        compute(session, uids, root=root, validated=validated),
        [compute(session, [u], root=root, validated=validated) for u in uids],
    )
