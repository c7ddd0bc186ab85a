"""Reports: a trainee saves drafts of a case of their assignment, then submits once; submitted is final."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from content import audit, events
from content.annotations.geometry import ImageProbe
from content.annotations.marks import checked_marks
from content.base import utcnow
from content.cases.versions import get_version
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.worklists.access import is_trainer, require_person
from content.worklists.clock import check_in_time, start_clock
from content.worklists.models import Assignment, AssignmentItem, Report, ReportStatus, Worklist, WorklistMode
from content.worklists.rapid_marking import mark_rapid
from content.worklists.report_fields import ReportFields, cleaned


def _item(session: Session, principal: Principal, assignment_uid: str, case_uid: str) -> AssignmentItem:
    """The case of the caller's own assignment; anything else is NOT_FOUND, whoever's it is."""
    user_id = require_person(principal)
    assignment = session.get(Assignment, assignment_uid)
    if assignment is None or assignment.trainee_uid != user_id:
        raise DomainError(ErrorCode.NOT_FOUND, "no such assignment of yours", field="assignment")
    item = session.get(AssignmentItem, (assignment_uid, case_uid))
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND, "that case is not in this assignment", field="case")
    return item


def _report_for(session: Session, item: AssignmentItem, principal: Principal) -> Report:
    stmt = select(Report).where(Report.assignment_uid == item.assignment_uid, Report.case_uid == item.case_uid)
    report = session.exec(stmt).first()
    if report is not None:
        if report.status == ReportStatus.SUBMITTED.value:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, "this report is submitted and can no longer change", field="case"
            )
        return report
    assignment = session.get(Assignment, item.assignment_uid)
    worklist = session.get(Worklist, assignment.worklist_uid) if assignment else None
    assert worklist is not None and principal.user_id is not None
    return Report(
        assignment_uid=item.assignment_uid,
        case_uid=item.case_uid,
        case_version=item.case_version,
        trainee_uid=principal.user_id,
        mode=worklist.mode,
    )


def _assignment(session: Session, assignment_uid: str) -> Assignment:
    assignment = session.get(Assignment, assignment_uid)
    assert assignment is not None  # _item found it
    return assignment


def _apply(report: Report, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(report, name, value)
    report.modified = utcnow()


def _changes(session: Session, report: Report, values: ReportFields, probe: ImageProbe | None) -> dict[str, Any]:
    """The checked fields given, the marks checked against the images of the version reported."""
    changes = cleaned(values)
    if values.annotations is not None:
        changes["annotations"] = checked_marks(session, report.case_uid, report.case_version, values.annotations, probe)
    return changes


def save_draft(
    assignment_uid: str,
    case_uid: str,
    values: ReportFields,
    *,
    session: Session,
    principal: Principal,
    probe: ImageProbe | None = None,
) -> Report:
    """Save a trainee's draft report on a case of their assignment (starting its clock)."""
    report = _report_for(session, _item(session, principal, assignment_uid, case_uid), principal)
    changes = _changes(session, report, values, probe)
    assignment = start_clock(session, _assignment(session, assignment_uid))
    check_in_time(session, assignment, utcnow())  # a worklist that refuses late answers takes no late draft
    _apply(report, changes)
    session.add(report)
    session.flush()
    audit.record(session, principal, "report.draft", "report", report.uid, case=case_uid)
    session.commit()
    return report


def _check_complete(report: Report, changes: dict[str, Any]) -> None:
    """Checked on the draft plus the changes before either touches the row: a refusal writes nothing."""

    def get(name: str) -> Any:
        return changes[name] if name in changes else getattr(report, name)

    if report.mode == WorklistMode.RAPID_REPORTING.value:
        if get("abnormal") is None:
            raise DomainError(ErrorCode.INVALID_INPUT, "say normal or abnormal", field="abnormal")
        if get("abnormal") and not (get("abnormality") or get("principal_diagnosis")):
            raise DomainError(ErrorCode.INVALID_INPUT, "name the abnormality", field="abnormality")
    elif not (get("observations") or get("principal_diagnosis")):
        raise DomainError(ErrorCode.INVALID_INPUT, "a report needs observations or a diagnosis", field="observations")


def _claim(session: Session, report: Report) -> None:
    """Move a stored draft to submitted only if it still is a draft: a racing second submit loses here."""
    if not sa.inspect(report).persistent:
        return
    claimed = session.execute(
        sa.update(Report)
        .where(col(Report.uid) == report.uid, col(Report.status) == ReportStatus.DRAFT.value)
        .values(status=ReportStatus.SUBMITTED.value)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise DomainError(ErrorCode.INVALID_TRANSITION, "this report is already submitted", field="case")


def submit_report(
    assignment_uid: str,
    case_uid: str,
    values: ReportFields,
    *,
    session: Session,
    principal: Principal,
    probe: ImageProbe | None = None,
) -> Report:
    """Submit (from a draft or directly); rapid-reporting answers are marked now, against the pinned version."""
    report = _report_for(session, _item(session, principal, assignment_uid, case_uid), principal)
    changes = _changes(session, report, values, probe)
    _check_complete(report, changes)
    assignment = start_clock(session, _assignment(session, assignment_uid))
    now = utcnow()
    over_time = check_in_time(session, assignment, now)
    _claim(session, report)
    _apply(report, changes)
    over_called: tuple[str, ...] = ()
    if report.mode == WorklistMode.RAPID_REPORTING.value:
        data = get_version(session, case_uid, report.case_version).data
        mark = mark_rapid(
            bool(report.abnormal), report.abnormality or report.principal_diagnosis, report.site, data, session=session
        )
        report.normal_correct, report.abnormality_correct = mark.normal_correct, mark.abnormality_correct
        report.auto_correct, over_called = mark.correct, mark.over_calls
    report.status, report.submitted_at, report.over_time = ReportStatus.SUBMITTED.value, now, over_time
    session.add(report)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent first submit inserted the report first
        session.rollback()
        raise DomainError(ErrorCode.INVALID_TRANSITION, "this report is already submitted", field="case") from exc
    audit.record(
        session,
        principal,
        "report.submit",
        "report",
        report.uid,
        case=case_uid,
        version=report.case_version,
        auto_correct=report.auto_correct,
        over_calls=list(over_called),
    )
    events.emit(session, events.ReportSubmitted(report.uid, assignment_uid, case_uid, report.trainee_uid))
    session.commit()
    return report


def get_report(uid: str, *, session: Session, principal: Principal) -> Report:
    """The author's own report, or any submitted report for a trainer."""
    report = session.get(Report, uid)
    own = report is not None and report.trainee_uid == principal.user_id
    trainer_may = report is not None and report.status == ReportStatus.SUBMITTED.value and is_trainer(principal)
    if report is None or not (own or trainer_may):
        raise DomainError(ErrorCode.NOT_FOUND, "no such report", field="report")
    return report


def reports_of(session: Session, assignment_uids: list[str]) -> dict[tuple[str, str], Report]:
    """The reports of these assignments, by (assignment uid, case uid)."""
    if not assignment_uids:
        return {}
    stmt = select(Report).where(col(Report.assignment_uid).in_(assignment_uids))
    return {(r.assignment_uid, r.case_uid): r for r in session.exec(stmt)}


def readable_reports(
    session: Session, assignment_uids: list[str], *, principal: Principal
) -> dict[tuple[str, str], Report]:
    """reports_of as `principal` may read them (the rule of get_report): a draft is its author's alone."""
    return {
        key: r
        for key, r in reports_of(session, assignment_uids).items()
        if r.trainee_uid == principal.user_id or r.status == ReportStatus.SUBMITTED.value
    }
