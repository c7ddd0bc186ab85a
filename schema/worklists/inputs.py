"""Inputs of the worklist and assignment mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.search.inputs import CaseSearch
from schema.worklists.types import LateAnswers, WorklistMode


@strawberry.input(description="Build a worklist of validated cases, by hand and/or from a curriculum search.")
class CreateWorklistInput:
    title: str = strawberry.field(description="Title.")
    instructions: str | None = strawberry.field(default=None, description="What the trainees are asked to do.")
    mode: WorklistMode = strawberry.field(description="Long cases or rapid reporting.")  # type: ignore[valid-type]
    cases: list[strawberry.ID] = strawberry.field(description="Validated cases, in order.")
    time_limit_minutes: int | None = strawberry.field(
        default=None, description="Time limit from the start of an assignment; none for untimed."
    )
    late_answers: LateAnswers = strawberry.field(  # type: ignore[valid-type]
        default=LateAnswers.FLAG, description="After the time limit: flag late answers, or refuse them."
    )
    cohort: strawberry.ID | None = strawberry.field(default=None, description="File it in a cohort's folder.")
    from_search: CaseSearch | None = strawberry.field(
        default=None, description="Append the validated cases this search finds (after `cases`)."
    )
    search_limit: int = strawberry.field(default=20, description="At most this many cases from the search.")


@strawberry.input(description="Replace a worklist's title, instructions, time limit and cases.")
class UpdateWorklistInput:
    id: strawberry.ID = strawberry.field(description="The worklist.")
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
    title: str = strawberry.field(description="Title.")
    instructions: str | None = strawberry.field(default=None, description="What the trainees are asked to do.")
    cases: list[strawberry.ID] = strawberry.field(description="Validated cases, in order.")
    time_limit_minutes: int | None = strawberry.field(
        default=None, description="Time limit from the start of an assignment; none for untimed."
    )
    late_answers: LateAnswers = strawberry.field(  # type: ignore[valid-type]
        default=LateAnswers.FLAG, description="After the time limit: flag late answers, or refuse them."
    )
    comment: str | None = strawberry.field(default=None, description="Why, kept with the version.")


@strawberry.input(description="Put a worklist's cases in a new order.")
class ReorderWorklistInput:
    id: strawberry.ID = strawberry.field(description="The worklist.")
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
    cases: list[strawberry.ID] = strawberry.field(description="The same cases in their new order.")


@strawberry.input(description="Assign a worklist to trainees or to every trainee of a cohort.")
class AssignWorklistInput:
    worklist: strawberry.ID = strawberry.field(description="The worklist.")
    trainees: list[strawberry.ID] | None = strawberry.field(default=None, description="Trainees to assign it to.")
    cohort: strawberry.ID | None = strawberry.field(default=None, description="A cohort whose every trainee gets it.")
    due_at: datetime | None = strawberry.field(default=None, description="When it is due.")


@strawberry.input(description="Start the clock of one's own timed assignment.")
class StartAssignmentInput:
    assignment: strawberry.ID = strawberry.field(description="One's own assignment.")
