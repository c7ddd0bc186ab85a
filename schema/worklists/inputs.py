"""Input types of contract/worklists.graphql (contract/inputs.graphql), plus the optional fields the issue adds."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.inputs import CaseSearch
from schema.worklists.enums import LateAnswers, WorklistMode


@strawberry.input(description="Build a worklist of validated cases, by hand and/or from a curriculum search.")
class CreateWorklistInput:
    title: str
    instructions: str | None = None
    mode: WorklistMode  # type: ignore[valid-type]
    cases: list[strawberry.ID]
    time_limit_minutes: int | None = None
    late_answers: LateAnswers = strawberry.field(  # type: ignore[valid-type]
        default=LateAnswers.FLAG, description="After the time limit: flag late answers, or refuse them.")
    cohort: strawberry.ID | None = strawberry.field(default=None, description="File it in a cohort's folder.")
    from_search: CaseSearch | None = strawberry.field(
        default=None, description="Append the validated cases this search finds (after `cases`).")
    search_limit: int = strawberry.field(default=20, description="At most this many cases from the search.")


@strawberry.input(description="Replace a worklist's title, instructions, time limit and cases.")
class UpdateWorklistInput:
    id: strawberry.ID
    expected_version: int
    title: str
    instructions: str | None = None
    cases: list[strawberry.ID]
    time_limit_minutes: int | None = None
    late_answers: LateAnswers = strawberry.field(  # type: ignore[valid-type]
        default=LateAnswers.FLAG, description="After the time limit: flag late answers, or refuse them.")
    comment: str | None = None


@strawberry.input(description="Put a worklist's cases in a new order.")
class ReorderWorklistInput:
    id: strawberry.ID
    expected_version: int
    cases: list[strawberry.ID]


@strawberry.input(description="Assign a worklist to trainees or to every trainee of a cohort.")
class AssignWorklistInput:
    worklist: strawberry.ID
    trainees: list[strawberry.ID] | None = None
    cohort: strawberry.ID | None = None
    due_at: datetime | None = None


@strawberry.input(description="Start the clock of one's own timed assignment.")
class StartAssignmentInput:
    assignment: strawberry.ID


@strawberry.input(description="A report of one case of an assignment (a draft, or the submission).")
class SubmitReportInput:
    assignment: strawberry.ID
    case: strawberry.ID
    observations: str | None = None
    interpretation: str | None = None
    principal_diagnosis: str | None = None
    differential_diagnoses: list[str] | None = None
    management: str | None = None
    abnormal: bool | None = None
    abnormality: str | None = strawberry.field(default=None, description="Rapid reporting: the abnormality.")
    site: str | None = strawberry.field(default=None, description="Rapid reporting: its site.")


@strawberry.input(description="One rubric section's score.")
class SectionScoreInput:
    section: str
    score: int


@strawberry.input(description="A trainer's mark of a long-case report.")
class FeedbackInput:
    report: strawberry.ID
    score: int
    feedback: str
    sections: list[SectionScoreInput] | None = strawberry.field(default=None,
                                                                description="Per-section scores, 1..8 each.")


@strawberry.input(description="A second trainer's moderation of a mark.")
class ModerateReportInput:
    report: strawberry.ID
    agreed: bool
    score: int | None = None
    comment: str | None = None
