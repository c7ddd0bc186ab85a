"""The model answer: what a trainee sees next to their report once it is submitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from content.cases.versions import get_version
from content.worklists.models import Report, ReportStatus


@dataclass(frozen=True)
class ModelAnswer:
    """The validated answer to a case: diagnosis, findings, teaching points and differentials."""

    diagnosis: str
    findings: str
    teaching_points: str
    differential_diagnoses: list[str]
    discussion: str
    annotations: list[dict[str, Any]] = field(default_factory=list)  # the author's marks on the images


def model_answer(report: Report, *, session: Session) -> ModelAnswer | None:
    """The validated answer of the version the trainee was asked, once the report is submitted."""
    if report.status != ReportStatus.SUBMITTED.value:
        return None
    data = get_version(session, report.case_uid, report.case_version).data
    return ModelAnswer(
        diagnosis=data.get("diagnosis") or "",
        findings=data.get("findings") or "",
        teaching_points=data.get("teaching_points") or "",
        differential_diagnoses=list(data.get("differential_diagnoses") or []),
        discussion=data.get("discussion") or "",
        annotations=list(data.get("annotations") or []),
    )
