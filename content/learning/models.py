"""Self-study tables: a trainee's card per case (FSRS state), every review, and the share flag."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow


class StudyCard(SQLModel, table=True):
    """One trainee's memory of one case: the scheduler's state and the answer awaiting a rating."""

    __tablename__ = "study_card"
    # One card per trainee and case, even when two tabs reveal the same case at once.
    __table_args__ = (sa.UniqueConstraint("trainee_uid", "case_uid"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    trainee_uid: str = Field(foreign_key="user.uid", index=True)
    case_uid: str = Field(foreign_key="case.uid", index=True)
    # FSRS: state 1 learning, 2 review, 3 relearning; step within the (re)learning steps.
    state: int = 1
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = Field(default_factory=utcnow, sa_column=dt_column(index=True))
    last_review: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    reps: int = 0
    lapses: int = 0
    # The answer committed by the open reveal, until it is rated (then it moves to a StudyReview).
    case_version: int | None = None
    answer: str | None = None
    abnormal: bool | None = None
    revealed_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class StudyReview(SQLModel, table=True):
    """One rated recall: what the trainee answered, how they rated it, and what the scheduler did."""

    __tablename__ = "study_review"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    trainee_uid: str = Field(foreign_key="user.uid", index=True)
    case_uid: str = Field(foreign_key="case.uid", index=True)
    case_version: int
    # The codes of the version studied: progress per node counts what was practised, not today's case.
    curriculum_codes: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    answer: str = ""
    abnormal: bool | None = None
    rating: int  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    state_before: int  # 0 new, else the fsrs.State the card was in
    due_after: datetime = Field(sa_column=dt_column())
    reviewed_at: datetime = Field(sa_column=dt_column(index=True))


class StudySharing(SQLModel, table=True):
    """A trainee's choice to let their cohorts' trainers read their self-study answers (off by default)."""

    __tablename__ = "study_sharing"

    trainee_uid: str = Field(foreign_key="user.uid", primary_key=True)
    share_answers: bool = False
    modified: datetime = Field(default_factory=utcnow, sa_column=dt_column())
