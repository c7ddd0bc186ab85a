"""Trainer feedback on long-case reports (rubric score 1..8) and moderation by a second trainer."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from content import audit, events
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.worklists.access import require_person, require_trainer
from content.worklists.models import Feedback, Moderation, Report, ReportStatus, WorklistMode
from content.worklists.scoring import check_score, check_sections

MAX_COMMENT = 20_000


def _markable(session: Session, report_uid: str) -> Report:
    report = session.get(Report, report_uid)
    if report is None or report.status != ReportStatus.SUBMITTED.value:
        raise DomainError(ErrorCode.NOT_FOUND, "no such submitted report", field="report")
    if report.mode != WorklistMode.LONG_CASE.value:
        raise DomainError(ErrorCode.INVALID_INPUT, "rapid-reporting answers are marked automatically", field="report")
    return report


def _comment(text: str) -> str:
    text = text.strip()
    if not text or len(text) > MAX_COMMENT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"feedback of 1 to {MAX_COMMENT} characters", field="feedback")
    return text


def _insert(session: Session, row: Feedback | Moderation, what: str) -> None:
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # the unique key: someone marked it first
        session.rollback()
        raise DomainError(ErrorCode.DUPLICATE, f"this report already has {what}", field="report") from exc


def give_feedback(
    report_uid: str,
    *,
    score: int,
    comment: str,
    sections: dict[str, int] | None = None,
    session: Session,
    principal: Principal,
) -> Feedback:
    """A trainer's score and comment on a submitted report."""
    require_trainer(principal)
    user_id = require_person(principal)
    report = _markable(session, report_uid)
    row = Feedback(
        report_uid=report.uid,
        trainer_uid=user_id,
        score=check_score(score),
        sections=check_sections(sections or {}),
        comment=_comment(comment),
    )
    if feedback_of(session, [report.uid]):
        raise DomainError(ErrorCode.DUPLICATE, "this report already has feedback; moderate it instead", field="report")
    _insert(session, row, "feedback")
    audit.record(session, principal, "report.feedback", "report", report.uid, score=score)
    events.emit(session, events.ReportMarked(report.uid, report.assignment_uid, report.trainee_uid))
    session.commit()
    return row


def moderate(
    report_uid: str, *, agreed: bool, score: int | None, comment: str, session: Session, principal: Principal
) -> Moderation:
    """A second trainer agrees with the mark, or sets the score that counts from now on."""
    require_trainer(principal)
    user_id = require_person(principal)
    report = _markable(session, report_uid)
    feedback = feedback_of(session, [report.uid]).get(report.uid)
    if feedback is None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "there is no feedback to moderate yet", field="report")
    if feedback.trainer_uid == user_id:
        raise DomainError(ErrorCode.FORBIDDEN, "moderation needs a second trainer", field="report")
    final = feedback.score if agreed else check_score(score if score is not None else 0)
    row = Moderation(
        feedback_uid=feedback.uid,
        moderator_uid=user_id,
        agreed=agreed,
        score=final,
        comment=comment.strip()[:MAX_COMMENT],
    )
    _insert(session, row, "a moderation")
    audit.record(session, principal, "report.moderate", "report", report.uid, agreed=agreed, score=final)
    events.emit(session, events.ReportMarked(report.uid, report.assignment_uid, report.trainee_uid))
    session.commit()
    return row


def feedback_of(session: Session, report_uids: Sequence[str]) -> dict[str, Feedback]:
    """The feedback on each report, by report uid."""
    if not report_uids:
        return {}
    stmt = select(Feedback).where(col(Feedback.report_uid).in_(list(report_uids)))
    return {f.report_uid: f for f in session.exec(stmt)}


def moderation_of(session: Session, feedback_uids: Sequence[str]) -> dict[str, Moderation]:
    """The moderation of each feedback, by feedback uid."""
    if not feedback_uids:
        return {}
    stmt = select(Moderation).where(col(Moderation.feedback_uid).in_(list(feedback_uids)))
    return {m.feedback_uid: m for m in session.exec(stmt)}


def final_scores(session: Session, report_uids: Sequence[str]) -> dict[str, int]:
    """The score that counts per report: the moderated one when moderated, else the feedback's."""
    feedback = feedback_of(session, report_uids)
    moderated = moderation_of(session, [f.uid for f in feedback.values()])
    return {r: (moderated[f.uid].score if f.uid in moderated else f.score) for r, f in feedback.items()}
