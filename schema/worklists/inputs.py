"""Inputs of the worklist and assignment mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.search.inputs import CaseSearch
from schema.worklists.types import LateAnswers, WorklistMode


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
