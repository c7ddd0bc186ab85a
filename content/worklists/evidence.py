"""Evidence for an annual review: a trainee's completed worklists and scores, mapped to curriculum codes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from content.cases.models import CaseVersion
from content.principal import Principal
from content.users.models import User
from content.worklists.assignments import assignments_of, items_of
from content.worklists.feedback import final_scores
from content.worklists.models import Report, ReportStatus, Worklist
from content.worklists.progress import Progress, trainee_progress

COLUMNS = (
    "worklist",
    "mode",
    "assigned",
    "completed",
    "position",
    "case",
    "curriculum_codes",
    "submitted",
    "score",
    "rapid_correct",
)


@dataclass(frozen=True)
class EvidenceRow:
    """One reported case of a trainee's completed worklists, with its marks."""

    worklist: str
    mode: str
    assigned: datetime
    completed: datetime
    position: int
    case: str
    curriculum_codes: tuple[str, ...]
    submitted: datetime
    score: int | None
    rapid_correct: bool | None


@dataclass(frozen=True)
class Evidence:
    """A trainee's evidence: the reported cases and their progress summary."""

    trainee: User
    rows: list[EvidenceRow]
    progress: Progress


def evidence(trainee_uid: str | None = None, *, session: Session, principal: Principal) -> Evidence:
    """Only completed worklists count: every case reported. Case titles are those of the versions reported."""
    progress = trainee_progress(trainee_uid, session=session, principal=principal)
    uid = progress.trainee_uids[0]
    trainee = session.get(User, uid)
    assert trainee is not None
    assignments = assignments_of(session, uid)
    items = items_of(session, [a.uid for a in assignments])
    reports = {
        (r.assignment_uid, r.case_uid): r
        for r in session.exec(
            select(Report).where(Report.trainee_uid == uid, Report.status == ReportStatus.SUBMITTED.value)
        )
    }
    scores = final_scores(session, [r.uid for r in reports.values()])
    versions = {
        (v.case_uid, v.version): v.data
        for v in session.exec(
            select(CaseVersion).where(col(CaseVersion.case_uid).in_({r.case_uid for r in reports.values()}))
        )
    }
    rows: list[EvidenceRow] = []
    for a in assignments:
        done = [reports.get((a.uid, i.case_uid)) for i in items[a.uid]]
        if not done or any(r is None for r in done):
            continue
        worklist = session.get(Worklist, a.worklist_uid)
        assert worklist is not None
        completed = max(r.submitted_at for r in done if r and r.submitted_at)
        for item, report in zip(items[a.uid], done, strict=True):
            assert report is not None and report.submitted_at is not None
            data = versions.get((report.case_uid, report.case_version), {})
            rows.append(
                EvidenceRow(
                    worklist=worklist.title,
                    mode=worklist.mode,
                    assigned=a.created,
                    completed=completed,
                    position=item.position,
                    case=data.get("title", ""),
                    curriculum_codes=tuple(data.get("curriculum_codes") or ()),
                    submitted=report.submitted_at,
                    score=scores.get(report.uid),
                    rapid_correct=report.auto_correct,
                )
            )
    return Evidence(trainee=trainee, rows=rows, progress=progress)


def to_csv(ev: Evidence) -> str:
    """The evidence rows as CSV, one line per reported case."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in ev.rows:
        writer.writerow(
            [
                _safe(r.worklist),
                r.mode,
                r.assigned.isoformat(),
                r.completed.isoformat(),
                r.position,
                _safe(r.case),
                " ".join(r.curriculum_codes),
                r.submitted.isoformat(),
                "" if r.score is None else r.score,
                "" if r.rapid_correct is None else ("yes" if r.rapid_correct else "no"),
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    # A title starting with = + - @ would run as a formula when the portfolio opens the CSV in a spreadsheet.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text
