"""Reports whose case was validated again after they were submitted: flagged for the trainer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from content.cases.models import CaseVersion
from content.workflow import State
from content.worklists.models import Report, ReportStatus


def revalidated_reports(session: Session, reports: Sequence[Report]) -> set[str]:
    """Uids of the submitted reports whose case has a validated version newer than the one reported,
    validated after the report was submitted (the teaching answer may have changed under it)."""
    submitted = [r for r in reports if r.status == ReportStatus.SUBMITTED.value and r.submitted_at]
    if not submitted:
        return set()
    stmt = select(CaseVersion.case_uid, CaseVersion.version, CaseVersion.created).where(
        col(CaseVersion.case_uid).in_({r.case_uid for r in submitted}), CaseVersion.state == State.VALIDATED.value
    )
    validations: dict[str, list[tuple[int, datetime]]] = {}
    for case_uid, version, created in session.exec(stmt):
        validations.setdefault(case_uid, []).append((version, created))
    out = set()
    for r in submitted:
        assert r.submitted_at is not None
        if any(v > r.case_version and created >= r.submitted_at for v, created in validations.get(r.case_uid, [])):
            out.add(r.uid)
    return out
