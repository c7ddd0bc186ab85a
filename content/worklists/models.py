"""Worklist tables: worklists and their versions, assignments pinning case versions, reports and feedback."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow


class WorklistMode(str, Enum):
    """How a worklist is reported: long cases or rapid reporting."""

    LONG_CASE = "LONG_CASE"
    RAPID_REPORTING = "RAPID_REPORTING"


class LateAnswers(str, Enum):
    """What a timed worklist does with an answer given after its time limit."""

    FLAG = "FLAG"  # accepted and marked over time, for the trainer to see
    REFUSE = "REFUSE"  # refused: nothing is saved or submitted once the time is up


class ReportStatus(str, Enum):
    """Where a report stands: draft or submitted."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"


def _json(nullable: bool = False) -> Any:
    return sa.Column(sa.JSON, nullable=nullable)


class Worklist(SQLModel, table=True):
    """An ordered list of validated cases in a trainer's or a cohort's folder."""

    __tablename__ = "worklist"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    path: str = Field(unique=True, max_length=1000)
    title: str = Field(max_length=300)
    instructions: str = ""
    mode: str = Field(max_length=20)
    time_limit_minutes: int | None = None
    late_answers: str = Field(
        default=LateAnswers.FLAG.value, max_length=10, sa_column_kwargs={"server_default": LateAnswers.FLAG.value}
    )
    cohort_uid: str | None = Field(default=None, foreign_key="cohort.uid", index=True)
    # Not called `state`: the security policy reads `state` as a case workflow state.
    status: str = Field(default="ACTIVE", max_length=20)
    version: int = 1
    creator_id: str | None = Field(default=None, foreign_key="user.uid", index=True)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    modified: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class WorklistItem(SQLModel, table=True):
    """One case of a worklist, at its position."""

    __tablename__ = "worklist_item"
    # The primary key is what makes "the same case twice" impossible, even under a race.

    worklist_uid: str = Field(foreign_key="worklist.uid", primary_key=True)
    case_uid: str = Field(foreign_key="case.uid", primary_key=True, index=True)
    position: int


class WorklistVersion(SQLModel, table=True):
    """A full snapshot of a worklist per save (title, instructions, mode, limit, case order)."""

    __tablename__ = "worklist_version"
    __table_args__ = (sa.UniqueConstraint("worklist_uid", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    worklist_uid: str = Field(foreign_key="worklist.uid", index=True)
    version: int
    author_uid: str | None = Field(default=None, foreign_key="user.uid")
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    comment: str = ""
    data: dict[str, Any] = Field(default_factory=dict, sa_column=_json())


class Assignment(SQLModel, table=True):
    """One trainee's copy of a worklist, pinned to the worklist and case versions of the moment."""

    __tablename__ = "assignment"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    worklist_uid: str = Field(foreign_key="worklist.uid", index=True)
    worklist_version: int
    trainee_uid: str = Field(foreign_key="user.uid", index=True)
    cohort_uid: str | None = Field(default=None, foreign_key="cohort.uid", index=True)
    assigned_by: str | None = Field(default=None, foreign_key="user.uid")
    due_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    # The clock of a timed worklist starts with the trainee's first save or submit.
    started_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class AssignmentItem(SQLModel, table=True):
    """One case of an assignment, pinned to the version published when it was assigned."""

    __tablename__ = "assignment_item"

    assignment_uid: str = Field(foreign_key="assignment.uid", primary_key=True)
    case_uid: str = Field(foreign_key="case.uid", primary_key=True, index=True)
    position: int
    case_version: int  # the published version when assigned: what the trainee is asked


class Report(SQLModel, table=True):
    """A trainee's report of one case of an assignment: a draft until submitted, then immutable."""

    __tablename__ = "report"
    __table_args__ = (sa.UniqueConstraint("assignment_uid", "case_uid"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    assignment_uid: str = Field(foreign_key="assignment.uid", index=True)
    case_uid: str = Field(foreign_key="case.uid", index=True)
    case_version: int
    trainee_uid: str = Field(foreign_key="user.uid", index=True)
    mode: str = Field(max_length=20)
    status: str = Field(default=ReportStatus.DRAFT.value, max_length=20)
    observations: str = ""
    interpretation: str = ""
    principal_diagnosis: str = ""
    differential_diagnoses: list[str] = Field(default_factory=list, sa_column=_json())
    management: str = ""
    abnormal: bool | None = None
    abnormality: str = ""
    site: str = ""
    # The trainee's own marks on the images (content.annotations), kept with the draft and submitted.
    annotations: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False, server_default="[]")
    )
    # Rapid reporting, set when submitted: each part of the automatic mark.
    normal_correct: bool | None = None
    abnormality_correct: bool | None = None
    auto_correct: bool | None = None
    over_time: bool = False  # submitted after the worklist's time limit had run out
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    modified: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    submitted_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))


class Feedback(SQLModel, table=True):
    """A trainer's mark of a long-case report: an overall 1..8 score and per-section scores."""

    __tablename__ = "report_feedback"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    report_uid: str = Field(foreign_key="report.uid", unique=True)
    trainer_uid: str = Field(foreign_key="user.uid", index=True)
    score: int
    sections: dict[str, int] = Field(default_factory=dict, sa_column=_json())
    comment: str = ""
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class Moderation(SQLModel, table=True):
    """A second trainer's review of a feedback score; a changed score replaces it in progress."""

    __tablename__ = "report_moderation"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    feedback_uid: str = Field(foreign_key="report_feedback.uid", unique=True)
    moderator_uid: str = Field(foreign_key="user.uid", index=True)
    agreed: bool
    score: int
    comment: str = ""
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
